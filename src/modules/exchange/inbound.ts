/**
 * The receiving side of the protocol. Each inbound envelope is checked in a fixed order —
 * shape, receiver, trusted sender, signature, clock, access right, message id — and answered
 * with a signed response envelope whatever happens. An accepted message is applied in the same
 * transaction that records it in the inbox, so a replay or retry finds it there and gets the
 * original response; nothing is applied twice.
 */
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import {
  contentHash, envelopeHash, PROTOCOL, responseEnvelope, signEnvelope, type Envelope, type UnsignedEnvelope,
} from './envelope.js';
import { ExchangeRepository } from './repository.js';
import type { ExchangeSettings } from './settings.js';
import type { TrustStore } from './trust.js';
import { GroupCommit } from '../../platform/db/group-commit.js';
import type { Message } from './batch.js';
import { UUID } from '../../platform/uuid.js';

export interface InboundContext { sender: string; messageId: string; envelope: Message }

/** A service this node offers on the exchange. */
export interface ServiceHandler {
  /** Reads needed before the write transaction (PGlite has one connection: no reads inside). */
  prepare?(payload: Record<string, unknown>, ctx: InboundContext): Promise<unknown>;
  /** Applies the message inside the inbox transaction and returns the response payload. */
  apply(payload: Record<string, unknown>, ctx: InboundContext, prepared: unknown, trx: Executor): Promise<Record<string, unknown>>;
}

export interface InboundResult { httpStatus: number; envelope: Envelope }
/** One message's answer: signed on its own, or (`batchId` given) a batch member the batch signature covers. */
export interface MessageResult { httpStatus: number; response: Message; replayed?: true }

const NODE_ID = /^[a-z][a-z0-9-]{1,31}$/;
const ENVELOPE_FIELDS = new Set(['protocol', 'id', 'inReplyTo', 'sender', 'receiver', 'service', 'timestamp', 'status', 'payload', 'keyId', 'signature']);

/**
 * Field-by-field problems with a request envelope; empty when it is well-formed. A batch member
 * (`signed: false`) has no `keyId` or `signature` of its own: the batch header signs it.
 */
