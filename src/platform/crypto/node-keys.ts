/**
 * The node's SM2 key store: issuing (seal), node-to-node (node) and audit-head (audit) keys,
 * kept in the database with private keys SM4-encrypted. Rotation makes a new key active and
 * retires the old one (its signatures still verify); revocation marks a key compromised from
 * a moment on. Modules call this service; none reads the table itself.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { AppError } from '../errors.js';
import { generateSm2KeyPair, sm2Sign, sm4Decrypt, sm4Encrypt, type Sm2KeyPair } from './sm.js';
import { sm2PublicKeyToPem } from './sm2-pem.js';

export type KeyPurpose = 'seal' | 'node' | 'audit';
export type KeyStatus = 'active' | 'retired' | 'revoked';

export interface PublicKeyInfo {
  keyId: string;
  nodeId: string;
  purpose: KeyPurpose;
  alg: 'SM2-SM3';
  publicKeyHex: string;
  publicKeyPem: string;
  status: KeyStatus;
  validFrom: string;
  validTo: string | null;
  revokedAt: string | null;
}

interface KeyRow {
  key_id: string; node_id: string; purpose: KeyPurpose; public_key: string; private_key_enc: string;
  status: KeyStatus; valid_from: Date; valid_to: Date | null; revoked_at: Date | null;
}

const toInfo = (r: KeyRow): PublicKeyInfo => ({
  keyId: r.key_id,
  nodeId: r.node_id,
  purpose: r.purpose,
  alg: 'SM2-SM3',
  publicKeyHex: r.public_key,
  publicKeyPem: sm2PublicKeyToPem(r.public_key),
  status: r.status,
  validFrom: r.valid_from.toISOString(),
  validTo: r.valid_to?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/**
 * How long a process signs with its cached active key before asking the database again which
 * key is active. Several processes share one database: a rotation or revocation made by one is
 * used by every other within this bound (the check reads one key id; the private key is only
 * decrypted again when the id changed). Seals made with the just-retired key in that window stay
 * valid (retirement never ends a key's seals); after a revocation, seals made in it fail
 * verification, so the bound is kept short.
 */
export const ACTIVE_KEY_RECHECK_MS = 2_000;

export interface NodeKeyStoreOptions {
  /** See ACTIVE_KEY_RECHECK_MS; Infinity when no other process can share the database (PGlite). */
  recheckMs?: number;
  /** The clock the bound is measured on (tests move it instead of sleeping). */
  now?: () => number;
}

