/** Tunables of the exchange, with the protocol's defaults (docs/exchange.md). */
export interface ExchangeSettings {
  /** Largest accepted clock difference between a message's timestamp and this node's clock. */
  clockSkewSeconds: number;
  /** Largest accepted envelope, in bytes of JSON. */
  maxEnvelopeBytes: number;
  /** How long a replaced peer key still verifies (messages signed just before a rotation). */
  keyGraceSeconds: number;
  /** An unknown key id makes this node re-read the peer's description at most this often. */
  keyRefreshMinIntervalMs: number;
  /** Outbox retry delay: base × 2^(attempt−1), capped, with ±20 % jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claimed outbox message is reserved for the worker that claimed it. */
  leaseMs: number;
  /** Messages claimed per outbox run, and sent concurrently. */
  batchSize: number;
  concurrency: number;
  /** How long peers and peer keys read from the database are reused (changes made here drop them at once). */
  trustCacheMs: number;
  /** Send a queued message right after it is queued (the outbox job remains the fallback), after this delay. */
  deliverOnEnqueue: boolean;
  kickDelayMs: number;
  /** Accept batch envelopes (and say so in the node description), at most this many messages and bytes each. */
  acceptBatches: boolean;
  maxBatchMessages: number;
  maxBatchBytes: number;
  /** Send messages waiting for the same peer together, to peers that accept batches. */
  sendBatches: boolean;
  /** Requests (batches or single envelopes) in flight to one peer at once; further messages wait and go together. */
  peerInFlight: number;
}

export const DEFAULT_EXCHANGE_SETTINGS: ExchangeSettings = {
  clockSkewSeconds: 300,
  maxEnvelopeBytes: 512 * 1024,
  keyGraceSeconds: 24 * 3600,
  keyRefreshMinIntervalMs: 10_000,
  retryBaseMs: 1000,
  retryMaxMs: 5 * 60_000,
  leaseMs: 60_000,
  batchSize: 100,
  concurrency: 8,
  trustCacheMs: 2000,
  deliverOnEnqueue: true,
  kickDelayMs: 20,
  acceptBatches: true,
  maxBatchMessages: 256,
  maxBatchBytes: 4 * 1024 * 1024,
  sendBatches: true,
  peerInFlight: 4,
};

export function retryDelayMs(settings: ExchangeSettings, attempt: number, random = Math.random): number {
  const raw = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}
