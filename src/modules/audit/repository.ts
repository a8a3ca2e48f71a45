/** SQL for the audit chain and the personal-data access log. */
import { sql, type RawBuilder } from 'kysely';
import { afterKeyset, keysetMicros, type Keyset } from '../../platform/db/keyset.js';
import type { Executor } from '../../platform/db/database.js';

/** An entry as written: what happened, by whom, when, on which node. `id` orders arrival only. */
export interface AuditEntryRow {
  id: number; at: Date; node_id: string; actor: string; action: string;
  entity_type: string; entity_id: string; detail: unknown;
}

/** An entry with its place in the chain; `seq` and `hash` are null while it is still pending. */
export interface AuditRow extends AuditEntryRow { seq: number | null; hash: string | null }

/** One link of the chain, with its entry (null when the entry row is gone). */
export interface ChainLink {
  chain_seq: number; entry_id: number; prev_hash: string; hash: string; entry: AuditEntryRow | null;
}

export interface DataAccessRow {
  id: string; subject_person_id: string; actor_user_id: string | null; actor_label: string;
  actor_department: string | null; actor_node: string; purpose: string; fields: string[]; accessed_at: Date;
}

/** Any fixed number: the lock that lets one chainer at a time extend the chain (writers never take it). */
const AUDIT_CHAIN_LOCK = 7_261_204;

const ENTRY_COLUMNS = ['e.id', 'e.at', 'e.node_id', 'e.actor', 'e.action', 'e.entity_type', 'e.entity_id', 'e.detail'] as const;

export class AuditRepository {
  /**
   * `insertPending` as two named CTEs (`audit_entry`, `audit_queued`) for a caller's own
   * statement: the entry is written and queued atomically with it, in the same round trip.
   */
  pendingInsertCtes(row: Omit<AuditEntryRow, 'id'>): RawBuilder<unknown> {
    return sql`audit_entry AS (
        INSERT INTO audit_log (at, node_id, actor, action, entity_type, entity_id, detail)
        VALUES (${row.at}, ${row.node_id}, ${row.actor}, ${row.action}, ${row.entity_type}, ${row.entity_id}, ${JSON.stringify(row.detail)}::jsonb)
        RETURNING id
      ), audit_queued AS (INSERT INTO audit_pending (entry_id) SELECT id FROM audit_entry)`;
  }

  /** Inserts an entry and queues it for chaining; returns its id. No lock, no read of the chain. */
  async insertPending(trx: Executor, row: Omit<AuditEntryRow, 'id'>): Promise<number> {
    const { rows } = await sql<{ id: number }>`
      WITH e AS (
        INSERT INTO audit_log (at, node_id, actor, action, entity_type, entity_id, detail)
        VALUES (${row.at}, ${row.node_id}, ${row.actor}, ${row.action}, ${row.entity_type}, ${row.entity_id}, ${JSON.stringify(row.detail)}::jsonb)
        RETURNING id
      )
      INSERT INTO audit_pending (entry_id) SELECT id FROM e RETURNING entry_id AS id`.execute(trx);
    return rows[0]!.id;
  }

