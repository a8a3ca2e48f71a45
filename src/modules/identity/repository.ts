/** SQL for persons, companies, accounts, sessions, login throttling, 代办 grants and local units. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export interface PersonRow {
  id: string; name: string; resident_id_enc: string; resident_id_bidx: string; resident_id_masked: string;
  birth_date: string; sex: 'M' | 'F'; region_code: string; phone_enc: string | null; phone_bidx: string | null;
  phone_masked: string | null; assurance_level: 1 | 2; verified_at: Date | null; verified_by: string | null;
  version: number; created_at: Date; updated_at: Date;
}
export interface CompanyRow {
  id: string; uscc: string; name: string; entity_type: string; region_code: string;
  legal_representative: string; version: number; created_at: Date;
}
export interface UserRow {
  id: string; username: string; password_hash: string; display_name: string; person_id: string | null;
  company_id: string | null; roles: string[]; region_code: string | null; department: string | null;
  status: 'active' | 'disabled'; version: number; created_at: Date;
}
export interface GrantRow {
  id: string; grantor_person_id: string; grantee_user_id: string; relationship: string; matters: string[];
  purpose: string; consent_statement: string; consent_channel: 'online' | 'counter'; recorded_by: string;
  consented_at: Date; expires_at: Date; revoked_at: Date | null; version: number;
}

export interface SessionActorRow extends Pick<UserRow, 'id' | 'username' | 'display_name' | 'person_id' | 'company_id' | 'roles' | 'region_code' | 'department'> {
  assurance_level: 1 | 2 | null;
  session_expires_at: Date;
  grants: { id: string; grantor_person_id: string; matters: string[]; expires_at: string }[];
}

export class IdentityRepository {
  insertPerson(db: Executor, row: Omit<PersonRow, 'created_at' | 'updated_at' | 'version' | 'verified_at' | 'verified_by'> & Partial<Pick<PersonRow, 'verified_at' | 'verified_by'>>) {
    return db.insertInto('persons').values(row).returningAll().executeTakeFirstOrThrow() as Promise<PersonRow>;
  }
  personById(db: Executor, id: string) {
    return db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst() as Promise<PersonRow | undefined>;
  }
  personByBlindIndex(db: Executor, bidx: string) {
    return db.selectFrom('persons').selectAll().where('resident_id_bidx', '=', bidx).executeTakeFirst() as Promise<PersonRow | undefined>;
  }
  /** Optimistic update: returns undefined when `version` is stale. */
  updatePerson(db: Executor, id: string, version: number, changes: Partial<PersonRow>) {
    return db.updateTable('persons').set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst() as Promise<PersonRow | undefined>;
  }

  insertCompany(db: Executor, row: Omit<CompanyRow, 'id' | 'version' | 'created_at'>) {
    return db.insertInto('companies').values(row).returningAll().executeTakeFirstOrThrow() as Promise<CompanyRow>;
  }
  companyById(db: Executor, id: string) {
    return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst() as Promise<CompanyRow | undefined>;
  }
  companyByUscc(db: Executor, uscc: string) {
    return db.selectFrom('companies').selectAll().where('uscc', '=', uscc).executeTakeFirst() as Promise<CompanyRow | undefined>;
  }

  insertUser(db: Executor, row: Omit<UserRow, 'id' | 'version' | 'created_at' | 'status'>) {
    return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow() as Promise<UserRow>;
  }
  userByUsername(db: Executor, username: string) {
    return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst() as Promise<UserRow | undefined>;
  }
  userById(db: Executor, id: string) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst() as Promise<UserRow | undefined>;
  }
  /** Display names of several users in one round trip (lists of grants name their grantees). */
  async displayNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute() as Array<{ id: string; display_name: string }>;
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }
  /** Names and masked resident ids of several persons in one round trip (grants name their grantors). */
  async personLabels(db: Executor, ids: readonly string[]): Promise<Map<string, { name: string; residentIdMasked: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('persons').select(['id', 'name', 'resident_id_masked']).where('id', 'in', [...new Set(ids)]).execute() as Array<{ id: string; name: string; resident_id_masked: string }>;
    return new Map(rows.map((r) => [r.id, { name: r.name, residentIdMasked: r.resident_id_masked }]));
  }
  usersByPerson(db: Executor, personId: string) {
    return db.selectFrom('users').selectAll().where('person_id', '=', personId).execute() as Promise<UserRow[]>;
  }

  insertSession(db: Executor, row: { token_hash: string; user_id: string; expires_at: Date }) {
    return db.insertInto('sessions').values(row).execute();
  }
  /**
   * Everything a request's Actor needs in one round trip: the live session's user, the person's
   * assurance level and the user's live 代办 grants (was three queries per request).
   */
  async sessionActor(db: Executor, tokenHash: string): Promise<SessionActorRow | undefined> {
    const { rows } = await sql<SessionActorRow>`
      SELECT u.id, u.username, u.display_name, u.person_id, u.company_id, u.roles, u.region_code, u.department,
             p.assurance_level, s.expires_at AS session_expires_at,
             COALESCE((SELECT json_agg(json_build_object('id', g.id, 'grantor_person_id', g.grantor_person_id, 'matters', g.matters, 'expires_at', g.expires_at))
                       FROM agent_grants g WHERE g.grantee_user_id = u.id AND g.revoked_at IS NULL AND g.expires_at > now()), '[]'::json) AS grants
      FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN persons p ON p.id = u.person_id
      WHERE s.token_hash = ${tokenHash} AND s.revoked_at IS NULL AND s.expires_at > now() AND u.status = 'active'`.execute(db);
    return rows[0];
  }
  revokeSession(db: Executor, tokenHash: string) {
    return db.updateTable('sessions').set({ revoked_at: sql`now()` }).where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null).execute();
  }

  /** Failures within the window for a key; an old window restarts at zero. */
  async failures(db: Executor, key: string, windowSeconds: number): Promise<number> {
    const row = await db.selectFrom('auth_failures').select('failures').where('key', '=', key)
      .where('window_start', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`).executeTakeFirst();
    return row?.failures ?? 0;
  }
  async addFailure(db: Executor, key: string, windowSeconds: number): Promise<void> {
    await sql`
      INSERT INTO auth_failures (key, window_start, failures) VALUES (${key}, now(), 1)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN auth_failures.window_start > now() - make_interval(secs => ${windowSeconds})
                        THEN auth_failures.failures + 1 ELSE 1 END,
        window_start = CASE WHEN auth_failures.window_start > now() - make_interval(secs => ${windowSeconds})
                        THEN auth_failures.window_start ELSE now() END`.execute(db);
  }
  clearFailures(db: Executor, key: string) {
    return db.deleteFrom('auth_failures').where('key', '=', key).execute();
  }

  insertGrant(db: Executor, row: Omit<GrantRow, 'id' | 'consented_at' | 'revoked_at' | 'version'>) {
    return db.insertInto('agent_grants').values(row).returningAll().executeTakeFirstOrThrow() as Promise<GrantRow>;
  }
  grantById(db: Executor, id: string) {
    return db.selectFrom('agent_grants').selectAll().where('id', '=', id).executeTakeFirst() as Promise<GrantRow | undefined>;
  }
  grantsByGrantor(db: Executor, personId: string) {
    return db.selectFrom('agent_grants').selectAll().where('grantor_person_id', '=', personId)
      .orderBy('consented_at', 'desc').execute() as Promise<GrantRow[]>;
  }
  activeGrantsForGrantee(db: Executor, userId: string) {
    return db.selectFrom('agent_grants').selectAll().where('grantee_user_id', '=', userId)
      .where('revoked_at', 'is', null).where('expires_at', '>', sql<Date>`now()`).execute() as Promise<GrantRow[]>;
  }
  revokeGrant(db: Executor, id: string, version: number) {
    return db.updateTable('agent_grants').set({ revoked_at: sql`now()`, version: sql`version + 1` })
      .where('id', '=', id).where('version', '=', version).where('revoked_at', 'is', null)
      .returningAll().executeTakeFirst() as Promise<GrantRow | undefined>;
  }

  unitsUnder(db: Executor, parentCode: string) {
    return db.selectFrom('region_units').selectAll().where('parent_code', '=', parentCode)
      .where('retired_at', 'is', null).orderBy('code').execute() as Promise<{ code: string; parent_code: string; level: string; name: string }[]>;
  }
  unitByCode(db: Executor, code: string) {
    return db.selectFrom('region_units').selectAll().where('code', '=', code).executeTakeFirst() as Promise<{ code: string; parent_code: string; level: string; name: string } | undefined>;
  }
  insertUnit(db: Executor, row: { code: string; parent_code: string; level: string; name: string }) {
    return db.insertInto('region_units').values(row).execute();
  }
  /** Live units at or below a code, parents before children. */
  unitsWithin(db: Executor, code: string) {
    return db.selectFrom('region_units').selectAll().where('code', 'like', `${code}%`).where('retired_at', 'is', null)
      .orderBy(sql`length(code)`).orderBy('code').execute() as Promise<{ code: string; parent_code: string; level: string; name: string }[]>;
  }
  retireUnitsWithin(db: Executor, code: string) {
    return db.updateTable('region_units').set({ retired_at: sql`now()` }).where('code', 'like', `${code}%`).where('retired_at', 'is', null).execute();
  }
}
