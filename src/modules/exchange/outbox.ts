/**
 * The sending side. Messages that change something at a peer are written to the outbox in the
 * transaction that caused them and delivered by the outbox job (`exchange.outbox`): claimed with
 * FOR UPDATE SKIP LOCKED under a lease, posted, and on a transport failure retried with
 * exponential backoff until the peer answers with a signed response — so a peer that was down
 * gets every message once it is back, and its inbox makes the retries harmless. Queries that
 * need an answer now (`request`) use the same signing, verification and logging, synchronously.
 */
import type { Executor } from '../../platform/db/database.js';
import { GroupCommit } from '../../platform/db/group-commit.js';
import { AppError } from '../../platform/errors.js';
import type { AuditEntry, AuditService } from '../audit/service.js';
import { envelopeHash, newMessageId } from './envelope.js';
import { headerOf, type Message } from './batch.js';
import type { Delivery, ExchangeClient, SentBatch } from './client.js';
import { ExchangeRepository, type OutboxRow } from './repository.js';
import { retryDelayMs, type ExchangeSettings } from './settings.js';
import { TransportError } from './transport.js';

/** Called when a peer has answered an outbox message, inside the transaction that records it. */
export type DeliveryListener = (request: Message, response: Message, trx: Executor) => Promise<void>;

/** Errors a peer may answer with that say "later", not "never". */
const TRANSIENT_CODES = new Set(['EXCHANGE_CLOCK_SKEW', 'SERVICE_UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED', 'EXCHANGE_SIGNATURE_INVALID']);

export function responseError(response: Message): { code: string; message: string } | undefined {
  if (response.status !== 'error') return undefined;
  const e = (response.payload as { error?: { code?: unknown; message?: unknown } }).error;
  return { code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message: typeof e?.message === 'string' ? e.message : 'refused' };
}

export class Outbox {
  private readonly repo = new ExchangeRepository();
  private readonly listeners = new Map<string, DeliveryListener>();
  /**
   * Runs in this process take turns (kicks and `deliverDue` alike): a caller of `deliverDue` then
   * never returns while a kick run it overlapped still holds, under its lease, a message the
   * caller expects delivered. Other processes are kept apart by the lease.
   */
  private turns: Promise<unknown> = Promise.resolve();
  private kickTimer: NodeJS.Timeout | undefined;
  /** Answers recorded together share one transaction (one commit). */
  private readonly commits: GroupCommit;

  constructor(
    private readonly db: Executor,
    private readonly client: ExchangeClient,
    private readonly audit: AuditService,
    private readonly settings: ExchangeSettings,
    private readonly nodeId: string,
  ) {
    this.commits = new GroupCommit(db);
    client.recorder = (sent) => this.recordBatch(sent);
  }

  onDelivered(service: string, listener: DeliveryListener): void {
    this.listeners.set(service, listener);
  }

  /** Queues a message inside the caller's transaction; it leaves only if that commits. */
  async enqueue(trx: Executor, receiver: string, service: string, payload: Record<string, unknown>, messageId = newMessageId()): Promise<string> {
    await this.repo.enqueue(trx, { message_id: messageId, receiver, service, payload });
    if (this.settings.deliverOnEnqueue) this.kick();
    return messageId;
  }

