/**
 * The exchange module's face to the rest of the node: trust (peers, keys), the inbound
 * processor with its registry of offered services, the outbox and synchronous requests.
 * Other modules register services and send messages through this; none touches the tables.
 */
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import type { Message } from './batch.js';
import { BatchReceiver } from './batch-inbound.js';
import { ExchangeClient } from './client.js';
import { InboundProcessor, type ServiceHandler } from './inbound.js';
import { Outbox, responseError, type DeliveryListener } from './outbox.js';
import { DEFAULT_EXCHANGE_SETTINGS, type ExchangeSettings } from './settings.js';
import { TrustStore } from './trust.js';
import { HttpTransport } from './transport.js';
import { OutgoingCases } from './outgoing-cases.js';
import { CrossProvinceCases, type PersonLookup } from './cases-service.js';
import { CrossProvinceFlows, type CaseHandler } from './flows.js';
import { DataSharingService, type IdentitySource } from './data-sharing.js';

/** Services a peer may be allowed to call here (the access rights an administrator grants). */
export const EXCHANGE_SERVICES = ['ping', 'case.forward', 'case.status', 'case.result', 'data.access-request', 'data.query'] as const;

export class ExchangeService {
  readonly settings: ExchangeSettings;
  readonly trust: TrustStore;
  readonly inbound: InboundProcessor;
  /** Batch envelopes in (docs/exchange.md §2.1). */
  readonly batches: BatchReceiver;
  readonly outbox: Outbox;
  readonly flows: CrossProvinceFlows;
  /** This node's record of the cases it forwarded (the cases themselves live at their owning nodes). */
  readonly outgoing: OutgoingCases;
  readonly cases: CrossProvinceCases;
  readonly sharing: DataSharingService;
  /** The HTTP connections to peers (one keep-alive pool per node). */
  readonly transport = new HttpTransport();

  /**
   * `caseHandler` files cases forwarded to this node as applications (the applications module,
   * through src/adapters.ts). Without it this node forwards cases but owns none for others.
   */
  constructor(
    readonly db: Executor,
    readonly nodeId: string,
    keys: NodeKeyStore,
    audit: AuditService,
    people: PersonLookup & IdentitySource,
    blindIndexKey: Uint8Array,
    settings: Partial<ExchangeSettings> = {},
    caseHandler?: CaseHandler,
  ) {
    this.settings = { ...DEFAULT_EXCHANGE_SETTINGS, ...settings };
    this.trust = new TrustStore(db, nodeId, keys, audit, this.settings, () => this.inbound.services(), this.transport);
    this.inbound = new InboundProcessor(db, nodeId, keys, audit, this.trust, this.settings);
    this.batches = new BatchReceiver(db, nodeId, keys, audit, this.trust, this.settings, this.inbound);
    this.outbox = new Outbox(db, new ExchangeClient(nodeId, keys, this.trust, this.settings, this.transport, (request) => this.inbound.receiveOwn(request)), audit, this.settings, nodeId);
    this.inbound.register('ping', { apply: async (payload) => ({ pong: true, echo: payload }) });
    this.outgoing = new OutgoingCases(db, nodeId);
    this.flows = new CrossProvinceFlows(this, this.outgoing, caseHandler);
    this.cases = new CrossProvinceCases(db, nodeId, this.outgoing, this.flows, people, audit);
    this.sharing = new DataSharingService(db, nodeId, this, people, audit, blindIndexKey);
  }

  /** Offers a service to peers (each peer still needs the right to call it). */
  offer(service: string, handler: ServiceHandler, onDelivered?: DeliveryListener): void {
    this.inbound.register(service, handler);
    if (onDelivered) this.outbox.onDelivered(service, onDelivered);
  }

  /** Queues a message in the caller's transaction; delivered by the outbox job. */
  send(trx: Executor, receiver: string, service: string, payload: Record<string, unknown>, messageId?: string): Promise<string> {
    return this.outbox.enqueue(trx, receiver, service, payload, messageId);
  }

  /** Asks a peer now; returns its payload, or throws its refusal as an error of this node's API. */
  async ask(receiver: string, service: string, payload: Record<string, unknown>): Promise<{ payload: Record<string, unknown>; response: Message }> {
    const response = await this.outbox.request(receiver, service, payload);
    const error = responseError(response);
    if (error) throw peerRefusal(receiver, error);
    return { payload: response.payload, response };
  }

  deliverDue() {
    return this.outbox.deliverDue();
  }

  /** Closes the connections to peers; the node is stopping. */
  close(): Promise<void> {
    return this.transport.close();
  }
}

/** A peer's signed refusal, turned into this node's error: the same code when it is a known one. */
function peerRefusal(receiver: string, error: { code: string; message: string }): AppError {
  const passThrough = ['CONSENT_REQUIRED', 'DATA_ACCESS_NOT_APPROVED', 'NOT_FOUND', 'VALIDATION_FAILED', 'INVALID_TRANSITION', 'CONFLICT'];
  if (passThrough.includes(error.code)) return new AppError(error.code as never, `${receiver}: ${error.message}`);
  return new AppError('EXCHANGE_PEER_REFUSED', `${receiver} refused: ${error.code} — ${error.message}`);
}
