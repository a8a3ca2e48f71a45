/**
 * Nodes and trust. This node describes itself and its node keys at `GET /exchange/v1/node`;
 * an administrator adds a peer by URL and the pinned fingerprint of one of its keys. Later keys
 * of that peer are trusted only when endorsed (signed) by a key already trusted, so a peer can
 * rotate its key without anyone re-pinning and without downtime: the superseded key still
 * verifies for a grace period, so messages signed just before the rotation are accepted.
 */
import { canonicalJson } from '../../platform/crypto/canonical.js';
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import { sm2Sign, sm2Verify, isValidSm2PublicKey } from '../../platform/crypto/sm.js';
import { sm2PublicKeyToPem } from '../../platform/crypto/sm2-pem.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import { keyFingerprint, normaliseFingerprint, PROTOCOL, type Envelope, verifyEnvelope } from './envelope.js';
import { ExchangeRepository, type PeerKeyRow, type PeerRow } from './repository.js';
import { TransportError, type HttpTransport } from './transport.js';
import type { ExchangeSettings } from './settings.js';
import type { BatchCapability } from './batch.js';

export interface DescribedKey {
  keyId: string; publicKeyHex: string; publicKeyPem: string; fingerprint: string;
  status: 'active' | 'retired' | 'revoked'; validFrom: string; validTo: string | null;
  endorsedBy: string | null; endorsement: string | null;
}
export interface NodeDescription {
  protocol: string; nodeId: string; services: string[]; keys: DescribedKey[]; issuedAt: string; keyId: string; signature: string;
  /** Present when the node accepts batch envelopes (docs/exchange.md §2.1). */
  batch?: BatchCapability;
}

/** A peer's batch capability from its (verified) description; null when it has none or a malformed one. */
function batchCapability(d: NodeDescription): BatchCapability | null {
  const b = d.batch;
  if (!b || typeof b !== 'object') return null;
  const ok = (n: unknown, min: number) => Number.isInteger(n) && (n as number) >= min && (n as number) <= 2 ** 31 - 1;
  return ok(b.maxMessages, 2) && ok(b.maxBytes, 1024) ? { maxMessages: b.maxMessages, maxBytes: b.maxBytes } : null;
}

export function endorsementInput(nodeId: string, keyId: string, publicKeyHex: string): string {
  return canonicalJson({ type: 'tongban.node-key-endorsement', node: nodeId, keyId, publicKey: publicKeyHex });
}

function descriptionInput(d: Omit<NodeDescription, 'signature'>): string {
  return canonicalJson(d);
}

interface Learned { accept: DescribedKey[]; endorsed: Set<string>; described: DescribedKey[]; batch: BatchCapability | null }

export type KeyCheck = { ok: true } | { ok: false; reason: string };

