/**
 * The sending side's wire: signs, posts and verifies. Messages to a peer that accepts batches
 * (its signed description says so) go through that peer's **lane**: while `peerInFlight`
 * requests to it are under way, further messages wait, and whatever is waiting when one comes
 * back leaves together as one signed batch — so batches form by themselves under load and a
 * message alone goes alone, as a plain envelope, with no timer adding latency. One SM2
 * signature and one verification each way then serve the whole batch.
 */
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../../platform/errors.js';
import { asSigned, batchProblems, headerOf, memberDigest, signBatch, verifyBatchHeader, type Batch, type Message } from './batch.js';
import { requestEnvelope, signEnvelope, type Envelope } from './envelope.js';
import { envelopeProblems } from './inbound.js';
import type { PeerRow } from './repository.js';
import type { ExchangeSettings } from './settings.js';
import { TransportError, type HttpTransport } from './transport.js';
import type { TrustStore } from './trust.js';

/** A verified answer to one message. `batch` when it went in a batch: the signed pair that proves both members. */
export interface Delivery { request: Message; response: Message; httpStatus: number; batch?: { request: Batch; response: Batch } }

/** Who is waiting: a synchronous query (recorded with its batch) or an outbox row (recorded by the outbox). */
export type SendKind = 'query' | 'outbox';

/** An answered batch, handed to the recorder before anyone waiting on it is told. */
export interface SentBatch {
  receiver: string; request: Batch; response: Batch;
  answered: { kind: SendKind; service: string; payload: Record<string, unknown>; request: Message; response: Message }[];
}

interface Waiting { kind: SendKind; service: string; payload: Record<string, unknown>; messageId: string; size: number; resolve(d: Delivery): void; reject(err: unknown): void }
interface Lane { queue: Waiting[]; inFlight: number; scheduled: boolean; noBatches: boolean; probed: boolean }

/** A body the peer answered a batch with that says "no such endpoint": a node that predates batches. */
class BatchesUnsupported extends Error {}
/** The peer found the batch too large after all (its limit is on bytes, ours an estimate): send its members alone. */
class BatchTooLarge extends Error {}

export class ExchangeClient {
  private readonly lanes = new Map<string, Lane>();
  /** Keeps an answered batch (proof, audit, query records) before its callers are resolved; set by the outbox. */
  recorder: (sent: SentBatch) => Promise<void> = async () => undefined;

  constructor(
    private readonly nodeId: string,
    private readonly keys: NodeKeyStore,
    private readonly trust: TrustStore,
    private readonly settings: ExchangeSettings,
    private readonly transport: HttpTransport,
    /** Receives a message this node sends itself (InboundProcessor.receiveOwn). */
    private readonly toSelf: (request: Envelope) => Promise<{ httpStatus: number; envelope: Envelope }>,
  ) {}

  /** Sends one message (a retry: same id, fresh timestamp and signature) and returns the verified answer. */
  async post(receiver: string, service: string, payload: Record<string, unknown>, messageId: string, kind: SendKind = 'outbox'): Promise<Delivery> {
    if (receiver === this.nodeId) return this.postToSelf(service, payload, messageId);
    const peer = await this.trust.peer(receiver);
    if (!peer || peer.status !== 'active') throw new AppError('NOT_FOUND', `Node ${receiver} is not a trusted peer`);
    const lane = this.lane(receiver);
    if (!this.batchesTo(peer, lane)) return this.postSingle(peer, service, payload, messageId);
    return new Promise<Delivery>((resolve, reject) => {
      // Bytes as sent (UTF-8: a Chinese character is 3), plus the member's envelope and digest.
      lane.queue.push({ kind, service, payload, messageId, size: Buffer.byteLength(JSON.stringify(payload)) + 400, resolve, reject });
      this.schedule(peer, lane);
    });
  }

  private lane(receiver: string): Lane {
    let lane = this.lanes.get(receiver);
    if (!lane) this.lanes.set(receiver, lane = { queue: [], inFlight: 0, scheduled: false, noBatches: false, probed: false });
    return lane;
  }

