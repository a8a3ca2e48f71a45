/**
 * Seals: SM2-SM3 signatures (default ID 1234567812345678, DER) over the UTF-8 bytes of a
 * document's RFC 8785 canonical JSON, carried as base64. Anyone holding the public key can
 * check one — OpenSSL 3 included (see seal.openssl.test.ts).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { sm2PublicKeyToPem } from '../../platform/crypto/sm2-pem.js';

export interface Seal {
  alg: 'SM2-SM3';
  keyId: string;
  /** base64 of the DER-encoded (r, s). */
  signature: string;
}

export function sealMessage(document: unknown): string {
  return canonicalJson(document);
}

export function derHexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * Strict base64 → DER hex. Returns undefined for anything that is not canonical base64 or not
 * shaped like a DER SEQUENCE of two INTEGERs of an SM2 signature, so a truncated signature is
 * reported as malformed rather than merely "not matching".
 */
export function base64ToDerHex(b64: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.toString('base64') !== b64) return undefined;
  if (bytes.length < 8 || bytes.length > 72 || bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2) return undefined;
  return bytes.toString('hex');
}

/** SM3 over the SubjectPublicKeyInfo DER: the value an administrator pins when trusting a key. */
export function keyFingerprint(publicKeyHex: string): string {
  const pem = sm2PublicKeyToPem(publicKeyHex);
  const der = Buffer.from(pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, ''), 'base64');
  return sm3Hex(new Uint8Array(der));
}

// ── Status lists: one bit per licence (set = not valid), gzip-compressed, base64 ─────────────

/** Smallest list published, so that a list's length says little about how many licences exist. */
export const MIN_STATUS_LIST_BITS = 16_384;

export function encodeStatusBits(setIndexes: Iterable<number>, size: number): string {
  const bytes = new Uint8Array(Math.ceil(size / 8));
  for (const i of setIndexes) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return gzipSync(bytes).toString('base64');
}

export function decodeStatusBits(encoded: string): Uint8Array {
  return new Uint8Array(gunzipSync(Buffer.from(encoded, 'base64')));
}

/** Bit `index` (most significant bit first); out-of-range indexes read as undefined. */
export function statusBit(bits: Uint8Array, index: number): boolean | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) return undefined;
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
