/** SQL for the audit chain and the personal-data access log. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export interface AuditRow {
  seq: number; at: Date; node_id: string; actor: string; action: string;
  entity_type: string; entity_id: string; detail: unknown; prev_hash: string; hash: string;
}

export interface DataAccessRow {
  id: string; subject_person_id: string; actor_user_id: string | null; actor_label: string;
  actor_department: string | null; actor_node: string; purpose: string; fields: string[]; accessed_at: Date;
}

/** Any fixed number: the transaction-level lock that orders appends to the chain. */
const AUDIT_CHAIN_LOCK = 7_261_204;

export class AuditRepository {
  async lockChain(trx: Executor): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  }

  async head(db: Executor): Promise<{ seq: number; hash: string } | undefined> {
    return db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  async insert(trx: Executor, row: AuditRow): Promise<void> {
    await trx.insertInto('audit_log').values({ ...row, detail: JSON.stringify(row.detail) }).execute();
  }

  async batchAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditRow[]> {
    return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq)
      .orderBy('seq', 'asc').limit(limit).execute() as Promise<AuditRow[]>;
  }

  async list(db: Executor, filter: { entityType?: string; entityId?: string; beforeSeq?: number; limit: number }): Promise<AuditRow[]> {
    let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(filter.limit);
    if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
    if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
    if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
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

  async listDataAccess(db: Executor, personId: string, limit: number, before?: { at: Date; id: string }): Promise<DataAccessRow[]> {
    let q = db.selectFrom('data_access_log').selectAll().where('subject_person_id', '=', personId)
      .orderBy('accessed_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (before) {
      q = q.where((eb) => eb.or([
        eb('accessed_at', '<', before.at),
        eb.and([eb('accessed_at', '=', before.at), eb('id', '<', before.id)]),
      ]));
    }
    return q.execute() as Promise<DataAccessRow[]>;
  }
}