  private batchesTo(peer: PeerRow, lane: Lane): boolean {
    if (!this.settings.sendBatches || lane.noBatches) return false;
    if (peer.batch_max_messages === null && !lane.probed) {
      // A peer trusted before batches existed: read its description once to learn whether it takes them.
      lane.probed = true;
      void this.trust.refreshPeerKeys(peer.node_id).catch(() => undefined);
    }
    return (peer.batch_max_messages ?? 0) >= 2;
  }

  /** Sends what waits once the current turn of the event loop is over, so callers resolved together leave together. */
  private schedule(peer: PeerRow, lane: Lane): void {
    if (lane.scheduled || lane.inFlight >= this.settings.peerInFlight || lane.queue.length === 0) return;
    lane.scheduled = true;
    setImmediate(() => {
      lane.scheduled = false;
      while (lane.queue.length && lane.inFlight < this.settings.peerInFlight) {
        const group = this.take(peer, lane);
        lane.inFlight += 1;
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          lane.inFlight -= 1;
          this.schedule(peer, lane);
        };
        void this.sendGroup(peer, lane, group, release).finally(release);
      }
    });
  }

  /** The longest run of waiting messages within the peer's (and this node's) limits. */
  private take(peer: PeerRow, lane: Lane): Waiting[] {
    const maxMessages = Math.min(this.settings.maxBatchMessages, peer.batch_max_messages ?? 1);
    const maxBytes = Math.min(this.settings.maxBatchBytes, peer.batch_max_bytes ?? 0) - 2048;
    let n = 0;
    let bytes = 0;
    while (n < lane.queue.length && n < maxMessages && (n === 0 || bytes + lane.queue[n]!.size <= maxBytes)) bytes += lane.queue[n++]!.size;
    return lane.queue.splice(0, n);
  }

  private async sendGroup(peer: PeerRow, lane: Lane, group: Waiting[], release: () => void): Promise<void> {
    if (group.length === 1) {
      const [w] = group as [Waiting];
      await this.postSingle(peer, w.service, w.payload, w.messageId).then(w.resolve, w.reject);
      return;
    }
    let answered: Map<Waiting, Delivery | Error>;
    try {
      answered = await this.postGroup(peer, group);
    } catch (err) {
      if (err instanceof BatchesUnsupported || err instanceof BatchTooLarge) {
        if (err instanceof BatchesUnsupported) lane.noBatches = true;
        release();
        await Promise.all(group.map((w) => this.postSingle(peer, w.service, w.payload, w.messageId).then(w.resolve, w.reject)));
        return;
      }
      for (const w of group) w.reject(err);
      return;
    }
    release(); // the next batch may leave while this one is being recorded
    const ok = group.filter((w) => !(answered.get(w) instanceof Error));
    const first = answered.get(ok[0]!) as Delivery | undefined;
    try {
      if (first?.batch) {
        await this.recorder({
          receiver: peer.node_id, request: first.batch.request, response: first.batch.response,
          answered: ok.map((w) => ({ kind: w.kind, service: w.service, payload: w.payload, request: (answered.get(w) as Delivery).request, response: (answered.get(w) as Delivery).response })),
        });
      }
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    for (const w of group) {
      const d = answered.get(w)!;
      if (d instanceof Error) w.reject(d);
      else w.resolve(d);
    }
  }

  /** One batch: signed, posted, its answer verified member by member. */
  private async postGroup(peer: PeerRow, group: Waiting[]): Promise<Map<Waiting, Delivery | Error>> {
    const members = group.map((w): Message => requestEnvelope(this.nodeId, peer.node_id, w.service, w.payload, w.messageId));
    const { keyId, pair } = await this.keys.activeKey('node');
    const batch = signBatch({ type: 'batch', sender: this.nodeId, receiver: peer.node_id }, members, keyId, pair);
    const { httpStatus, body } = await this.transport.postBatch(peer.base_url, JSON.stringify(batch));
    const answer = body as Batch | Envelope;
    if (answer && typeof answer === 'object' && (answer as Batch).type === 'batch-response') {
      const response = await this.verifiedBatchResponse(peer, batch, answer as Batch);
      return new Map(group.map((w, i): [Waiting, Delivery | Error] => {
        const m = response.members[i]!;
        if (!isResponseTo(m, members[i]!)) return [w, new TransportError(`${peer.node_id} answered member ${i} of the batch with something else than its response`)];
        return [w, { request: members[i]!, response: m, httpStatus: memberStatus(m), batch: { request: batch, response } }];
      }));
    }
    // The whole batch refused with a signed error envelope (or not understood by an old node).
    if (httpStatus === 413) throw new BatchTooLarge();
    if (!isResponseTo(answer as Envelope, { ...batch, service: 'batch' } as unknown as Message)) {
      if (httpStatus === 404) throw new BatchesUnsupported();
      throw new TransportError(`${peer.node_id} answered HTTP ${httpStatus} without a signed response`);
    }
    const sig = await this.trust.checkSignature(answer as Envelope);
    if (!sig.ok) throw new TransportError(`the response of ${peer.node_id} is not validly signed: ${sig.reason}`);
    return new Map(group.map((w, i): [Waiting, Delivery | Error] => [w, { request: members[i]!, response: answer as Envelope, httpStatus }]));
  }

  private async verifiedBatchResponse(peer: PeerRow, batch: Batch, answer: Batch): Promise<Batch> {
    const { problems } = batchProblems(answer, 'batch-response', batch.members.length);
    if (problems.length || answer.sender !== peer.node_id || answer.receiver !== this.nodeId || answer.inReplyTo !== batch.id
      || answer.members.length !== batch.members.length || answer.members.some((m, i) => memberDigest(m) !== answer.digests[i])) {
      throw new TransportError(`${peer.node_id} answered the batch with a malformed batch response: ${problems.slice(0, 3).join('; ') || 'members and digests differ'}`);
    }
    const header = headerOf(answer);
    const sig = await this.trust.checkSigned(peer.node_id, answer.keyId, (publicKey) => verifyBatchHeader(header, publicKey));
    if (!sig.ok) throw new TransportError(`the batch response of ${peer.node_id} is not validly signed: ${sig.reason}`);
    return answer;
  }

  /** A message to this node itself (a 多地联办 part it owns): signed and kept like any other, handed over in process. */
  private async postToSelf(service: string, payload: Record<string, unknown>, messageId: string): Promise<Delivery> {
    const { keyId, pair } = await this.keys.activeKey('node');
    const request = signEnvelope(requestEnvelope(this.nodeId, this.nodeId, service, payload, messageId), keyId, pair);
    const { httpStatus, envelope } = await this.toSelf(request);
    return { request, httpStatus, response: envelope };
  }

  private async postSingle(peer: PeerRow, service: string, payload: Record<string, unknown>, messageId: string): Promise<Delivery> {
    const { keyId, pair } = await this.keys.activeKey('node');
    const request = signEnvelope(requestEnvelope(this.nodeId, peer.node_id, service, payload, messageId), keyId, pair);
    const { httpStatus, body } = await this.transport.postEnvelope(peer.base_url, request);
    const response = body as Envelope;
    if (!isResponseTo(response, request)) throw new TransportError(`${peer.node_id} answered HTTP ${httpStatus} without a signed response envelope`);
    const sig = await this.trust.checkSignature(response);
    if (!sig.ok) throw new TransportError(`the response of ${peer.node_id} is not validly signed: ${sig.reason}`);
    return { request, httpStatus, response };
  }
}

/** A member's outcome as the HTTP status it would have had alone (members carry no HTTP status of their own). */
function memberStatus(m: Message): number {
  if (m.status === 'ok') return 200;
  const code = (m.payload as { error?: { code?: string } }).error?.code;
  return ERROR_CATALOGUE[code as ErrorCode]?.status ?? 422;
}

/**
 * Whether `response` answers `request`: the sides swapped, its id in `inReplyTo` (an error may
 * lack it when the request had no readable id), a status. A member of a batch response has no
 * signature of its own unless it is an original answer replayed.
 */
function isResponseTo(response: Message, request: Message): boolean {
  if (!response || typeof response !== 'object') return false;
  const { inReplyTo, status, ...rest } = response;
  return envelopeProblems(rest, { signed: asSigned(response) }).length === 0 && response.sender === request.receiver && response.receiver === request.sender
    && (status === 'ok' || status === 'error') && (inReplyTo === request.id || (status === 'error' && inReplyTo === undefined));
}