export function envelopeProblems(body: unknown, { signed = true }: { signed?: boolean } = {}): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['$: the body must be a JSON object'];
  const e = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(e)) if (!ENVELOPE_FIELDS.has(k)) problems.push(`$.${k}: unknown property`);
  const str = (k: string, test: (v: string) => boolean, what: string) => {
    if (typeof e[k] !== 'string') problems.push(`$.${k}: is required (string)`);
    else if (!test(e[k] as string)) problems.push(`$.${k}: ${what}`);
  };
  str('protocol', (v) => v === PROTOCOL, `must be "${PROTOCOL}"`);
  str('id', (v) => UUID.test(v), 'must be a lowercase UUID');
  str('sender', (v) => NODE_ID.test(v), 'must be a node id');
  str('receiver', (v) => NODE_ID.test(v), 'must be a node id');
  str('service', (v) => /^[a-z][a-z0-9.-]{1,63}$/.test(v), 'must be a service name');
  str('timestamp', (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 UTC time');
  if (signed) {
    str('keyId', (v) => v.length > 0 && v.length <= 128, 'must be a key id');
    str('signature', (v) => /^[0-9a-f]{16,256}$/.test(v), 'must be a hex DER signature');
  } else if (e.keyId !== undefined || e.signature !== undefined) problems.push('$: a batch member carries no keyId or signature of its own');
  if (!e.payload || typeof e.payload !== 'object' || Array.isArray(e.payload)) problems.push('$.payload: is required (object)');
  if (e.inReplyTo !== undefined || e.status !== undefined) problems.push('$: a request carries neither inReplyTo nor status');
  return problems;
}

export class InboundProcessor {
  private readonly repo = new ExchangeRepository();
  private readonly handlers = new Map<string, ServiceHandler>();
  /** Messages arriving together are applied and recorded in one transaction (one commit). */
  private readonly commits: GroupCommit;

  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly keys: NodeKeyStore,
    private readonly audit: AuditService,
    private readonly trust: TrustStore,
    private readonly settings: ExchangeSettings,
  ) {
    this.commits = new GroupCommit(db);
  }

  register(service: string, handler: ServiceHandler): void {
    this.handlers.set(service, handler);
  }

  services(): string[] {
    return [...this.handlers.keys()].sort();
  }

  async sign(env: UnsignedEnvelope): Promise<Envelope> {
    const { keyId, pair } = await this.keys.activeKey('node');
    return signEnvelope(env, keyId, pair);
  }

  /** Answers a body that never reached the checks (too large, not JSON, wrong media type). */
  async refuseUnparsed(code: ErrorCode, message: string, excerpt: string): Promise<InboundResult> {
    return this.refuse({}, code, message, excerpt);
  }

  async receive(body: unknown, now = new Date()): Promise<InboundResult> {
    const problems = envelopeProblems(body);
    const claimed = (body && typeof body === 'object' ? body : {}) as Partial<Envelope>;
    if (problems.length) return this.refuse(claimed, 'VALIDATION_FAILED', `The envelope is malformed: ${problems.slice(0, 5).join('; ')}`);
    const env = body as Envelope;
    if (env.receiver !== this.nodeId) return this.refuse(env, 'EXCHANGE_WRONG_RECEIVER', `This is node ${this.nodeId}, not ${env.receiver}`);
    const peer = await this.trust.peer(env.sender);
    if (!peer || peer.status !== 'active') return this.refuse(env, 'EXCHANGE_SENDER_UNKNOWN', `Node ${env.sender} is not a trusted peer of ${this.nodeId}`);
    const sig = await this.trust.checkSignature(env, now);
    if (!sig.ok) return this.refuse(env, 'EXCHANGE_SIGNATURE_INVALID', `Signature refused: ${sig.reason}`);
    const skewMs = Math.abs(Date.parse(env.timestamp) - now.getTime());
    if (skewMs > this.settings.clockSkewSeconds * 1000) {
      return this.refuse(env, 'EXCHANGE_CLOCK_SKEW', `The timestamp is ${Math.round(skewMs / 1000)} s from this node's clock (at most ${this.settings.clockSkewSeconds} s)`);
    }
    return this.accept(env, peer.allowed_services.includes(env.service));
  }

  /**
   * A message this node sends itself — the part of a 多地联办 application it owns, that part's
   * status and its result. From the service on it takes a peer's message's path (inbox, exactly
   * once, signed answer, audit), without HTTP and without the trust checks a node needs only
   * against others: it signed the envelope itself a moment ago, and may call what it offers.
   */
  async receiveOwn(env: Envelope): Promise<InboundResult> {
    if (env.sender !== this.nodeId || env.receiver !== this.nodeId) throw new Error(`receiveOwn takes messages from ${this.nodeId} to itself only`);
    return this.accept(env, true);
  }

  /** The service's part of receiving `env`, once the sender is known and trusted: access right, replay, apply. */
  private async accept(env: Envelope, allowed: boolean): Promise<InboundResult> {
    const handler = this.handlers.get(env.service);
    if (!handler) return this.refuse(env, 'NOT_FOUND', `This node offers no service "${env.service}"`);
    if (!allowed) return this.refuse(env, 'EXCHANGE_SERVICE_DENIED', `Node ${env.sender} may not call "${env.service}" here`);

    // No read for a replay first: it is the exception (a retry after a failure), and the inbox
    // claim in `apply` finds it and answers with the original (as for a batch's members).
    const result = await this.apply(env, handler, contentHash(env));
    return { httpStatus: result.httpStatus, envelope: await this.signedAlone(result.response) };
  }

  /**
   * A response first given inside a batch, asked for again outside one (a retry sent alone):
   * the same message — id, timestamp, payload — now signed on its own.
   */
  private async signedAlone(response: Message): Promise<Envelope> {
    if (typeof response.signature === 'string' && typeof response.keyId === 'string') return response as Envelope;
    const { keyId: _k, signature: _s, ...unsigned } = response;
    return this.sign(unsigned);
  }

  handler(service: string): ServiceHandler | undefined {
    return this.handlers.get(service);
  }

  /** The answer for `request`: signed alone, or left to the batch signature when `batchId` is set. */
  private async respond(request: Message, status: 'ok' | 'error', payload: Record<string, unknown>, batchId?: string): Promise<Message> {
    const response = responseEnvelope(this.nodeId, request.sender, request.service, request.id, status, payload);
    return batchId ? response : this.sign(response);
  }

  /**
   * Applies one accepted message exactly once: claims (sender, id) in the inbox, applies, keeps
   * the answer. Batches use it member by member when their all-in-one transaction failed.
   */
  async apply(env: Message, handler: ServiceHandler, hash: string, batchId?: string): Promise<MessageResult> {
    const ctx: InboundContext = { sender: env.sender, messageId: env.id, envelope: env };
    await this.keys.activeKey('node'); // warm the key cache: no reads of the base handle inside the transaction
    let prepared: unknown;
    try {
      prepared = await handler.prepare?.(env.payload, ctx);
      return await this.commits.run(async (trx) => {
        const placeholder = env; // replaced below, before commit
        if (!(await this.repo.claimInbox(trx, { sender: env.sender, message_id: env.id, service: env.service, content_hash: hash, request: env, response: placeholder, http_status: 0, batch_id: batchId ?? null }))) {
          throw new AlreadyClaimed();
        }
        const payload = await handler.apply(env.payload, ctx, prepared, trx);
        const response = await this.respond(env, 'ok', payload, batchId);
        await this.record(trx, env, response, 200, 'accepted');
        return { httpStatus: 200, response };
      });
    } catch (err) {
      if (err instanceof AlreadyClaimed) {
        const seen = await this.repo.inboxEntry(this.db, env.sender, env.id);
        if (seen) return this.replayed(env, seen.content_hash === hash, seen.response, seen.http_status, batchId);
      }
      // A business refusal is the message's answer, kept like any other; anything else is not
      // recorded so the sender's retry applies the message afresh.
      if (err instanceof AppError && err.status < 500) return this.answerWithError(env, hash, err, batchId);
      throw err;
    }
  }

  private async answerWithError(env: Message, hash: string, err: AppError, batchId?: string): Promise<MessageResult> {
    const response = await this.respond(env, 'error', errorPayload(err.code, err.message), batchId);
    const stored = await inTransaction(this.db, async (trx) => {
      if (!(await this.repo.claimInbox(trx, { sender: env.sender, message_id: env.id, service: env.service, content_hash: hash, request: env, response, http_status: err.status, batch_id: batchId ?? null }))) return false;
      await this.record(trx, env, response, err.status, `refused:${err.code}`);
      return true;
    });
    if (!stored) {
      const seen = await this.repo.inboxEntry(this.db, env.sender, env.id);
      if (seen) return this.replayed(env, seen.content_hash === hash, seen.response, seen.http_status, batchId);
    }
    return { httpStatus: err.status, response };
  }

  private async record(trx: Executor, request: Message, response: Message, httpStatus: number, outcome: string): Promise<void> {
    await this.repo.setInboxResponse(trx, request.sender, request.id, response, httpStatus);
    await this.audit.append({
      actor: `node:${request.sender}`, action: `exchange.in.${request.service}`, entityType: 'exchange_message', entityId: `${request.sender}/${request.id}`,
      detail: { outcome, requestHash: envelopeHash(request), responseHash: envelopeHash(response), responseId: response.id },
    }, trx);
  }

  private async replayed(env: Message, sameContent: boolean, original: Message, httpStatus: number, batchId?: string): Promise<MessageResult> {
    if (!sameContent) {
      const code = 'EXCHANGE_MESSAGE_ID_REUSED';
      const refusal = `Message id ${env.id} was already used by ${env.sender} for a different message`;
      if (batchId) return { httpStatus: ERROR_CATALOGUE[code].status, response: await this.refuseMember(env, code, refusal, batchId) };
      const refused = await this.refuse(env, code, refusal);
      return { httpStatus: refused.httpStatus, response: refused.envelope };
    }
    await this.audit.append({
      actor: `node:${env.sender}`, action: 'exchange.in.replayed', entityType: 'exchange_message', entityId: `${env.sender}/${env.id}`,
      detail: { requestHash: envelopeHash(env), answeredWith: original.id, ...(batchId ? { batchId } : {}) },
    });
    return { httpStatus, response: original, replayed: true };
  }

  /** A refused member of a batch: logged like any refusal; its answer is covered by the batch signature. */
  async refuseMember(claimed: Partial<Message>, code: ErrorCode, message: string, batchId: string, trx: Executor = this.db): Promise<Message> {
    const { sender, id, service } = claimedIds(claimed);
    const response = responseEnvelope(this.nodeId, sender, service, id, 'error', errorPayload(code, message));
    await this.logRefusal(trx, { sender, id, service, code, message, excerpt: safeExcerpt(claimed), response, batchId });
    return response;
  }

  /** A signed error answer, logged with what was claimed (nothing of it is trusted). */
  async refuse(claimed: Partial<Message>, code: ErrorCode, message: string, excerpt?: string): Promise<InboundResult> {
    const { sender, id, service } = claimedIds(claimed);
    const response = await this.sign(responseEnvelope(this.nodeId, sender, service, id, 'error', errorPayload(code, message)));
    await this.logRefusal(this.db, { sender, id, service, code, message, excerpt: excerpt ?? safeExcerpt(claimed), response });
    return { httpStatus: ERROR_CATALOGUE[code].status, envelope: response };
  }

  private async logRefusal(db: Executor, r: { sender: string; id: string | undefined; service: string; code: ErrorCode; message: string; excerpt: string; response: Message; batchId?: string }): Promise<void> {
    const { sender, id, service, code, message, response } = r;
    await inTransaction(db, async (trx) => {
      await this.repo.insertRefusal(trx, { claimed_sender: sender, message_id: id ?? null, service, code, request_excerpt: r.excerpt, response, batch_id: r.batchId ?? null });
      await this.audit.append({
        actor: `node:${sender}`, action: 'exchange.in.refused', entityType: 'exchange_message', entityId: `${sender}/${id ?? 'none'}`,
        detail: { code, message, responseHash: envelopeHash(response), responseId: response.id, ...(r.batchId ? { batchId: r.batchId } : {}) },
      }, trx);
    });
  }
}

function claimedIds(claimed: Partial<Message>): { sender: string; id: string | undefined; service: string } {
  return {
    sender: typeof claimed.sender === 'string' && NODE_ID.test(claimed.sender) ? claimed.sender : 'unknown',
    id: typeof claimed.id === 'string' && UUID.test(claimed.id) ? claimed.id : undefined,
    service: typeof claimed.service === 'string' && /^[a-z][a-z0-9.-]{1,63}$/.test(claimed.service) ? claimed.service : 'unknown',
  };
}

class AlreadyClaimed extends Error {}

export function errorPayload(code: string, message: string): Record<string, unknown> {
  return { error: { code, message } };
}

function safeExcerpt(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 2000);
  } catch {
    return '(not serialisable)';
  }
}