  /**
   * Delivers soon after an enqueue instead of at the next outbox job run. The enqueueing
   * transaction may not have committed yet when this runs; then the job (the fallback) sends
   * the message, and the lease keeps the two from sending anything twice.
   */
  private kick(): void {
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      this.inTurn(() => this.run()).catch(() => undefined);
    }, this.settings.kickDelayMs);
    this.kickTimer.unref();
  }

  /** One run of the outbox job: delivers what is due; returns how many were answered. */
  deliverDue(): Promise<{ delivered: number; failed: number; retrying: number }> {
    return this.inTurn(() => this.run());
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    const turn = this.turns.then(run);
    this.turns = turn.catch(() => undefined);
    return turn;
  }

  private async run(): Promise<{ delivered: number; failed: number; retrying: number }> {
    const due = await this.repo.claimDue(this.db, this.settings.batchSize, this.settings.leaseMs);
    const counts = { delivered: 0, failed: 0, retrying: 0 };
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const row = due[next++]!;
        counts[await this.deliverOne(row)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, due.length) }, worker));
    return counts;
  }

  private async deliverOne(row: OutboxRow): Promise<'delivered' | 'failed' | 'retrying'> {
    let answer: Delivery;
    try {
      answer = await this.client.post(row.receiver, row.service, row.payload, row.message_id, 'outbox');
    } catch (err) {
      await this.repo.retryOutboxLater(this.db, row.message_id, retryDelayMs(this.settings, row.attempts), (err as Error).message, null);
      return 'retrying';
    }
    const error = responseError(answer.response);
    if (error && TRANSIENT_CODES.has(error.code)) {
      await this.repo.retryOutboxLater(this.db, row.message_id, retryDelayMs(this.settings, row.attempts), `${error.code}: ${error.message}`, answer.request);
      return 'retrying';
    }
    const status = error ? 'failed' : 'delivered';
    await this.commits.run(async (trx) => {
      await this.repo.finishOutbox(trx, row.message_id, status, answer.request, answer.response, answer.batch?.request.id ?? null);
      await this.listeners.get(row.service)?.(answer.request, answer.response, trx);
      // A batched message is in its batch's audit entry (written when the batch was answered).
      if (!answer.batch) await this.recordSent(trx, answer.request, answer.response, error?.code);
    });
    return status;
  }

  /**
   * Sends now and returns the verified answer (for queries). The exchange is kept in the outbox
   * table like any other — written once, with its answer — but never retried: the caller is
   * waiting for it, and a query has nothing to apply twice.
   */
  async request(receiver: string, service: string, payload: Record<string, unknown>): Promise<Message> {
    const messageId = newMessageId();
    let answer: Delivery;
    try {
      answer = await this.client.post(receiver, service, payload, messageId, 'query');
    } catch (err) {
      await this.repo.recordRequests(this.db, [{ message_id: messageId, receiver, service, payload, status: 'failed', last_error: (err as Error).message, request: null, response: null }]);
      if (err instanceof TransportError) throw new AppError('SERVICE_UNAVAILABLE', `Node ${receiver} could not be reached: ${err.message}`);
      throw err;
    }
    if (answer.batch) return answer.response; // recorded with its batch, before it was handed out
    const error = responseError(answer.response);
    // One statement with its audit entry: atomic without a transaction, one round trip on the caller's path.
    await this.repo.recordRequestsWithAudit(this.db, [{
      message_id: messageId, receiver, service, payload, status: error ? 'failed' : 'delivered', last_error: error?.code ?? null, request: answer.request, response: answer.response,
    }], this.audit.appendCtes(sentEntry(answer.request, answer.response, error?.code)));
    return answer.response;
  }

  /**
   * An answered batch, in one statement: both signed headers (the proof of every member), the
   * queries it carried (outbox rows are finished by their own delivery), and one audit entry.
   */
  private async recordBatch(sent: SentBatch): Promise<void> {
    const batchId = sent.request.id;
    const request = headerOf(sent.request);
    const response = headerOf(sent.response);
    const outcome = (m: Message) => {
      const error = responseError(m);
      return error ? `refused:${error.code}` : 'accepted';
    };
    // One statement, so atomic without a transaction and one round trip on the callers' path.
    await this.repo.recordSentBatch(this.db, { direction: 'out', peer: sent.receiver, batch_id: batchId, request, response },
      sent.answered.filter((a) => a.kind === 'query').map((a) => {
        const error = responseError(a.response);
        return {
          message_id: a.request.id, receiver: sent.receiver, service: a.service, payload: a.payload, status: error ? 'failed' : 'delivered',
          last_error: error?.code ?? null, request: a.request, response: a.response, batch_id: batchId,
        };
      }),
      this.audit.appendCtes({
        actor: `node:${this.nodeId}`, action: 'exchange.out.batch', entityType: 'exchange_batch', entityId: `${sent.receiver}/${batchId}`,
        detail: {
          requestHash: envelopeHash(request), responseHash: envelopeHash(response), responseId: response.id,
          members: sent.answered.map((a) => ({ id: a.request.id, service: a.service, outcome: outcome(a.response) })),
        },
      }));
  }

  private async recordSent(trx: Executor, request: Message, response: Message, errorCode: string | undefined): Promise<void> {
    await this.audit.append(sentEntry(request, response, errorCode), trx);
  }

  counts(): Promise<Record<string, number>> {
    return this.repo.outboxCounts(this.db);
  }
  entry(messageId: string): Promise<OutboxRow | undefined> {
    return this.repo.outboxEntry(this.db, messageId);
  }
}

/** The sender's audit entry for a message answered alone. */
function sentEntry(request: Message, response: Message, errorCode: string | undefined): AuditEntry {
  return {
    actor: `node:${request.sender}`, action: `exchange.out.${request.service}`, entityType: 'exchange_message', entityId: `${request.receiver}/${request.id}`,
    detail: { outcome: errorCode ? `refused:${errorCode}` : 'accepted', requestHash: envelopeHash(request), responseHash: envelopeHash(response), responseId: response.id },
  };
}