export class NodeKeyStore {
  /** Active signing keys, decrypted once: signing is on hot paths (seals, exchange, audit). */
  private active = new Map<KeyPurpose, { keyId: string; pair: Sm2KeyPair; checkedAt: number }>();
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Executor,
    readonly nodeId: string,
    private readonly fieldKeyHex: string,
    options: NodeKeyStoreOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? ACTIVE_KEY_RECHECK_MS;
    this.now = options.now ?? Date.now;
  }

  private aad(keyId: string) {
    return `node_keys:${keyId}`;
  }

  /**
   * Creates the active key for each purpose that has none (first start). When the active key
   * names another node (the node was renamed, or its database cloned for a new node), it is
   * rotated: a key's nodeId tells verifiers who signed, so it must be this node's.
   */
  async ensureKeys(purposes: KeyPurpose[] = ['seal', 'node', 'audit']): Promise<void> {
    for (const purpose of purposes) {
      const existing = await this.db.selectFrom('node_keys').select(['key_id', 'node_id'])
        .where('purpose', '=', purpose).where('status', '=', 'active').executeTakeFirst();
      if (!existing) await this.insertKey(this.db, purpose);
      else if (existing.node_id !== this.nodeId) await this.rotate(purpose);
    }
  }

  private async insertKey(db: Executor, purpose: KeyPurpose): Promise<string> {
    const pair = generateSm2KeyPair();
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const keyId = `${this.nodeId}-${purpose}-${day}-${randomBytes(3).toString('hex')}`;
    await db.insertInto('node_keys').values({
      key_id: keyId, node_id: this.nodeId, purpose, public_key: pair.publicKey,
      private_key_enc: sm4Encrypt(pair.privateKey, this.fieldKeyHex, this.aad(keyId)), status: 'active',
    }).execute();
    this.active.set(purpose, { keyId, pair, checkedAt: this.now() });
    return keyId;
  }

  /** `db`: pass the open transaction when inside one (PGlite has a single connection). */
  async activeKey(purpose: KeyPurpose, db: Executor = this.db): Promise<{ keyId: string; pair: Sm2KeyPair }> {
    const cached = this.active.get(purpose);
    const now = this.now();
    if (cached && now - cached.checkedAt < this.recheckMs) return cached;
    // Which key is active now? Another process may have rotated or revoked it.
    const current = await db.selectFrom('node_keys').select('key_id')
      .where('purpose', '=', purpose).where('status', '=', 'active').executeTakeFirst();
    if (!current) throw new AppError('KEY_INVALID', `No active ${purpose} key on this node`);
    if (cached && cached.keyId === current.key_id) {
      cached.checkedAt = now;
      return cached;
    }
    const row = await db.selectFrom('node_keys').selectAll().where('key_id', '=', current.key_id).executeTakeFirstOrThrow() as KeyRow;
    const pair = { publicKey: row.public_key, privateKey: sm4Decrypt(row.private_key_enc, this.fieldKeyHex, this.aad(row.key_id)) };
    const entry = { keyId: row.key_id, pair, checkedAt: now };
    this.active.set(purpose, entry);
    return entry;
  }

  /** Signs with the active key of `purpose`; returns the key id and DER signature (hex). */
  async sign(purpose: KeyPurpose, message: string | Uint8Array, db: Executor = this.db): Promise<{ keyId: string; signatureHex: string }> {
    const { keyId, pair } = await this.activeKey(purpose, db);
    return { keyId, signatureHex: sm2Sign(message, pair) };
  }

  async listKeys(purpose?: KeyPurpose): Promise<PublicKeyInfo[]> {
    let q = this.db.selectFrom('node_keys').selectAll().orderBy('valid_from', 'asc');
    if (purpose) q = q.where('purpose', '=', purpose);
    return ((await q.execute()) as KeyRow[]).map(toInfo);
  }

  async findKey(keyId: string): Promise<PublicKeyInfo | undefined> {
    const row = await this.db.selectFrom('node_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
    return row ? toInfo(row as KeyRow) : undefined;
  }

  /** New active key; the old one is retired (still verifies what it signed). */
  async rotate(purpose: KeyPurpose, db: Executor = this.db): Promise<string> {
    await db.updateTable('node_keys').set({ status: 'retired', valid_to: sql`now()` })
      .where('purpose', '=', purpose).where('status', '=', 'active').execute();
    this.active.delete(purpose);
    return this.insertKey(db, purpose);
  }

  /** Marks a key compromised from `at`: signatures made after it no longer verify. */
  async revoke(keyId: string, at: Date, db: Executor = this.db): Promise<PublicKeyInfo> {
    const row = await db.updateTable('node_keys')
      .set({ status: 'revoked', revoked_at: at, valid_to: sql`coalesce(valid_to, ${at})` })
      .where('key_id', '=', keyId).where('status', '!=', 'revoked').returningAll().executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'No such key, or it is already revoked');
    for (const [purpose, entry] of this.active) if (entry.keyId === keyId) this.active.delete(purpose);
    const info = toInfo(row as KeyRow);
    if (!(await db.selectFrom('node_keys').select('key_id').where('purpose', '=', info.purpose).where('status', '=', 'active').executeTakeFirst())) {
      await this.insertKey(db, info.purpose);
    }
    return info;
  }
}
