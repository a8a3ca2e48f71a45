/**
 * 国密 primitives for the whole platform: SM2 signatures (GB/T 32918, default ID
 * 1234567812345678, DER (r,s)), SM3 hashes (GB/T 32905), HMAC-SM3 and SM4-GCM field encryption.
 * Everything goes through sm-crypto-v2: Node's built-in SM2 does not produce standard signatures.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, getHashes, randomBytes } from 'node:crypto';
import { sm2, sm3, sm4 } from 'sm-crypto-v2';

/**
 * OpenSSL's SM3 when this Node build has it (identical digests, dozens of times faster than the
 * JavaScript one: it is on every request's token lookup, every audit append and every draw);
 * sm-crypto-v2 otherwise.
 */
const NATIVE_SM3 = getHashes().includes('sm3');

export interface Sm2KeyPair {
  /** Uncompressed public point, 04‖x‖y, 130 hex chars. */
  publicKey: string;
  /** 64 hex chars. */
  privateKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey };
}

/**
 * Ephemeral points for SM2 signing, made ahead of need. Most of a signature's cost is k·G for a
 * fresh random k, which does not depend on the message: it is computed between other work (one
 * point per event-loop turn, never more than POINT_POOL_SIZE waiting) so that a signature on a
 * request's path is only the cheap rest. Each point is taken once (sm-crypto-v2 pops it) and
 * lives only in this process's memory — the same k a signature would otherwise draw on the spot.
 */
type EphemeralPoint = ReturnType<typeof sm2.getPoint>;
const POINT_POOL_SIZE = 16;
const pointPool: EphemeralPoint[] = [];
let refilling = false;

function refillPointPool(): void {
  if (refilling || pointPool.length >= POINT_POOL_SIZE) return;
  refilling = true;
  const step = () => {
    if (pointPool.length < POINT_POOL_SIZE) {
      pointPool.push(sm2.getPoint());
      setImmediate(step).unref();
    } else {
      refilling = false;
    }
  };
  setImmediate(step).unref();
}

/** Signs bytes or a UTF-8 string; returns the DER-encoded signature as hex. */
export function sm2Sign(message: string | Uint8Array, key: Sm2KeyPair): string {
  const signature = NATIVE_SM3
    ? sm2.doSignature(signedDigest(message, key.publicKey), key.privateKey, { der: true, hash: false, pointPool })
    : sm2.doSignature(message, key.privateKey, { der: true, hash: true, publicKey: key.publicKey, pointPool });
  refillPointPool();
  return signature;
}

/**
 * The SM2 user hash Z_A (GB/T 32918.2 §5.5: SM3 of the default ID 1234567812345678, the curve
 * and the public key) depends only on the key, so it is computed once per key (by sm-crypto-v2).
 */
const userHashes = new Map<string, Uint8Array>();
/**
 * e = SM3(Z_A ‖ M), the digest SM2 signs, with OpenSSL's SM3: sm-crypto-v2 recomputes Z_A and
 * hashes in JavaScript on every call, which was most of a pooled signature's time (≈ 0.7 ms
 * against ≈ 0.2 ms this way, on 2 cores). The curve arithmetic stays sm-crypto-v2's: it is
 * given this digest with `hash: false`.
 */
function signedDigest(message: string | Uint8Array, publicKeyHex: string): Uint8Array {
  let z = userHashes.get(publicKeyHex);
  if (!z) {
    z = Uint8Array.from(sm2.getZ(publicKeyHex));
    if (userHashes.size >= 1024) userHashes.clear(); // keys are few (own and peers'); bound it anyway
    userHashes.set(publicKeyHex, z);
  }
  return createHash('sm3').update(z).update(message).digest();
}

/**
 * Parsed public keys are expensive to prepare (~40 ms) but make verification ~6× faster,
 * so they are cached by hex value for the life of the process.
 */
const precomputed = new Map<string, ReturnType<typeof sm2.precomputePublicKey>>();
function preparedKey(publicKeyHex: string) {
  let point = precomputed.get(publicKeyHex);
  if (!point) {
    point = sm2.precomputePublicKey(publicKeyHex);
    precomputed.set(publicKeyHex, point);
  }
  return point;
}

/** Verifies a DER hex signature; never throws (malformed input is simply not valid). */
export function sm2Verify(message: string | Uint8Array, signatureHex: string, publicKeyHex: string): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex) || signatureHex.length % 2 !== 0) return false;
  try {
    return NATIVE_SM3
      ? sm2.doVerifySignature(signedDigest(message, publicKeyHex), signatureHex.toLowerCase(), preparedKey(publicKeyHex), { der: true, hash: false })
      : sm2.doVerifySignature(message, signatureHex.toLowerCase(), preparedKey(publicKeyHex), { der: true, hash: true });
  } catch {
    return false;
  }
}

export function isValidSm2PublicKey(publicKeyHex: string): boolean {
  return /^04[0-9a-f]{128}$/i.test(publicKeyHex) && sm2.verifyPublicKey(publicKeyHex);
}

/**
 * `crypto.hash` (Node ≥ 20.12) is OpenSSL's one-shot digest: no Hash object per call, which is
 * most of the cost for short inputs such as a draw's million `seed:id` ranks.
 */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/** SM3 digest as lowercase hex; strings are hashed as UTF-8. */
export const sm3Hex: (data: string | Uint8Array) => string = !NATIVE_SM3
  ? (data) => sm3(data)
  : oneShot ? (data) => oneShot('sm3', data, 'hex') : (data) => createHash('sm3').update(data).digest('hex');

/** HMAC-SM3 as lowercase hex (matches `openssl dgst -sm3 -hmac`). */
export function hmacSm3Hex(key: Uint8Array, data: string | Uint8Array): string {
  return NATIVE_SM3 ? createHmac('sm3', key).update(data).digest('hex') : sm3(data, { key, mode: 'hmac' });
}

const GCM_IV_BYTES = 12;

/** SM4-GCM: returns `v1.<iv hex>.<ciphertext hex>.<tag hex>`; `aad` binds the value to its place. */
export function sm4Encrypt(plaintext: string, keyHex: string, aad: string): string {
  const iv = randomBytes(GCM_IV_BYTES).toString('hex');
  const { output, tag } = sm4.encrypt(plaintext, keyHex, {
    mode: 'gcm', iv, associatedData: Buffer.from(aad, 'utf8'), outputTag: true,
  });
  return `v1.${iv}.${output}.${tag}`;
}

export function sm4Decrypt(sealed: string, keyHex: string, aad: string): string {
  const [version, iv, output, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !output || !tag) throw new Error('unrecognised ciphertext format');
  return sm4.decrypt(output, keyHex, {
    mode: 'gcm', iv, tag, associatedData: Buffer.from(aad, 'utf8'),
  });
}
