/**
 * Whose seals this node believes: its own sealing keys (published at /api/v1/trust/keys, rotated
 * and revoked here, every event audited) and other nodes' keys on the trust list (互通互认),
 * imported from their published document but only when the administrator pinned the key's
 * fingerprint, obtained out of band. A trusted key's later retirement or revocation is taken
 * from a re-import without a new pin; a new key needs one.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { requirePermission, type Actor } from '../../platform/access/policy.js';
import type { NodeKeyStore, PublicKeyInfo } from '../../platform/crypto/node-keys.js';
import { isValidSm2PublicKey, sm2Verify } from '../../platform/crypto/sm.js';
import { sm2PublicKeyFromPem, sm2PublicKeyToPem } from '../../platform/crypto/sm2-pem.js';
import type { AuditService } from '../audit/service.js';
import { LicenceRepository, type TrustedKeyRow } from './repository.js';
import { base64ToDerHex, derHexToBase64, keyFingerprint, sealMessage, type Seal } from './seal.js';

export interface PublishedKey {
  keyId: string; nodeId: string; alg: 'SM2-SM3'; publicKeyPem: string; fingerprint: string;
  status: 'active' | 'retired' | 'revoked'; validFrom: string; validTo: string | null; revokedAt: string | null;
}

export interface ResolvedKey {
  keyId: string; nodeId: string; publicKeyHex: string; status: PublishedKey['status'];
  validFrom: Date; validTo: Date | null; revokedAt: Date | null; local: boolean;
}

export interface KeysDocument { keys: unknown[] }

export interface ImportResult { nodeId: string; imported: string[]; updated: string[]; skipped: { keyId: string; reason: string }[] }

/** Clock difference tolerated between a seal's time and its key's start. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Resolved keys are cached briefly: verification is hot, and revocation elsewhere must still arrive soon. */
const KEY_CACHE_MS = 10_000;

const published = (k: PublicKeyInfo): PublishedKey => ({
  keyId: k.keyId, nodeId: k.nodeId, alg: 'SM2-SM3', publicKeyPem: k.publicKeyPem, fingerprint: keyFingerprint(k.publicKeyHex),
  status: k.status, validFrom: k.validFrom, validTo: k.validTo, revokedAt: k.revokedAt,
});

export class TrustService {
  private readonly repo = new LicenceRepository();
  private cache = new Map<string, { key: ResolvedKey | undefined; until: number }>();

  constructor(
    private readonly db: Executor,
    private readonly keys: NodeKeyStore,
    private readonly audit: AuditService,
    readonly nodeId: string,
    private readonly fetchDocument: (url: string) => Promise<unknown> = fetchJson,
  ) {}

  /** This node's sealing keys, for other nodes and offline verifiers. */
  async publishedKeys(): Promise<PublishedKey[]> {
    return (await this.keys.listKeys('seal')).filter((k) => k.nodeId === this.nodeId).map(published);
  }

  /** Seals a document with the node's active sealing key (pass the transaction when inside one). */
  async seal(document: unknown, db: Executor = this.db): Promise<Seal> {
    const { keyId, signatureHex } = await this.keys.sign('seal', sealMessage(document), db);
    return { alg: 'SM2-SM3', keyId, signature: derHexToBase64(signatureHex) };
  }

  async resolveKey(keyId: string): Promise<ResolvedKey | undefined> {
    const hit = this.cache.get(keyId);
    if (hit && hit.until > Date.now()) return hit.key;
    const own = await this.keys.findKey(keyId);
    let key: ResolvedKey | undefined;
    if (own && own.purpose === 'seal') {
      key = {
        keyId, nodeId: own.nodeId, publicKeyHex: own.publicKeyHex, status: own.status, local: true,
        validFrom: new Date(own.validFrom), validTo: own.validTo ? new Date(own.validTo) : null, revokedAt: own.revokedAt ? new Date(own.revokedAt) : null,
      };
    } else if (!own) {
      const t = await this.repo.trustedKey(this.db, keyId);
      if (t) key = { keyId, nodeId: t.node_id, publicKeyHex: t.public_key, status: t.status, validFrom: t.valid_from, validTo: t.valid_to, revokedAt: t.revoked_at, local: false };
    }
    this.cache.set(keyId, { key, until: Date.now() + KEY_CACHE_MS });
    return key;
  }