  /** Several entries in one statement (a batch of filings), queued in the order given. */
  async insertPendingMany(trx: Executor, rows: readonly Omit<AuditEntryRow, 'id'>[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      WITH e AS (
        INSERT INTO audit_log (at, node_id, actor, action, entity_type, entity_id, detail)
        SELECT at, node_id, actor, action, entity_type, entity_id, detail
        FROM jsonb_to_recordset(${JSON.stringify(rows.map((r, n) => ({ ...r, n })))}::jsonb) AS x(at timestamptz, node_id text, actor text, action text, entity_type text, entity_id text, detail jsonb, n integer)
        ORDER BY n
        RETURNING id
      )
      INSERT INTO audit_pending (entry_id) SELECT id FROM e`.execute(trx);
  }

  async lockChain(trx: Executor): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  }

  async head(db: Executor): Promise<{ seq: number; hash: string } | undefined> {
    return db.selectFrom('audit_chain').select(['chain_seq as seq', 'hash']).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
  }

  /** The oldest queued entries (committed ones only: the caller's snapshot). */
  async pendingBatch(trx: Executor, limit: number): Promise<AuditEntryRow[]> {
    return trx.selectFrom('audit_pending as p').innerJoin('audit_log as e', 'e.id', 'p.entry_id')
      .select([...ENTRY_COLUMNS]).orderBy('p.entry_id', 'asc').limit(limit).execute() as Promise<AuditEntryRow[]>;
  }

  async insertLinks(trx: Executor, links: { chain_seq: number; entry_id: number; prev_hash: string; hash: string }[]): Promise<void> {
    await trx.insertInto('audit_chain').values(links).execute();
    await trx.deleteFrom('audit_pending').where('entry_id', 'in', links.map((l) => l.entry_id)).execute();
  }

  /** Chain links after `afterSeq` in order, each with its entry (left join: a deleted entry shows as null). */
  async linksAfter(db: Executor, afterSeq: number, limit: number): Promise<ChainLink[]> {
    const rows = await db.selectFrom('audit_chain as c').leftJoin('audit_log as e', 'e.id', 'c.entry_id')
      .select(['c.chain_seq', 'c.entry_id', 'c.prev_hash', 'c.hash', ...ENTRY_COLUMNS])
      .where('c.chain_seq', '>', afterSeq).orderBy('c.chain_seq', 'asc').limit(limit).execute();
    return rows.map((r) => ({
      chain_seq: r.chain_seq, entry_id: r.entry_id, prev_hash: r.prev_hash, hash: r.hash,
      entry: r.id === null ? null : {
        id: r.id, at: r.at, node_id: r.node_id, actor: r.actor, action: r.action,
        entity_type: r.entity_type, entity_id: r.entity_id, detail: r.detail,
      },
    }));
  }

  /**
   * The first entry that is neither chained nor queued. In one statement, so one snapshot: the
   * chainer moves an entry from the queue to the chain in one transaction, so a committed entry
   * is always in one of them unless a queue row was deleted by someone else.
   */
  async firstOrphan(db: Executor): Promise<{ id: number; at: Date } | undefined> {
    return db.selectFrom('audit_log as e').select(['e.id', 'e.at'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('audit_chain as c').select('c.entry_id').whereRef('c.entry_id', '=', 'e.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('audit_pending as p').select('p.entry_id').whereRef('p.entry_id', '=', 'e.id'))))
      .orderBy('e.id', 'asc').limit(1).executeTakeFirst();
  }

  /** Entries newest first (by arrival), with their chain position when chained. */
  async list(db: Executor, filter: { entityType?: string; entityId?: string; beforeId?: number; limit: number }): Promise<AuditRow[]> {
    let q = db.selectFrom('audit_log as e').leftJoin('audit_chain as c', 'c.entry_id', 'e.id')
      .select([...ENTRY_COLUMNS, 'c.chain_seq as seq', 'c.hash']).orderBy('e.id', 'desc').limit(filter.limit);
    if (filter.entityType) q = q.where('e.entity_type', '=', filter.entityType);
    if (filter.entityId) q = q.where('e.entity_id', '=', filter.entityId);
    if (filter.beforeId !== undefined) q = q.where('e.id', '<', filter.beforeId);
    return q.execute() as Promise<AuditRow[]>;
  }

  async heads(db: Executor): Promise<{ seq: number; hash: string; key_id: string; signature: string; signed_at: Date }[]> {
    return db.selectFrom('audit_heads').selectAll().orderBy('seq', 'asc').execute() as never;
  }

  async lastSignedHead(db: Executor): Promise<{ seq: number } | undefined> {
    return db.selectFrom('audit_heads').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  async insertHead(db: Executor, head: { seq: number; hash: string; key_id: string; signature: string }): Promise<void> {
    await db.insertInto('audit_heads').values(head).onConflict((oc) => oc.column('seq').doNothing()).execute();
  }

  async insertDataAccess(trx: Executor, row: Omit<DataAccessRow, 'id' | 'accessed_at'>): Promise<void> {
    await trx.insertInto('data_access_log').values(row).execute();
  }

  async listDataAccess(db: Executor, personId: string, limit: number, before?: Keyset): Promise<(DataAccessRow & { keyset_us: string })[]> {
    let q = db.selectFrom('data_access_log').selectAll().select(keysetMicros('accessed_at').as('keyset_us')).where('subject_person_id', '=', personId)
      .orderBy('accessed_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (before) q = q.where(afterKeyset('accessed_at', 'id', before, 'desc'));
    return q.execute() as Promise<(DataAccessRow & { keyset_us: string })[]>;
  }
}
