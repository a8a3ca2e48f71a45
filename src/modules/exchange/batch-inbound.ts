/**
 * The receiving side of batch envelopes (docs/exchange.md §2.1). The batch as a whole is checked
 * like an envelope — shape, receiver, trusted sender, one signature, clock — then each member on
 * its own: that it belongs to the batch (sender, receiver, digest), its clock, the service and
 * the sender's right to it, and its message id (a replay is answered with the original
 * response, found by the inbox insert itself). New members are applied, recorded and answered in one transaction with the batch's
 * signed headers and one audit entry for the batch; the answer is one signed batch response.
 * If that transaction fails (a member's service refused mid-way, or a concurrent delivery of
 * the same message), the members are handled one at a time, each exactly once as for a single
 * envelope, and the batch answered the same way.
 */
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import type { Executor } from '../../platform/db/database.js';
import { GroupCommit } from '../../platform/db/group-commit.js';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import type { AuditEntry, AuditService } from '../audit/service.js';
import { batchProblems, headerOf, memberDigest, signBatch, verifyBatchHeader, type Batch, type Message } from './batch.js';
import { contentHash, envelopeHash, responseEnvelope, type Envelope } from './envelope.js';
import { errorPayload, type InboundProcessor, type ServiceHandler } from './inbound.js';
import { ExchangeRepository, type InboxRow, type PeerRow, type RefusalRecord } from './repository.js';
import type { ExchangeSettings } from './settings.js';
import type { TrustStore } from './trust.js';

export interface BatchResult { httpStatus: number; body: Batch | Envelope }

/** What became of one member. `stored`: kept in the inbox (an answer a retry gets again). */
interface Slot {
  member: Message;
  refusal?: { code: ErrorCode; message: string };
  handler?: ServiceHandler;
  hash?: string;
  prepared?: unknown;
  /** A refusal by the service while preparing (kept) or an internal failure (not kept: a retry applies afresh). */
  failed?: AppError;
}
/** `refused`: refused by the protocol's checks (logged as a refusal), not answered by the service. */
interface Answer { response: Message; outcome: string; inbox?: Omit<InboxRow, 'received_at'>; refused?: boolean }

class NotAllClaimed extends Error {}