  /**
   * Reasons the seal does not hold for `document` sealed at `sealedAt` by `expectedNode`:
   * empty when it holds. Never throws on malformed input.
   */
  async sealProblems(document: unknown, seal: Seal, sealedAt: Date | undefined, expectedNode?: string): Promise<{ reasons: string[]; key?: ResolvedKey }> {
    if (seal.alg !== 'SM2-SM3') return { reasons: [`seal algorithm ${String(seal.alg)} is not SM2-SM3`] };
    const der = base64ToDerHex(String(seal.signature));
    if (!der) return { reasons: ['the signature is not base64 of a DER-encoded SM2 signature (truncated or malformed)'] };
    const key = await this.resolveKey(String(seal.keyId));
    if (!key) return { reasons: [`key ${String(seal.keyId)} is unknown here: not this node's, and not on the trust list`] };
    const reasons: string[] = [];
    if (expectedNode && key.nodeId !== expectedNode) reasons.push(`key ${key.keyId} belongs to node ${key.nodeId}, not to the issuing node ${expectedNode}`);
    if (!sealedAt || Number.isNaN(sealedAt.getTime())) reasons.push('the document does not say when it was sealed');
    else {
      // Only revocation ends a key's seals. A retired key's seals stay valid whatever their time:
      // another server process may sign with it until it learns of the rotation.
      if (key.revokedAt && sealedAt >= key.revokedAt) reasons.push(`key ${key.keyId} was revoked at ${key.revokedAt.toISOString()}, before this seal`);
      if (sealedAt.getTime() < key.validFrom.getTime() - CLOCK_SKEW_MS) reasons.push(`the seal predates key ${key.keyId}`);
    }
    let message: string;
    try {
      message = sealMessage(document);
    } catch {
      return { reasons: [...reasons, 'the document is not JSON that can be canonicalised'], key };
    }
    if (!sm2Verify(message, der, key.publicKeyHex)) reasons.push('the signature does not match the document (altered, or sealed with another key)');
    return { reasons, key };
  }

  // ── Own key lifecycle (platform administrators) ──────────────────────────────────────────

  async rotate(actor: Actor | undefined, reason: string): Promise<PublishedKey> {
    const a = requirePermission(actor, 'platform:admin');
    const keyId = await inTransaction(this.db, async (trx) => {
      const id = await this.keys.rotate('seal', trx);
      await this.audit.append({ actor: a.userId, action: 'trust.key.rotate', entityType: 'node-key', entityId: id, detail: { reason } }, trx);
      return id;
    });
    this.cache.clear();
    return published((await this.keys.findKey(keyId))!);
  }

  async revoke(actor: Actor | undefined, keyId: string, at: Date, reason: string): Promise<PublishedKey> {
    const a = requirePermission(actor, 'platform:admin');
    const key = await this.keys.findKey(keyId);
    if (!key || key.purpose !== 'seal' || key.nodeId !== this.nodeId) throw new AppError('NOT_FOUND', 'No such sealing key on this node');
    if (key.status === 'revoked') throw new AppError('KEY_INVALID', 'This key is already revoked');
    if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw new AppError('KEY_INVALID', 'A revocation cannot start in the future', [{ path: '$.revokedAt', message: 'must not be in the future' }]);
    const info = await inTransaction(this.db, async (trx) => {
      const revoked = await this.keys.revoke(keyId, at, trx);
      await this.audit.append({ actor: a.userId, action: 'trust.key.revoke', entityType: 'node-key', entityId: keyId, detail: { reason, revokedAt: at.toISOString() } }, trx);
      return revoked;
    });
    this.cache.clear();
    return published(info);
  }

  // ── Trust list (互通互认) ─────────────────────────────────────────────────────────────────

  async trustList(): Promise<(PublishedKey & { source: string; importedAt: string })[]> {
    return (await this.repo.trustedKeys(this.db)).map((t) => ({
      keyId: t.key_id, nodeId: t.node_id, alg: 'SM2-SM3' as const, publicKeyPem: sm2PublicKeyToPem(t.public_key), fingerprint: t.fingerprint,
      status: t.status, validFrom: t.valid_from.toISOString(), validTo: t.valid_to?.toISOString() ?? null, revokedAt: t.revoked_at?.toISOString() ?? null,
      source: t.source, importedAt: t.imported_at.toISOString(),
    }));
  }

