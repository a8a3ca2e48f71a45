/** SQL for the exchange core: peers and their keys, endorsements, inbox, refusals and outbox. */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Envelope } from './envelope.js';
import type { BatchHeader, Message } from './batch.js';

export interface PeerRow {
  node_id: string; base_url: string; name: string; pinned_fingerprint: string; allowed_services: string[];
  status: 'active' | 'suspended'; added_by: string; added_at: Date; keys_checked_at: Date | null; version: number;
  /** What the peer's signed description says it accepts; null: single envelopes only. */
  batch_max_messages: number | null; batch_max_bytes: number | null;
}
export interface PeerKeyRow {
  node_id: string; key_id: string; public_key: string; fingerprint: string; endorsed_by: string | null;
  superseded_at: Date | null; revoked_at: Date | null; learned_at: Date;
}
export interface InboxRow {
  sender: string; message_id: string; service: string; content_hash: string; request: Message; response: Message;
  http_status: number; received_at: Date;
  /** Set when the message came in a batch: its proof is that batch's signed header (exchange_batches). */
  batch_id: string | null;
}
export interface BatchRow { direction: 'in' | 'out'; peer: string; batch_id: string; request: BatchHeader; response: BatchHeader | null; created_at: Date }
export interface OutboxRow {
  message_id: string; receiver: string; service: string; payload: Record<string, unknown>;
  status: 'pending' | 'delivered' | 'failed'; attempts: number; next_attempt_at: Date; last_error: string | null;
  request: Message | null; response: Message | null; created_at: Date; delivered_at: Date | null; batch_id: string | null;
}
export type RequestRecord = {
  message_id: string; receiver: string; service: string; payload: Record<string, unknown>; status: 'delivered' | 'failed'; last_error: string | null;
  request: Message | null; response: Message | null; batch_id?: string | null;
};

const json = (v: unknown) => JSON.stringify(v);

/** The batch-headers insert as a CTE (`batch_row`) of a larger statement. */
function batchCte(b: Omit<BatchRow, 'created_at'>) {
  return sql`batch_row AS (
    INSERT INTO exchange_batches (direction, peer, batch_id, request, response)
    VALUES (${b.direction}, ${b.peer}, ${b.batch_id}::uuid, ${json(b.request)}::json, ${b.response && json(b.response)}::json)
    ON CONFLICT (direction, peer, batch_id) DO NOTHING)`;
}

/** Answered synchronous requests as one JSON parameter (see insertBatchWithInbox), for the end of a WITH statement. */
function requestsInsert(rows: RequestRecord[]) {
  return rows.length === 0 ? sql`SELECT 1` : sql`
    INSERT INTO exchange_outbox (message_id, receiver, service, payload, status, attempts, last_error, request, response, delivered_at, batch_id)
    SELECT r.message_id, r.receiver, r.service, r.payload, r.status, 1, left(r.last_error, 500), r.request, r.response,
      CASE WHEN r.response IS NULL THEN NULL ELSE now() END, r.batch_id
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS r(message_id uuid, receiver text, service text, payload json, status text, last_error text, request json, response json, batch_id uuid)`;
}

function requestValues(row: RequestRecord) {
  return {
    ...row, payload: json(row.payload), attempts: 1, request: row.request && json(row.request), response: row.response && json(row.response),
    last_error: row.last_error?.slice(0, 500) ?? null, delivered_at: row.response ? sql`now()` : null, batch_id: row.batch_id ?? null,
  };
}

export interface RefusalRecord {
  claimed_sender: string | null; message_id: string | null; service: string | null; code: string; request_excerpt: string; response: Message; batch_id?: string | null;
}

export class ExchangeRepository {
  // ── Peers ──────────────────────────────────────────────────────────────────────────────
  peer(db: Executor, nodeId: string): Promise<PeerRow | undefined> {
    return db.selectFrom('exchange_peers').selectAll().where('node_id', '=', nodeId).executeTakeFirst() as Promise<PeerRow | undefined>;
  }
  peers(db: Executor): Promise<PeerRow[]> {
    return db.selectFrom('exchange_peers').selectAll().orderBy('node_id').execute() as Promise<PeerRow[]>;
  }
  async setPeerBatchCapability(db: Executor, nodeId: string, cap: { maxMessages: number; maxBytes: number } | null): Promise<void> {
    await db.updateTable('exchange_peers').set({ batch_max_messages: cap?.maxMessages ?? null, batch_max_bytes: cap?.maxBytes ?? null })
      .where('node_id', '=', nodeId).execute();
  }
  insertPeer(db: Executor, row: Omit<PeerRow, 'added_at' | 'keys_checked_at' | 'version'>): Promise<PeerRow> {
    return db.insertInto('exchange_peers').values({ ...row, keys_checked_at: null }).returningAll().executeTakeFirstOrThrow() as Promise<PeerRow>;
  }
  async updatePeer(db: Executor, nodeId: string, version: number, patch: Partial<Pick<PeerRow, 'allowed_services' | 'status' | 'base_url'>>): Promise<PeerRow | undefined> {
    return db.updateTable('exchange_peers').set({ ...patch, version: sql`version + 1` })
      .where('node_id', '=', nodeId).where('version', '=', version).returningAll().executeTakeFirst() as Promise<PeerRow | undefined>;
  }
  async markKeysChecked(db: Executor, nodeId: string): Promise<void> {
    await db.updateTable('exchange_peers').set({ keys_checked_at: sql`now()` }).where('node_id', '=', nodeId).execute();
  }

