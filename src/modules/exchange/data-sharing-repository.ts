/** SQL for the data-sharing catalogue, access requests, consents, the query log and source records. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type SharingClass = 'unconditional' | 'conditional' | 'not_shared';
export interface ResourceField { name: string; label: string }
export interface ResourceRow {
  code: string; name: string; owner_department: string; sharing_class: SharingClass; legal_basis: string; fields: ResourceField[]; api: string;
}
export interface AccessRequestRow {
  id: string; resource_code: string; requester_node: string; requester_department: string; requester_label: string; purpose: string;
  fields: string[]; status: 'pending' | 'approved' | 'rejected' | 'revoked'; approved_fields: string[] | null; approved_purpose: string | null;
  expires_at: Date | null; decided_by: string | null; decided_at: Date | null; version: number; created_at: Date;
}
export interface ConsentRow { id: string; person_id: string; access_request_id: string; granted_at: Date; revoked_at: Date | null; version: number }
export interface QueryLogRow {
  id: string; access_request_id: string; resource_code: string; subject_person_id: string; requester_node: string; requester_department: string;
  requester_label: string; purpose: string; fields: string[]; message_id: string | null; queried_at: Date;
}

export class DataSharingRepository {
  resources(db: Executor): Promise<ResourceRow[]> {
    return db.selectFrom('data_resources').selectAll().orderBy('code').execute() as Promise<ResourceRow[]>;
  }
  resource(db: Executor, code: string): Promise<ResourceRow | undefined> {
    return db.selectFrom('data_resources').selectAll().where('code', '=', code).executeTakeFirst() as Promise<ResourceRow | undefined>;
  }
  async insertResource(db: Executor, row: ResourceRow): Promise<void> {
    await db.insertInto('data_resources').values({ ...row, fields: JSON.stringify(row.fields) }).execute();
  }
  async insertSourceRecord(db: Executor, resourceCode: string, subjectKey: string, data: Record<string, unknown>): Promise<void> {
    await db.insertInto('data_source_records').values({ resource_code: resourceCode, subject_key: subjectKey, data: JSON.stringify(data) }).execute();
  }
  async sourceRecord(db: Executor, resourceCode: string, subjectKey: string): Promise<Record<string, unknown> | undefined> {
    const row = await db.selectFrom('data_source_records').select('data').where('resource_code', '=', resourceCode).where('subject_key', '=', subjectKey).executeTakeFirst();
    return row?.data as Record<string, unknown> | undefined;
  }

  insertRequest(db: Executor, row: Pick<AccessRequestRow, 'resource_code' | 'requester_node' | 'requester_department' | 'requester_label' | 'purpose' | 'fields'>): Promise<AccessRequestRow> {
    return db.insertInto('data_access_requests').values({ ...row, status: 'pending' }).returningAll().executeTakeFirstOrThrow() as Promise<AccessRequestRow>;
  }
  request(db: Executor, id: string): Promise<AccessRequestRow | undefined> {
    return db.selectFrom('data_access_requests').selectAll().where('id', '=', id).executeTakeFirst() as Promise<AccessRequestRow | undefined>;
  }
  requests(db: Executor, filter: { ownerDepartment?: string; status?: string; conditionalApprovedOnly?: boolean }): Promise<AccessRequestRow[]> {
    let q = db.selectFrom('data_access_requests as r').innerJoin('data_resources as d', 'd.code', 'r.resource_code').selectAll('r').orderBy('r.created_at', 'desc').limit(200);
    if (filter.ownerDepartment) q = q.where('d.owner_department', '=', filter.ownerDepartment);
    if (filter.status) q = q.where('r.status', '=', filter.status);
    if (filter.conditionalApprovedOnly) q = q.where('d.sharing_class', '=', 'conditional').where('r.status', '=', 'approved').where('r.expires_at', '>', new Date());
    return q.execute() as Promise<AccessRequestRow[]>;
  }
  decide(db: Executor, id: string, version: number, patch: Pick<AccessRequestRow, 'status' | 'approved_fields' | 'approved_purpose' | 'expires_at' | 'decided_by'>): Promise<AccessRequestRow | undefined> {
    return db.updateTable('data_access_requests').set({ ...patch, decided_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst() as Promise<AccessRequestRow | undefined>;
  }

  liveConsent(db: Executor, personId: string, requestId: string): Promise<ConsentRow | undefined> {
    return db.selectFrom('data_consents').selectAll().where('person_id', '=', personId).where('access_request_id', '=', requestId)
      .where('revoked_at', 'is', null).executeTakeFirst() as Promise<ConsentRow | undefined>;
  }
  consents(db: Executor, personId: string): Promise<ConsentRow[]> {
    return db.selectFrom('data_consents').selectAll().where('person_id', '=', personId).orderBy('granted_at', 'desc').execute() as Promise<ConsentRow[]>;
  }
  consent(db: Executor, id: string): Promise<ConsentRow | undefined> {
    return db.selectFrom('data_consents').selectAll().where('id', '=', id).executeTakeFirst() as Promise<ConsentRow | undefined>;
  }
  insertConsent(db: Executor, personId: string, requestId: string): Promise<ConsentRow> {
    return db.insertInto('data_consents').values({ person_id: personId, access_request_id: requestId }).returningAll().executeTakeFirstOrThrow() as Promise<ConsentRow>;
  }
  revokeConsent(db: Executor, id: string, version: number): Promise<ConsentRow | undefined> {
    return db.updateTable('data_consents').set({ revoked_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', id).where('version', '=', version).where('revoked_at', 'is', null).returningAll().executeTakeFirst() as Promise<ConsentRow | undefined>;
  }

  async logQuery(db: Executor, row: Omit<QueryLogRow, 'id' | 'queried_at'>): Promise<void> {
    await db.insertInto('data_query_log').values(row).execute();
  }
  queryLog(db: Executor, ownerDepartment: string | undefined, limit: number): Promise<QueryLogRow[]> {
    let q = db.selectFrom('data_query_log as l').innerJoin('data_resources as d', 'd.code', 'l.resource_code').selectAll('l').orderBy('l.queried_at', 'desc').limit(limit);
    if (ownerDepartment) q = q.where('d.owner_department', '=', ownerDepartment);
    return q.execute() as Promise<QueryLogRow[]>;
  }
}
