/**
 * The node's master secret and the purpose-bound keys derived from it. Derivation with
 * HMAC-SM3 keeps one secret to guard while no key is ever used for two purposes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { hmacSm3Hex } from './sm.js';

export interface NodeSecrets {
  /** SM4-128 key (hex) for personal fields and private keys at rest. */
  fieldKeyHex: string;
  /** HMAC-SM3 key for blind indexes (exact lookup without decryption). */
  blindIndexKey: Uint8Array;
  /** HMAC-SM3 key for short-lived signed tokens (QR presentations and the like). */
  tokenKey: Uint8Array;
}

/** Reads TONGBAN_MASTER_KEY, or the key file in the data directory, creating it on first start. */
export function resolveMasterKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) {
    const hex = fs.readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`${file} is not a 32-hex-character key`);
    return hex;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const hex = randomBytes(16).toString('hex');
  fs.writeFileSync(file, `${hex}\n`, { mode: 0o600, flag: 'wx' });
  return hex;
}

export function deriveSecrets(masterKeyHex: string): NodeSecrets {
  const master = Buffer.from(masterKeyHex, 'hex');
  const derive = (label: string) => Buffer.from(hmacSm3Hex(master, `tongban/${label}`), 'hex');
  return {
    fieldKeyHex: derive('field-encryption').subarray(0, 16).toString('hex'),
    blindIndexKey: derive('blind-index'),
    tokenKey: derive('signed-tokens'),
  };
}