  peerKeys(db: Executor, nodeId: string): Promise<PeerKeyRow[]> {
    return db.selectFrom('exchange_peer_keys').selectAll().where('node_id', '=', nodeId).orderBy('learned_at').execute() as Promise<PeerKeyRow[]>;
  }
  async insertPeerKey(db: Executor, row: Omit<PeerKeyRow, 'learned_at' | 'superseded_at' | 'revoked_at'>): Promise<void> {
    await db.insertInto('exchange_peer_keys').values(row).onConflict((oc) => oc.columns(['node_id', 'key_id']).doNothing()).execute();
  }
  async setPeerKeyState(db: Executor, nodeId: string, keyId: string, state: { supersededAt?: Date; revokedAt?: Date }): Promise<void> {
    const set: Record<string, unknown> = {};
    if (state.supersededAt) set.superseded_at = sql`coalesce(superseded_at, ${state.supersededAt})`;
    if (state.revokedAt) set.revoked_at = sql`coalesce(revoked_at, ${state.revokedAt})`;
    if (Object.keys(set).length === 0) return;
    await db.updateTable('exchange_peer_keys').set(set).where('node_id', '=', nodeId).where('key_id', '=', keyId).execute();
  }

  // ── Own key endorsements ───────────────────────────────────────────────────────────────
  endorsements(db: Executor): Promise<{ key_id: string; endorsed_by: string; signature: string }[]> {
    return db.selectFrom('exchange_key_endorsements').select(['key_id', 'endorsed_by', 'signature']).execute() as never;
  }
  async insertEndorsement(db: Executor, row: { key_id: string; endorsed_by: string; signature: string }): Promise<void> {
    await db.insertInto('exchange_key_endorsements').values(row).execute();
  }

