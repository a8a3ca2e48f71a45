/** SQL for licences, their authorities, status history and lists, trusted keys, presentations and loans. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type StatusCode = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '99';

export interface AuthorityRow { uscc: string; name: string; region_code: string; department: string }
export interface LicenceRow {
  id: string; identifier: string; type_code: string; authority_uscc: string; holder_kind: 'person' | 'company';
  holder_person_id: string | null; holder_company_id: string | null; region_code: string; status: StatusCode;
  status_reason: string | null; status_index: number; payload_enc: string; key_id: string; signature: string;
  issued_at: Date; issued_by: string; source_application: string | null; version: number;
}
export interface HistoryRow { from_status: StatusCode | null; to_status: StatusCode; reason: string; actor: string; at: Date }
export interface StatusListRow { node_id: string; authority_uscc: string; list_json: string; key_id: string; signature: string; updated_at: Date }
export interface TrustedKeyRow {
  key_id: string; node_id: string; public_key: string; fingerprint: string; status: 'active' | 'retired' | 'revoked';
  valid_from: Date; valid_to: Date | null; revoked_at: Date | null; source: string; imported_by: string; imported_at: Date; updated_at: Date;
}
export interface PresentationRow {
  id: string; licence_id: string; created_by: string; fields: string[]; age_at_least: number | null;
  purpose: string; expires_at: Date; created_at: Date;
}
export interface LoanRow {
  id: string; licence_id: string; application_ref: string; matter_code: string; matter_name: string; purpose: string;
  recipient_region_code: string; recipient_department: string | null; consent_statement: string; consented_by: string;
  consented_at: Date; expires_at: Date; revoked_at: Date | null; copy_enc: string; key_id: string; signature: string; version: number;
}

export class LicenceRepository {
  authorityByDepartment(db: Executor, department: string) {
    return db.selectFrom('licence_authorities').select(['uscc', 'name', 'region_code', 'department'])
      .where('department', '=', department).executeTakeFirst() as Promise<AuthorityRow | undefined>;
  }
  authorityByUscc(db: Executor, uscc: string) {
    return db.selectFrom('licence_authorities').select(['uscc', 'name', 'region_code', 'department'])
      .where('uscc', '=', uscc).executeTakeFirst() as Promise<AuthorityRow | undefined>;
  }
  async insertAuthority(db: Executor, row: AuthorityRow): Promise<void> {
    await db.insertInto('licence_authorities').values(row).onConflict((oc) => oc.column('uscc').doNothing()).execute();
  }
  authorities(db: Executor) {
    return db.selectFrom('licence_authorities').select(['uscc', 'name', 'region_code', 'department']).orderBy('uscc').execute() as Promise<AuthorityRow[]>;
  }

  /** Takes the next serial and status-list bit of an authority; the row lock orders issuers. */
  async allocate(trx: Executor, uscc: string): Promise<{ serial: number; statusIndex: number }> {
    const row = await sql<{ serial: number; status_index: number }>`
      UPDATE licence_authorities SET next_serial = next_serial + 1, next_status_index = next_status_index + 1
      WHERE uscc = ${uscc} RETURNING next_serial - 1 AS serial, next_status_index - 1 AS status_index`.execute(trx);
    const r = row.rows[0];
    if (!r) throw new Error(`no authority ${uscc}`);
    return { serial: Number(r.serial), statusIndex: Number(r.status_index) };
  }
  async lockAuthority(trx: Executor, uscc: string): Promise<number> {
    const r = await sql<{ n: number }>`SELECT next_status_index AS n FROM licence_authorities WHERE uscc = ${uscc} FOR UPDATE`.execute(trx);
    return Number(r.rows[0]?.n ?? 0);
  }

  insertLicence(db: Executor, row: Omit<LicenceRow, 'status' | 'status_reason' | 'version'> & { valid_from: string; valid_to: string | null }) {
    return db.insertInto('licences').values(row).returningAll().executeTakeFirstOrThrow() as Promise<LicenceRow>;
  }
  licenceById(db: Executor, id: string) {
    return db.selectFrom('licences').selectAll().where('id', '=', id).executeTakeFirst() as Promise<LicenceRow | undefined>;
  }
  /** The licence issued as the result of an application (at most one: unique index). */
  licenceBySourceApplication(db: Executor, applicationRef: string) {
    return db.selectFrom('licences').selectAll().where('source_application', '=', applicationRef).executeTakeFirst() as Promise<LicenceRow | undefined>;
  }
  licenceByIdentifier(db: Executor, identifier: string) {
    return db.selectFrom('licences').selectAll().where('identifier', '=', identifier).executeTakeFirst() as Promise<LicenceRow | undefined>;
  }
  /** A holder's licences, optionally of one type and only those usable today. */
  licencesOfHolder(db: Executor, holder: { personId?: string; companyId?: string }, opts: { typeCodes?: string[]; usableOn?: string } = {}) {
    let q = db.selectFrom('licences').selectAll().orderBy('issued_at', 'desc');
    q = holder.personId ? q.where('holder_person_id', '=', holder.personId) : q.where('holder_company_id', '=', holder.companyId ?? null);
    if (opts.typeCodes) q = q.where('type_code', 'in', opts.typeCodes);
    if (opts.usableOn) {
      const day = opts.usableOn;
      q = q.where('status', '=', '01').where('valid_from', '<=', sql<string>`${day}::date`)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', sql<string>`${day}::date`)]));
    }
    return q.execute() as Promise<LicenceRow[]>;
  }
  updateStatus(db: Executor, id: string, status: StatusCode, reason: string, version?: number) {
    let q = db.updateTable('licences').set({ status, status_reason: reason, version: sql`version + 1` }).where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    return q.returningAll().executeTakeFirst() as Promise<LicenceRow | undefined>;
  }
  async insertHistory(db: Executor, row: { licence_id: string; from_status: StatusCode | null; to_status: StatusCode; reason: string; actor: string }): Promise<void> {
    await db.insertInto('licence_status_history').values(row).execute();
  }
  history(db: Executor, licenceId: string) {
    return db.selectFrom('licence_status_history').select(['from_status', 'to_status', 'reason', 'actor', 'at'])
      .where('licence_id', '=', licenceId).orderBy('at', 'asc').orderBy('id', 'asc').execute() as Promise<HistoryRow[]>;
  }
  async notValidIndexes(db: Executor, uscc: string): Promise<number[]> {
    const rows = await db.selectFrom('licences').select('status_index').where('authority_uscc', '=', uscc).where('status', '!=', '01').execute();
    return rows.map((r) => Number(r.status_index));
  }

  async upsertStatusList(db: Executor, row: Omit<StatusListRow, 'updated_at'>): Promise<void> {
    await db.insertInto('licence_status_lists').values(row)
      .onConflict((oc) => oc.columns(['node_id', 'authority_uscc']).doUpdateSet({
        list_json: row.list_json, key_id: row.key_id, signature: row.signature, updated_at: sql`now()`,
      })).execute();
  }
  /** The other nodes' lists held here (node and authority only). */
  foreignStatusLists(db: Executor, ownNodeId: string) {
    return db.selectFrom('licence_status_lists').select(['node_id', 'authority_uscc']).where('node_id', '!=', ownNodeId)
      .orderBy('node_id').orderBy('authority_uscc').execute();
  }
  statusList(db: Executor, nodeId: string, uscc: string) {
    return db.selectFrom('licence_status_lists').selectAll().where('node_id', '=', nodeId).where('authority_uscc', '=', uscc)
      .executeTakeFirst() as Promise<StatusListRow | undefined>;
  }

  trustedKey(db: Executor, keyId: string) {
    return db.selectFrom('trusted_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst() as Promise<TrustedKeyRow | undefined>;
  }
  trustedKeys(db: Executor) {
    return db.selectFrom('trusted_keys').selectAll().orderBy('node_id').orderBy('valid_from').execute() as Promise<TrustedKeyRow[]>;
  }
  async upsertTrustedKey(db: Executor, row: Omit<TrustedKeyRow, 'imported_at' | 'updated_at'>): Promise<void> {
    await db.insertInto('trusted_keys').values(row).onConflict((oc) => oc.column('key_id').doUpdateSet({
      status: row.status, valid_to: row.valid_to, revoked_at: row.revoked_at, source: row.source, updated_at: sql`now()`,
    })).execute();
  }
  async deleteTrustedNode(db: Executor, nodeId: string): Promise<number> {
    const r = await db.deleteFrom('trusted_keys').where('node_id', '=', nodeId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  insertPresentation(db: Executor, row: Omit<PresentationRow, 'id' | 'created_at'>) {
    return db.insertInto('licence_presentations').values(row).returningAll().executeTakeFirstOrThrow() as Promise<PresentationRow>;
  }
  presentationById(db: Executor, id: string) {
    return db.selectFrom('licence_presentations').selectAll().where('id', '=', id).executeTakeFirst() as Promise<PresentationRow | undefined>;
  }

  insertLoan(db: Executor, row: Omit<LoanRow, 'id' | 'consented_at' | 'revoked_at' | 'version'> & { id: string }) {
    return db.insertInto('licence_loans').values(row).returningAll().executeTakeFirstOrThrow() as Promise<LoanRow>;
  }
  loanById(db: Executor, id: string) {
    return db.selectFrom('licence_loans').selectAll().where('id', '=', id).executeTakeFirst() as Promise<LoanRow | undefined>;
  }
  liveLoansOf(db: Executor, licenceId: string) {
    return db.selectFrom('licence_loans').selectAll().where('licence_id', '=', licenceId).where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`).execute() as Promise<LoanRow[]>;
  }
  loansOfLicences(db: Executor, licenceIds: string[]) {
    if (licenceIds.length === 0) return Promise.resolve([] as LoanRow[]);
    return db.selectFrom('licence_loans').selectAll().where('licence_id', 'in', licenceIds).orderBy('consented_at', 'desc').execute() as Promise<LoanRow[]>;
  }
  revokeLoan(db: Executor, id: string, version: number) {
    return db.updateTable('licence_loans').set({ revoked_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', id).where('version', '=', version).where('revoked_at', 'is', null).returningAll().executeTakeFirst() as Promise<LoanRow | undefined>;
  }
}