  /** Imports another node's published keys (given, or fetched from `url`), keeping only pinned ones. */
  async importNode(actor: Actor | undefined, input: { nodeId: string; fingerprints: string[]; keys?: KeysDocument; url?: string }): Promise<ImportResult> {
    const a = requirePermission(actor, 'platform:admin');
    if (input.nodeId === this.nodeId) throw new AppError('KEY_INVALID', 'A node does not put its own keys on its trust list', [{ path: '$.nodeId', message: 'is this node' }]);
    if (!input.keys === !input.url) throw new AppError('VALIDATION_FAILED', 'Give either the keys document or the URL to fetch it from', [{ path: '$.keys', message: 'exactly one of keys, url' }]);
    let source = 'document';
    let doc: unknown = input.keys;
    if (input.url) {
      source = input.url;
      doc = await this.fetchDocument(input.url).catch((err: Error) => {
        throw new AppError('KEY_INVALID', `Could not fetch the keys from ${input.url}: ${err.message}`, [{ path: '$.url', message: 'unreachable or not JSON' }]);
      });
    }
    const entries = (doc as KeysDocument | undefined)?.keys;
    if (!Array.isArray(entries)) throw new AppError('KEY_INVALID', 'The document has no "keys" array');
    const pins = new Set(input.fingerprints.map((f) => f.toLowerCase()));
    const result: ImportResult = { nodeId: input.nodeId, imported: [], updated: [], skipped: [] };
    const rows: Omit<TrustedKeyRow, 'imported_at' | 'updated_at'>[] = [];
    for (const raw of entries) {
      const parsed = parsePublishedKey(raw);
      if ('reason' in parsed) { result.skipped.push({ keyId: parsed.keyId, reason: parsed.reason }); continue; }
      const k = parsed.key;
      if (k.nodeId !== input.nodeId) { result.skipped.push({ keyId: k.keyId, reason: `belongs to node ${k.nodeId}` }); continue; }
      if (await this.keys.findKey(k.keyId)) { result.skipped.push({ keyId: k.keyId, reason: "the id is one of this node's own keys" }); continue; }
      const existing = await this.repo.trustedKey(this.db, k.keyId);
      if (existing && (existing.public_key !== k.publicKeyHex || existing.node_id !== k.nodeId)) { result.skipped.push({ keyId: k.keyId, reason: 'a different key is already known under this id' }); continue; }
      if (!existing && !pins.has(keyFingerprint(k.publicKeyHex))) { result.skipped.push({ keyId: k.keyId, reason: 'fingerprint not pinned' }); continue; }
      (existing ? result.updated : result.imported).push(k.keyId);
      rows.push({
        key_id: k.keyId, node_id: k.nodeId, public_key: k.publicKeyHex, fingerprint: keyFingerprint(k.publicKeyHex), status: k.status,
        valid_from: k.validFrom, valid_to: k.validTo, revoked_at: k.revokedAt, source, imported_by: a.userId,
      });
    }
    if (rows.length === 0) throw new AppError('KEY_INVALID', 'No key in the document matches a pinned fingerprint', result.skipped.map((s) => ({ path: '$.keys', message: `${s.keyId}: ${s.reason}` })));
    await inTransaction(this.db, async (trx) => {
      for (const row of rows) await this.repo.upsertTrustedKey(trx, row);
      await this.audit.append({ actor: a.userId, action: 'trust.node.import', entityType: 'trusted-node', entityId: input.nodeId, detail: { source, imported: result.imported, updated: result.updated } }, trx);
    });
    this.cache.clear();
    return result;
  }

  async removeNode(actor: Actor | undefined, nodeId: string): Promise<void> {
    const a = requirePermission(actor, 'platform:admin');
    await inTransaction(this.db, async (trx) => {
      if ((await this.repo.deleteTrustedNode(trx, nodeId)) === 0) throw new AppError('NOT_FOUND', `Node ${nodeId} is not on the trust list`);
      await this.audit.append({ actor: a.userId, action: 'trust.node.remove', entityType: 'trusted-node', entityId: nodeId }, trx);
    });
    this.cache.clear();
  }
}

type ParsedKey = { key: { keyId: string; nodeId: string; publicKeyHex: string; status: PublishedKey['status']; validFrom: Date; validTo: Date | null; revokedAt: Date | null } };

function parsePublishedKey(raw: unknown): ParsedKey | { keyId: string; reason: string } {
  const r = (raw ?? {}) as Record<string, unknown>;
  const keyId = typeof r.keyId === 'string' && /^[\w.-]{1,100}$/.test(r.keyId) ? r.keyId : '?';
  if (keyId === '?' || typeof r.nodeId !== 'string') return { keyId, reason: 'no valid keyId or nodeId' };
  if (r.alg !== 'SM2-SM3') return { keyId, reason: 'algorithm is not SM2-SM3' };
  let hex: string;
  try { hex = sm2PublicKeyFromPem(String(r.publicKeyPem)); } catch { return { keyId, reason: 'publicKeyPem is not an SM2 SubjectPublicKeyInfo' }; }
  if (!isValidSm2PublicKey(hex)) return { keyId, reason: 'the public key is not a point on SM2' };
  if (r.status !== 'active' && r.status !== 'retired' && r.status !== 'revoked') return { keyId, reason: 'unknown status' };
  const date = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);
  const validFrom = date(r.validFrom);
  if (!validFrom) return { keyId, reason: 'validFrom is not a date' };
  const revokedAt = date(r.revokedAt);
  if (r.status === 'revoked' && !revokedAt) return { keyId, reason: 'a revoked key needs revokedAt' };
  return { key: { keyId, nodeId: r.nodeId, publicKeyHex: hex.toLowerCase(), status: r.status, validFrom, validTo: date(r.validTo), revokedAt } };
}

async function fetchJson(url: string): Promise<unknown> {
  if (!/^https?:\/\//.test(url)) throw new Error('only http(s) URLs are fetched');
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > 1_000_000) throw new Error('the document is larger than 1 MB');
  return JSON.parse(text);
}