  // ── Inbox and refusals ─────────────────────────────────────────────────────────────────
  inboxEntry(db: Executor, sender: string, messageId: string): Promise<InboxRow | undefined> {
    return db.selectFrom('exchange_inbox').selectAll().where('sender', '=', sender).where('message_id', '=', messageId).executeTakeFirst() as Promise<InboxRow | undefined>;
  }
  /** The inbox rows of those of `messageIds` already received from `sender`. */
  async inboxEntries(db: Executor, sender: string, messageIds: string[]): Promise<InboxRow[]> {
    if (messageIds.length === 0) return [];
    return db.selectFrom('exchange_inbox').selectAll().where('sender', '=', sender).where('message_id', 'in', messageIds).execute() as Promise<InboxRow[]>;
  }
  /**
   * A received batch's signed headers, its answered messages and its audit entry (`audit`, CTEs
   * from AuditService.appendCtes), in one statement: one round trip. Returns the ids actually
   * inserted (a message delivered concurrently meanwhile is not).
   */
  async insertBatchWithInbox(trx: Executor, batch: Omit<BatchRow, 'created_at'>, rows: Omit<InboxRow, 'received_at'>[], audit: RawBuilder<unknown>): Promise<Set<string>> {
    // All rows as one JSON parameter, unpacked by PostgreSQL: one serialisation in Node instead of
    // eight parameters a row (the envelopes twice escaped), and a statement Kysely compiles in no time.
    const main = rows.length === 0 ? sql`SELECT NULL::uuid AS message_id WHERE false` : sql`
      INSERT INTO exchange_inbox (sender, message_id, service, content_hash, request, response, http_status, batch_id)
      SELECT r.sender, r.message_id, r.service, r.content_hash, r.request, r.response, r.http_status, r.batch_id
      FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS r(sender text, message_id uuid, service text, content_hash text, request json, response json, http_status integer, batch_id uuid)
      ON CONFLICT (sender, message_id) DO NOTHING RETURNING message_id`;
    const { rows: inserted } = await sql<{ message_id: string }>`WITH ${audit}, ${batchCte(batch)} ${main}`.execute(trx);
    return new Set(inserted.map((r) => r.message_id));
  }
  async insertBatch(trx: Executor, row: Omit<BatchRow, 'created_at'>): Promise<void> {
    await trx.insertInto('exchange_batches').values({ ...row, request: json(row.request), response: row.response && json(row.response) })
      .onConflict((oc) => oc.columns(['direction', 'peer', 'batch_id']).doNothing()).execute();
  }
  /**
   * A sent batch's signed headers, the synchronous requests it carried and its audit entry, in
   * one statement — atomic without a transaction, one round trip.
   */
  async recordSentBatch(db: Executor, batch: Omit<BatchRow, 'created_at'>, rows: RequestRecord[], audit: RawBuilder<unknown>): Promise<void> {
    await sql`WITH ${audit}, ${batchCte(batch)} ${requestsInsert(rows)}`.execute(db);
  }
  /** Synchronous requests answered alone, with their audit entry, in one statement (atomic, one round trip). */
  async recordRequestsWithAudit(db: Executor, rows: RequestRecord[], audit: RawBuilder<unknown>): Promise<void> {
    await sql`WITH ${audit} ${requestsInsert(rows)}`.execute(db);
  }
  async setBatchResponse(db: Executor, direction: 'in' | 'out', peer: string, batchId: string, response: BatchHeader): Promise<void> {
    await db.updateTable('exchange_batches').set({ response: json(response) })
      .where('direction', '=', direction).where('peer', '=', peer).where('batch_id', '=', batchId).execute();
  }
  /** Claims (sender, id) inside the caller's transaction; false when it was already there. */
  async claimInbox(trx: Executor, row: Omit<InboxRow, 'received_at'>): Promise<boolean> {
    const inserted = await trx.insertInto('exchange_inbox')
      .values({ ...row, request: json(row.request), response: json(row.response) })
      .onConflict((oc) => oc.columns(['sender', 'message_id']).doNothing()).returning('message_id').executeTakeFirst();
    return !!inserted;
  }
  async setInboxResponse(trx: Executor, sender: string, messageId: string, response: Message, httpStatus: number): Promise<void> {
    await trx.updateTable('exchange_inbox').set({ response: json(response), http_status: httpStatus })
      .where('sender', '=', sender).where('message_id', '=', messageId).execute();
  }
  async countInbox(db: Executor, service?: string): Promise<number> {
    let q = db.selectFrom('exchange_inbox').select((eb) => eb.fn.countAll<number>().as('n'));
    if (service) q = q.where('service', '=', service);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
  async insertRefusal(db: Executor, row: RefusalRecord): Promise<void> {
    await this.insertRefusals(db, [row]);
  }
  async insertRefusals(db: Executor, rows: RefusalRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('exchange_refusals').values(rows.map((row) => ({ ...row, response: json(row.response) }))).execute();
  }
  refusals(db: Executor, limit: number): Promise<{ claimed_sender: string | null; message_id: string | null; service: string | null; code: string; refused_at: Date }[]> {
    return db.selectFrom('exchange_refusals').select(['claimed_sender', 'message_id', 'service', 'code', 'refused_at'])
      .orderBy('refused_at', 'desc').limit(limit).execute() as never;
  }

  // ── Outbox ─────────────────────────────────────────────────────────────────────────────
  async enqueue(trx: Executor, row: { message_id: string; receiver: string; service: string; payload: Record<string, unknown> }): Promise<void> {
    await trx.insertInto('exchange_outbox').values({ ...row, payload: json(row.payload), status: 'pending' }).execute();
  }
  /**
   * Claims up to `limit` due messages by pushing their next attempt `leaseMs` ahead, so another
   * worker (or this one after a crash) only retries them once the lease has run out.
   */
  async claimDue(db: Executor, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const res = await sql<OutboxRow>`
      UPDATE exchange_outbox SET next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
      WHERE message_id IN (
        SELECT message_id FROM exchange_outbox WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at, created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(db);
    return res.rows;
  }
  async outboxEntry(db: Executor, messageId: string): Promise<OutboxRow | undefined> {
    return db.selectFrom('exchange_outbox').selectAll().where('message_id', '=', messageId).executeTakeFirst() as Promise<OutboxRow | undefined>;
  }
  async finishOutbox(trx: Executor, messageId: string, status: 'delivered' | 'failed', request: Message, response: Message, batchId: string | null = null): Promise<void> {
    await trx.updateTable('exchange_outbox').set({
      status, batch_id: batchId, request: json(request), response: json(response), delivered_at: sql`now()`, last_error: status === 'failed' ? (response.payload as { error?: { code?: string } }).error?.code ?? 'refused' : null,
    }).where('message_id', '=', messageId).execute();
  }
  async retryOutboxLater(db: Executor, messageId: string, delayMs: number, error: string, request: Message | null): Promise<void> {
    await db.updateTable('exchange_outbox').set({
      next_attempt_at: sql`now() + ${`${delayMs} milliseconds`}::interval`, last_error: error.slice(0, 500),
      ...(request ? { request: json(request) } : {}),
    }).where('message_id', '=', messageId).where('status', '=', 'pending').execute();
  }
  /** Synchronous requests, answered or not: each written once, when its outcome is known. */
  async recordRequests(db: Executor, rows: RequestRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('exchange_outbox').values(rows.map(requestValues)).execute();
  }
  async outboxCounts(db: Executor): Promise<Record<string, number>> {
    const rows = await db.selectFrom('exchange_outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status as string, Number(r.n)]));
  }
}
