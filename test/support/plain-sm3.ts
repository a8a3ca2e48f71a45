/**
 * SM3 (GB/T 32905-2016) written from the standard in plain TypeScript, deliberately sharing
 * nothing with sm-crypto-v2: tests use it as an outsider's independent implementation.
 */
const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
const rotl = (x: number, n: number) => ((x << (n & 31)) | (x >>> (32 - (n & 31)))) >>> 0;
const P0 = (x: number) => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const P1 = (x: number) => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;

/** SM3 of a UTF-8 string or of raw bytes, as lowercase hex. */
export function plainSm3(message: string | Uint8Array): string {
  const data = typeof message === 'string' ? new TextEncoder().encode(message) : message;
  const bitLen = data.length * 8;
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLen / 2 ** 32));
  view.setUint32(padded.length - 4, bitLen >>> 0);
  const v = [...IV];
  for (let off = 0; off < padded.length; off += 64) {
    const w = new Array<number>(68);
    for (let j = 0; j < 16; j++) w[j] = view.getUint32(off + j * 4);
    for (let j = 16; j < 68; j++) w[j] = (P1(w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15)) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!) >>> 0;
    let [a, b, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
    for (let j = 0; j < 64; j++) {
      const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      const ss1 = rotl((rotl(a, 12) + e + rotl(t, j % 32)) >>> 0, 7);
      const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const w1 = (w[j]! ^ w[j + 4]!) >>> 0;
      const tt1 = ((ff >>> 0) + d + ss2 + w1) >>> 0;
      const tt2 = ((gg >>> 0) + h + ss1 + w[j]!) >>> 0;
      d = c; c = rotl(b, 9); b = a; a = tt1;
      h = g; g = rotl(f, 19); f = e; e = P0(tt2);
    }
    const next = [a, b, c, d, e, f, g, h];
    for (let i = 0; i < 8; i++) v[i] = (v[i]! ^ next[i]!) >>> 0;
  }
  return v.map((x) => x.toString(16).padStart(8, '0')).join('');
}