export class TrustStore {
  private readonly repo = new ExchangeRepository();
  /**
   * Peers and their keys as last read, for `settings.trustCacheMs`: every message needs them
   * (twice per exchange), they change rarely, and this process drops them whenever it changes
   * them itself. A change made by another process of this node is seen within the TTL.
   */
  private readonly cache = new Map<string, { at: number; peer?: Promise<PeerRow | undefined>; keys?: Promise<PeerKeyRow[]> }>();

  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly keys: NodeKeyStore,
    private readonly audit: AuditService,
    private readonly settings: ExchangeSettings,
    private readonly offeredServices: () => string[],
    private readonly transport: HttpTransport,
  ) {}

  // ── This node ─────────────────────────────────────────────────────────────────────────

  /** The public, self-signed description of this node and its node keys (current and in grace). */
  async describe(now = new Date()): Promise<NodeDescription> {
    const endorsements = new Map((await this.repo.endorsements(this.db)).map((e) => [e.key_id, e]));
    const graceStart = now.getTime() - this.settings.keyGraceSeconds * 1000;
    const keys = (await this.keys.listKeys('node'))
      .filter((k) => k.nodeId === this.nodeId)
      .filter((k) => k.status === 'active' || (k.validTo !== null && Date.parse(k.validTo) >= graceStart) || k.status === 'revoked')
      .map((k): DescribedKey => ({
        keyId: k.keyId, publicKeyHex: k.publicKeyHex, publicKeyPem: k.publicKeyPem, fingerprint: keyFingerprint(k.publicKeyHex),
        status: k.status, validFrom: k.validFrom, validTo: k.validTo,
        endorsedBy: endorsements.get(k.keyId)?.endorsed_by ?? null, endorsement: endorsements.get(k.keyId)?.signature ?? null,
      }));
    const { keyId, pair } = await this.keys.activeKey('node');
    const batch = this.settings.acceptBatches ? { batch: { maxMessages: this.settings.maxBatchMessages, maxBytes: this.settings.maxBatchBytes } } : {};
    const body = { protocol: PROTOCOL, nodeId: this.nodeId, services: this.offeredServices(), keys, issuedAt: now.toISOString(), keyId, ...batch };
    return { ...body, signature: sm2Sign(descriptionInput(body), pair) };
  }

  /** Rotates this node's key; the new key is endorsed by the old one so peers follow unaided. */
  async rotateOwnKey(actorId: string): Promise<{ keyId: string; fingerprint: string; previousKeyId: string }> {
    const previous = await this.keys.activeKey('node');
    return inTransaction(this.db, async (trx) => {
      const keyId = await this.keys.rotate('node', trx);
      const { pair } = await this.keys.activeKey('node');
      await this.repo.insertEndorsement(trx, {
        key_id: keyId, endorsed_by: previous.keyId, signature: sm2Sign(endorsementInput(this.nodeId, keyId, pair.publicKey), previous.pair),
      });
      const fingerprint = keyFingerprint(pair.publicKey);
      await this.audit.append({ actor: actorId, action: 'exchange.node-key.rotated', entityType: 'node', entityId: this.nodeId, detail: { keyId, previousKeyId: previous.keyId, fingerprint } }, trx);
      return { keyId, fingerprint, previousKeyId: previous.keyId };
    });
  }

  // ── Peers ─────────────────────────────────────────────────────────────────────────────

  peer(nodeId: string): Promise<PeerRow | undefined> {
    const entry = this.cached(nodeId);
    entry.peer ??= this.repo.peer(this.db, nodeId).catch((err) => { this.cache.delete(nodeId); throw err; });
    return entry.peer;
  }

  private cached(nodeId: string) {
    let entry = this.cache.get(nodeId);
    if (!entry || Date.now() - entry.at > this.settings.trustCacheMs) {
      entry = { at: Date.now() };
      this.cache.set(nodeId, entry);
    }
    return entry;
  }

  /** Drops a peer's cached rows once `change` has committed (or failed). */
  private async dropAfter<T>(nodeId: string, change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      this.cache.delete(nodeId);
    }
  }

  private cachedKeys(nodeId: string): Promise<PeerKeyRow[]> {
    const entry = this.cached(nodeId);
    entry.keys ??= this.repo.peerKeys(this.db, nodeId).catch((err) => { this.cache.delete(nodeId); throw err; });
    return entry.keys;
  }
  peers(): Promise<PeerRow[]> {
    return this.repo.peers(this.db);
  }
  peerKeys(nodeId: string): Promise<PeerKeyRow[]> {
    return this.repo.peerKeys(this.db, nodeId);
  }
  refusals(limit: number) {
    return this.repo.refusals(this.db, limit);
  }

  async addPeer(actorId: string, input: { baseUrl: string; fingerprint: string; name?: string; allowedServices: string[]; nodeId?: string }): Promise<PeerRow> {
    const pinned = normaliseFingerprint(input.fingerprint);
    if (!/^[0-9a-f]{64}$/.test(pinned)) throw new AppError('VALIDATION_FAILED', 'The fingerprint must be 64 hex digits (SM3 of the node key)', [{ in: 'body', path: '$.fingerprint', message: 'not an SM3 fingerprint' }]);
    const description = await this.fetchDescription(input.baseUrl);
    if (input.nodeId && description.nodeId !== input.nodeId) throw new AppError('KEY_INVALID', `The node at ${input.baseUrl} calls itself "${description.nodeId}", not "${input.nodeId}"`);
    if (description.nodeId === this.nodeId) throw new AppError('RULE_VIOLATION', 'A node cannot add itself as a peer');
    const anchor = description.keys.find((k) => k.fingerprint === pinned && k.status !== 'revoked' && keyFingerprint(k.publicKeyHex) === pinned);
    if (!anchor) throw new AppError('KEY_INVALID', 'None of the keys the peer presents matches the pinned fingerprint: check it with the peer\'s administrator');
    if (await this.repo.peer(this.db, description.nodeId)) throw new AppError('DUPLICATE', `Peer ${description.nodeId} is already configured`);
    const learned = this.learnKeys(description, [{ key_id: anchor.keyId, public_key: anchor.publicKeyHex }]);
    return this.dropAfter(description.nodeId, inTransaction(this.db, async (trx) => {
      const peer = await this.repo.insertPeer(trx, {
        node_id: description.nodeId, base_url: input.baseUrl.replace(/\/+$/, ''), name: input.name ?? description.nodeId,
        pinned_fingerprint: pinned, allowed_services: [...new Set(input.allowedServices)], status: 'active', added_by: actorId,
        batch_max_messages: learned.batch?.maxMessages ?? null, batch_max_bytes: learned.batch?.maxBytes ?? null,
      });
      await this.applyLearned(trx, description.nodeId, learned);
      this.cache.delete(peer.node_id);
      await this.audit.append({ actor: actorId, action: 'exchange.peer.added', entityType: 'exchange_peer', entityId: peer.node_id, detail: { baseUrl: peer.base_url, fingerprint: pinned, allowedServices: peer.allowed_services } }, trx);
      return peer;
    }));
  }

  async updatePeer(actorId: string, nodeId: string, version: number, patch: { allowedServices?: string[]; status?: 'active' | 'suspended'; baseUrl?: string }): Promise<PeerRow> {
    const existing = await this.repo.peer(this.db, nodeId);
    if (!existing) throw new AppError('NOT_FOUND', `No peer ${nodeId}`);
    return this.dropAfter(nodeId, inTransaction(this.db, async (trx) => {
      const row = await this.repo.updatePeer(trx, nodeId, version, {
        ...(patch.allowedServices ? { allowed_services: [...new Set(patch.allowedServices)] } : {}),
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.baseUrl ? { base_url: patch.baseUrl.replace(/\/+$/, '') } : {}),
      });
      if (!row) throw new AppError('CONFLICT');
      this.cache.delete(nodeId);
      await this.audit.append({ actor: actorId, action: 'exchange.peer.updated', entityType: 'exchange_peer', entityId: nodeId, detail: { ...patch } }, trx);
      return row;
    }));
  }

  /**
   * Whether `env` carries a valid signature by a key of its (trusted) sender. An unknown key id
   * makes this node fetch the peer's description once (rate-limited) to learn an endorsed key.
   */
  async checkSignature(env: Envelope, now = new Date()): Promise<KeyCheck> {
    return this.checkSigned(env.sender, env.keyId, (publicKey) => verifyEnvelope(env, publicKey), now);
  }

  /** The same for anything signed by `keyId` of `sender` (a batch header): `verify` gets the key's public point. */
  async checkSigned(sender: string, keyId: string, verify: (publicKeyHex: string) => boolean, now = new Date()): Promise<KeyCheck> {
    let keys = await this.cachedKeys(sender);
    let key = keys.find((k) => k.key_id === keyId);
    if (!key) {
      await this.refreshPeerKeys(sender).catch(() => undefined);
      this.cache.delete(sender);
      keys = await this.repo.peerKeys(this.db, sender);
      key = keys.find((k) => k.key_id === keyId);
      if (!key) return { ok: false, reason: `key ${keyId} is not a trusted key of ${sender}` };
    }
    if (key.revoked_at && key.revoked_at <= now) return { ok: false, reason: `key ${key.key_id} was revoked` };
    if (key.superseded_at && key.superseded_at.getTime() + this.settings.keyGraceSeconds * 1000 < now.getTime()) {
      return { ok: false, reason: `key ${key.key_id} was replaced and its grace period is over` };
    }
    if (!verify(key.public_key)) return { ok: false, reason: 'the signature does not verify' };
    return { ok: true };
  }

  /** Fetches the peer's description and learns endorsed keys and retirements. Rate-limited. */
  async refreshPeerKeys(nodeId: string, force = false): Promise<void> {
    const peer = await this.repo.peer(this.db, nodeId);
    if (!peer) return;
    if (!force && peer.keys_checked_at && Date.now() - peer.keys_checked_at.getTime() < this.settings.keyRefreshMinIntervalMs) return;
    await this.repo.markKeysChecked(this.db, nodeId);
    const description = await this.fetchDescription(peer.base_url);
    if (description.nodeId !== nodeId) throw new AppError('KEY_INVALID', `${peer.base_url} now calls itself ${description.nodeId}`);
    const known = await this.repo.peerKeys(this.db, nodeId);
    const learned = this.learnKeys(description, known.filter((k) => !k.revoked_at));
    await this.dropAfter(nodeId, inTransaction(this.db, (trx) => this.applyLearned(trx, nodeId, learned)));
  }

  private async fetchDescription(baseUrl: string): Promise<NodeDescription> {
    let body: unknown;
    try {
      body = await this.transport.fetchNodeDescription(baseUrl);
    } catch (err) {
      if (err instanceof TransportError) throw new AppError('SERVICE_UNAVAILABLE', `The peer is unreachable: ${err.message}`);
      throw err;
    }
    const d = body as NodeDescription;
    const wellFormed = d && typeof d === 'object' && d.protocol === PROTOCOL && typeof d.nodeId === 'string' && Array.isArray(d.keys)
      && typeof d.signature === 'string' && typeof d.keyId === 'string'
      && d.keys.every((k) => k && typeof k.keyId === 'string' && typeof k.publicKeyHex === 'string' && isValidSm2PublicKey(k.publicKeyHex));
    if (!wellFormed) throw new AppError('KEY_INVALID', `${baseUrl} did not answer with a tongban node description`);
    return d;
  }

  /**
   * Starting from trusted keys, accepts each described key endorsed by one already accepted,
   * then requires the description itself to be signed by an accepted key before any of it counts.
   */
  private learnKeys(d: NodeDescription, trusted: { key_id: string; public_key: string }[]): Learned {
    const accepted = new Map(trusted.map((k) => [k.key_id, k.public_key]));
    const add: DescribedKey[] = [];
    for (let progress = true; progress;) {
      progress = false;
      for (const k of d.keys) {
        if (accepted.has(k.keyId) || !k.endorsedBy || !k.endorsement || k.status === 'revoked') continue;
        const endorser = accepted.get(k.endorsedBy);
        if (endorser && sm2Verify(endorsementInput(d.nodeId, k.keyId, k.publicKeyHex), k.endorsement, endorser)) {
          accepted.set(k.keyId, k.publicKeyHex);
          add.push(k);
          progress = true;
        }
      }
    }
    const signer = accepted.get(d.keyId);
    const { signature, ...body } = d;
    if (!signer || !sm2Verify(descriptionInput(body), signature, signer)) {
      throw new AppError('KEY_INVALID', `The description of ${d.nodeId} is not signed by a key this node trusts`);
    }
    const accept = d.keys.filter((k) => accepted.get(k.keyId) === k.publicKeyHex);
    return { accept, endorsed: new Set(add.map((k) => k.keyId)), described: d.keys, batch: batchCapability(d) };
  }

  private async applyLearned(trx: Executor, nodeId: string, learned: Learned): Promise<void> {
    this.cache.delete(nodeId);
    for (const k of learned.accept) {
      await this.repo.insertPeerKey(trx, {
        node_id: nodeId, key_id: k.keyId, public_key: k.publicKeyHex, fingerprint: keyFingerprint(k.publicKeyHex),
        endorsed_by: learned.endorsed.has(k.keyId) ? k.endorsedBy : null,
      });
    }
    await this.repo.setPeerBatchCapability(trx, nodeId, learned.batch);
    for (const k of learned.described) {
      if (k.status === 'retired') await this.repo.setPeerKeyState(trx, nodeId, k.keyId, { supersededAt: k.validTo ? new Date(k.validTo) : new Date() });
      if (k.status === 'revoked') await this.repo.setPeerKeyState(trx, nodeId, k.keyId, { revokedAt: new Date() });
    }
  }
}