export class BatchReceiver {
  private readonly repo = new ExchangeRepository();
  private readonly commits: GroupCommit;

  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly keys: NodeKeyStore,
    private readonly audit: AuditService,
    private readonly trust: TrustStore,
    private readonly settings: ExchangeSettings,
    private readonly inbound: InboundProcessor,
  ) {
    this.commits = new GroupCommit(db);
  }

  async receive(body: unknown, now = new Date()): Promise<BatchResult> {
    const { problems, tooMany } = batchProblems(body, 'batch', this.settings.maxBatchMessages);
    const claimed = { ...(body && typeof body === 'object' && !Array.isArray(body) ? body : {}), service: 'batch' } as Partial<Message>;
    if (tooMany) return this.refuse(claimed, 'PAYLOAD_TOO_LARGE', `A batch holds at most ${this.settings.maxBatchMessages} messages here`);
    if (problems.length) return this.refuse(claimed, 'VALIDATION_FAILED', `The batch is malformed: ${problems.slice(0, 5).join('; ')}`);
    const batch = body as Batch;
    if (batch.receiver !== this.nodeId) return this.refuse(claimed, 'EXCHANGE_WRONG_RECEIVER', `This is node ${this.nodeId}, not ${batch.receiver}`);
    const peer = await this.trust.peer(batch.sender);
    if (!peer || peer.status !== 'active') return this.refuse(claimed, 'EXCHANGE_SENDER_UNKNOWN', `Node ${batch.sender} is not a trusted peer of ${this.nodeId}`);
    const header = headerOf(batch);
    const sig = await this.trust.checkSigned(batch.sender, batch.keyId, (publicKey) => verifyBatchHeader(header, publicKey), now);
    if (!sig.ok) return this.refuse(claimed, 'EXCHANGE_SIGNATURE_INVALID', `Batch signature refused: ${sig.reason}`);
    const skewMs = Math.abs(Date.parse(batch.timestamp) - now.getTime());
    if (skewMs > this.settings.clockSkewSeconds * 1000) {
      return this.refuse(claimed, 'EXCHANGE_CLOCK_SKEW', `The batch timestamp is ${Math.round(skewMs / 1000)} s from this node's clock (at most ${this.settings.clockSkewSeconds} s)`);
    }
    const slots = await this.check(batch, peer, now);
    await this.keys.activeKey('node'); // warm the key cache: no reads of the base handle inside the transaction
    let answer: Batch;
    try {
      answer = await this.commits.run((trx) => this.handleTogether(trx, batch, slots));
    } catch {
      // NotAllClaimed (a member was delivered concurrently), a service's refusal mid-transaction,
      // or any failure: each member is then handled on its own, exactly once.
      answer = await this.handleOneByOne(batch, slots);
    }
    return { httpStatus: 200, body: answer };
  }

  private async refuse(claimed: Partial<Message>, code: ErrorCode, message: string): Promise<BatchResult> {
    const { httpStatus, envelope } = await this.inbound.refuse(claimed, code, message);
    return { httpStatus, body: envelope };
  }

  /**
   * Member checks that need no transaction, and the services' `prepare` reads. Replays are not
   * looked up here: a database round trip costs more than anything else on a batch's path, and
   * a replay is the exception (a retry after a failure). The fast path's inbox insert finds it
   * (a member already there is not inserted), and the one-by-one path then answers it.
   */
  private async check(batch: Batch, peer: PeerRow, now: Date): Promise<Slot[]> {
    const slots = batch.members.map((member, i): Slot => {
      const refuse = (code: ErrorCode, message: string): Slot => ({ member, refusal: { code, message } });
      if (member.sender !== batch.sender || member.receiver !== batch.receiver) {
        return refuse('EXCHANGE_BATCH_MEMBER_INVALID', `Member ${member.id} names ${member.sender} → ${member.receiver}, the batch ${batch.sender} → ${batch.receiver}`);
      }
      if (memberDigest(member) !== batch.digests[i]) return refuse('EXCHANGE_BATCH_MEMBER_INVALID', `Member ${member.id} does not match digest ${i} of the signed batch`);
      const skewMs = Math.abs(Date.parse(member.timestamp) - now.getTime());
      if (skewMs > this.settings.clockSkewSeconds * 1000) return refuse('EXCHANGE_CLOCK_SKEW', `The timestamp is ${Math.round(skewMs / 1000)} s from this node's clock`);
      const handler = this.inbound.handler(member.service);
      if (!handler) return refuse('NOT_FOUND', `This node offers no service "${member.service}"`);
      if (!peer.allowed_services.includes(member.service)) return refuse('EXCHANGE_SERVICE_DENIED', `Node ${member.sender} may not call "${member.service}" here`);
      return { member, handler, hash: contentHash(member) };
    });
    await Promise.all(slots.filter((s) => s.handler?.prepare).map(async (s) => {
      try {
        s.prepared = await s.handler!.prepare!(s.member.payload, { sender: s.member.sender, messageId: s.member.id, envelope: s.member });
      } catch (err) {
        s.failed = err instanceof AppError ? err : new AppError('INTERNAL', (err as Error).message);
      }
    }));
    return slots;
  }

  /** The fast path: every new member applied and recorded, and the batch answered, in one transaction. */
  private async handleTogether(trx: Executor, batch: Batch, slots: Slot[]): Promise<Batch> {
    const answers: Answer[] = [];
    const refusals: RefusalRecord[] = [];
    for (const s of slots) {
      const { member } = s;
      // Addressed to the batch's (authenticated) sender, also when a stray member claims another.
      const reply = (status: 'ok' | 'error', payload: Record<string, unknown>) => responseEnvelope(this.nodeId, batch.sender, member.service, member.id, status, payload);
      const keep = (response: Message, httpStatus: number, outcome: string): Answer => ({
        response, outcome,
        inbox: { sender: member.sender, message_id: member.id, service: member.service, content_hash: s.hash!, request: member, response, http_status: httpStatus, batch_id: batch.id },
      });
      if (s.refusal) {
        const response = reply('error', errorPayload(s.refusal.code, s.refusal.message));
        refusals.push({ claimed_sender: batch.sender, message_id: member.id, service: member.service, code: s.refusal.code, request_excerpt: excerpt(member), response, batch_id: batch.id });
        answers.push({ response, outcome: `refused:${s.refusal.code}`, refused: true });
      } else if (s.failed && s.failed.status >= 500) {
        answers.push({ response: reply('error', errorPayload(s.failed.code, s.failed.message)), outcome: `failed:${s.failed.code}` });
      } else if (s.failed) {
        answers.push(keep(reply('error', errorPayload(s.failed.code, s.failed.message)), s.failed.status, `refused:${s.failed.code}`));
      } else {
        const payload = await s.handler!.apply(member.payload, { sender: member.sender, messageId: member.id, envelope: member }, s.prepared, trx);
        answers.push(keep(reply('ok', payload), 200, 'accepted'));
      }
    }
    const answer = await this.signAnswer(batch, answers.map((a) => a.response));
    const rows = answers.flatMap((a) => (a.inbox ? [a.inbox] : []));
    const proof = { direction: 'in' as const, peer: batch.sender, batch_id: batch.id, request: headerOf(batch), response: headerOf(answer) };
    const audit = this.audit.appendCtes(this.batchEntry(batch, answer, answers));
    if ((await this.repo.insertBatchWithInbox(trx, proof, rows, audit)).size !== rows.length) throw new NotAllClaimed();
    await this.repo.insertRefusals(trx, refusals);
    await this.auditRefusals(trx, batch, answers);
    return answer;
  }

  /** The slow path: each new member exactly once on its own, as a single envelope would be. */
  private async handleOneByOne(batch: Batch, slots: Slot[]): Promise<Batch> {
    await this.repo.insertBatch(this.db, { direction: 'in', peer: batch.sender, batch_id: batch.id, request: headerOf(batch), response: null });
    const answers: Answer[] = [];
    for (const s of slots) {
      const { member } = s;
      if (s.refusal) {
        answers.push({ response: await this.inbound.refuseMember({ ...member, sender: batch.sender }, s.refusal.code, s.refusal.message, batch.id), outcome: `refused:${s.refusal.code}` });
      } else {
        try {
          const { httpStatus, response, replayed } = await this.inbound.apply(member, s.handler!, s.hash!, batch.id);
          answers.push({ response, outcome: replayed ? 'replayed' : httpStatus === 200 ? 'accepted' : `refused:${errorCode(response)}` });
        } catch (err) {
          const e = err instanceof AppError ? err : new AppError('INTERNAL', 'The message could not be applied; send it again');
          answers.push({ response: responseEnvelope(this.nodeId, batch.sender, member.service, member.id, 'error', errorPayload(e.code, e.message)), outcome: `failed:${e.code}` });
        }
      }
    }
    const answer = await this.signAnswer(batch, answers.map((a) => a.response));
    await this.repo.setBatchResponse(this.db, 'in', batch.sender, batch.id, headerOf(answer));
    // Refused members were logged (and audited) one by one above.
    await this.audit.append(this.batchEntry(batch, answer, answers), this.db);
    return answer;
  }

  private async signAnswer(batch: Batch, responses: Message[]): Promise<Batch> {
    const { keyId, pair } = await this.keys.activeKey('node');
    return signBatch({ type: 'batch-response', inReplyTo: batch.id, sender: this.nodeId, receiver: batch.sender }, responses, keyId, pair);
  }

  /**
   * One audit entry for the whole batch: the SM3 of both signed headers (which commit to every
   * member's digest) and each member's outcome.
   */
  private batchEntry(batch: Batch, answer: Batch, answers: Answer[]): AuditEntry {
    return {
      actor: `node:${batch.sender}`, action: 'exchange.in.batch', entityType: 'exchange_batch', entityId: `${batch.sender}/${batch.id}`,
      detail: {
        requestHash: envelopeHash(headerOf(batch)), responseHash: envelopeHash(headerOf(answer)), responseId: answer.id,
        members: batch.members.map((m, i) => ({ id: m.id, service: m.service, outcome: answers[i]!.outcome })),
      },
    };
  }

  /** Members refused by the protocol's checks also get the usual refusal entry. */
  private async auditRefusals(trx: Executor, batch: Batch, answers: Answer[]): Promise<void> {
    for (const [i, a] of answers.entries()) {
      if (!a.refused) continue;
      const m = batch.members[i]!;
      const { code, message } = (a.response.payload as { error: { code: string; message: string } }).error;
      await this.audit.append({
        actor: `node:${batch.sender}`, action: 'exchange.in.refused', entityType: 'exchange_message', entityId: `${batch.sender}/${m.id}`,
        detail: { code, message, batchId: batch.id, responseHash: envelopeHash(a.response), responseId: a.response.id },
      }, trx);
    }
  }
}

function errorCode(response: Message): string {
  return ((response.payload as { error?: { code?: string } }).error?.code) ?? 'refused';
}

function excerpt(value: unknown): string {
  return JSON.stringify(value).slice(0, 2000);
}
