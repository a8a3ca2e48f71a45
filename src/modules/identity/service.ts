/**
 * Identity rules: who a person, company or official is, how they sign in, how a token becomes
 * an Actor for the access-control decision point, and the 代办 grants that let one user act
 * for another person. Other modules use this service, never the identity tables.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Executor } from '../../platform/db/database.js';
import type { ChangeFeed } from '../../platform/db/change-feed.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import {
  authorize, requirePermission, type Actor, type Role,
} from '../../platform/access/policy.js';
import { isWithinRegion } from '../../platform/access/region-scope.js';
import type { AuditService } from '../audit/service.js';
import { checkResidentId, maskResidentId } from './resident-id.js';
import { checkUscc } from './uscc.js';
import { maskPhone, PersonalDataVault } from './personal-data.js';
import { IdentityRepository, type CompanyRow, type PersonRow, type UserRow } from './repository.js';
import { actorFromRow, IdentityCache, personKey, sessionKey } from './identity-cache.js';
import { AgentGrants } from './grants.js';

export interface IdentitySettings {
  tokenTtlSeconds: number;
  loginMaxFailures: number;
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
}

/** A person as shown to someone: identifiers masked unless the viewer is the person. */
export interface PersonView {
  id: string; name: string; residentId: string; birthDate: string; sex: 'M' | 'F'; regionCode: string;
  phone: string | null; assuranceLevel: 1 | 2; version: number;
}
export interface CompanyView { id: string; uscc: string; name: string; entityType: string; regionCode: string; legalRepresentative: string }
export type { GrantView } from './grants.js';

export interface NewPerson { name: string; residentId: string; phone?: string; regionCode?: string; assuranceLevel?: 1 | 2 }
export interface NewUser {
  username: string; password: string; displayName: string; roles: Role[];
  personId?: string; companyId?: string; regionCode?: string; department?: string;
}

const PASSWORD_RULE = /^(?=.*[A-Za-z])(?=.*\d).{8,128}$/;

export class IdentityService {
  private readonly repo = new IdentityRepository();
  private readonly cache: IdentityCache;
  constructor(
    private readonly db: Executor,
    private readonly vault: PersonalDataVault,
    private readonly audit: AuditService,
    private readonly settings: IdentitySettings,
    /** Notifications of identity changes (PostgreSQL); without them nothing is cached. */
    feed?: ChangeFeed,
  ) {
    this.cache = new IdentityCache(feed);
    this.grants = new AgentGrants(db, this.repo, audit, this.cache);
  }
  /** 代办: persons letting a relative (or, recorded at a counter, someone) act for them. */
  readonly grants: AgentGrants;

  // ── Accounts and sessions ────────────────────────────────────────────────────────────────

  async login(username: string, password: string, address: string): Promise<{ token: string; user: { id: string; username: string; roles: string[] } }> {
    const keys = [`user:${username.toLowerCase()}`, `addr:${address}`];
    const limits = [this.settings.loginMaxFailures, this.settings.loginMaxFailuresPerAddress];
    for (const [i, key] of keys.entries()) {
      if ((await this.repo.failures(this.db, key, this.settings.loginWindowSeconds)) >= limits[i]!) {
        throw new AppError('RATE_LIMITED', 'Too many failed sign-ins; wait a few minutes and try again');
      }
    }
    const user = await this.repo.userByUsername(this.db, username);
    // Verify against a real hash even for unknown users so timing does not reveal which exist.
    const ok = await argonVerify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
    if (!user || !ok || user.status !== 'active') {
      for (const key of keys) await this.repo.addFailure(this.db, key, this.settings.loginWindowSeconds);
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    await this.repo.clearFailures(this.db, keys[0]!);
    const token = randomBytes(32).toString('base64url');
    await inTransaction(this.db, async (trx) => {
      await this.repo.insertSession(trx, {
        token_hash: sm3Hex(token), user_id: user.id,
        expires_at: new Date(Date.now() + this.settings.tokenTtlSeconds * 1000),
      });
      await this.audit.append({ actor: user.id, action: 'auth.login', entityType: 'user', entityId: user.id }, trx);
    });
    return { token, user: { id: user.id, username: user.username, roles: user.roles } };
  }

  async logout(token: string, actor: Actor): Promise<void> {
    const tokenHash = sm3Hex(token);
    await this.cache.announcing(this.db, [sessionKey(tokenHash)], async (trx) => {
      await this.repo.revokeSession(trx, tokenHash);
      await this.audit.append({ actor: actor.userId, action: 'auth.logout', entityType: 'user', entityId: actor.userId }, trx);
    });
  }

  /**
   * Resolves a bearer token to the actor the access-control decision point reasons about,
   * from memory while identity changes are being notified (see identity-cache.ts).
   */
  async authenticate(token: string): Promise<Actor | null> {
    const tokenHash = sm3Hex(token);
    return (await this.cache.actors.get(sessionKey(tokenHash), async () => {
      const row = await this.repo.sessionActor(this.db, tokenHash);
      if (!row) return undefined;
      const expiresAt = Math.min(new Date(row.session_expires_at).getTime(), ...row.grants.map((g) => new Date(g.expires_at).getTime()));
      return { value: actorFromRow(row), expiresAt };
    })) ?? null;
  }

  async createUser(input: NewUser, db: Executor = this.db): Promise<UserRow> {
    if (!PASSWORD_RULE.test(input.password)) {
      throw new AppError('VALIDATION_FAILED', 'The password needs at least 8 characters with letters and digits', [{ path: '$.password', message: 'too weak' }]);
    }
    if (await this.repo.userByUsername(db, input.username)) throw new AppError('DUPLICATE', 'That username is taken');
    return this.repo.insertUser(db, {
      username: input.username,
      password_hash: await argonHash(input.password),
      display_name: input.displayName,
      person_id: input.personId ?? null,
      company_id: input.companyId ?? null,
      roles: input.roles,
      region_code: input.regionCode ?? null,
      department: input.department ?? null,
    });
  }

  /** Self-registration of a resident: assurance L1 until verified at a counter. */
  async registerCitizen(input: { username: string; password: string; name: string; residentId: string; phone?: string }) {
    return inTransaction(this.db, async (trx) => {
      const person = await this.createPerson({ name: input.name, residentId: input.residentId, phone: input.phone }, trx);
      const user = await this.createUser({ username: input.username, password: input.password, displayName: input.name, roles: ['citizen'], personId: person.id }, trx);
      await this.audit.append({ actor: user.id, action: 'person.register', entityType: 'person', entityId: person.id }, trx);
      return { user, person: this.personView(person, true) };
    });
  }

  // ── Persons and companies ────────────────────────────────────────────────────────────────

  async createPerson(input: NewPerson, db: Executor = this.db): Promise<PersonRow> {
    const check = checkResidentId(input.residentId);
    if (!check.valid || !check.info) {
      throw new AppError('IDENTIFIER_INVALID', `The resident ID is not valid: ${check.errors.join('; ')}`, [{ path: '$.residentId', message: check.errors.join('; ') }]);
    }
    const residentId = input.residentId.trim().toUpperCase();
    const bidx = this.vault.blindIndex('resident_id', residentId);
    if (await this.repo.personByBlindIndex(db, bidx)) throw new AppError('DUPLICATE', 'A person with this resident ID is already registered');
    const id = randomUUID();
    return this.repo.insertPerson(db, {
      id,
      name: input.name,
      resident_id_enc: this.vault.encrypt('resident_id', id, residentId),
      resident_id_bidx: bidx,
      resident_id_masked: maskResidentId(residentId),
      birth_date: check.info.birthDate,
      sex: check.info.sex,
      region_code: input.regionCode ?? check.info.regionCode,
      phone_enc: input.phone ? this.vault.encrypt('phone', id, input.phone) : null,
      phone_bidx: input.phone ? this.vault.blindIndex('phone', input.phone) : null,
      phone_masked: input.phone ? maskPhone(input.phone) : null,
      assurance_level: input.assuranceLevel ?? 1,
    });
  }

  async createCompany(input: { uscc: string; name: string; legalRepresentative: string; regionCode?: string }, db: Executor = this.db): Promise<CompanyRow> {
    const check = checkUscc(input.uscc);
    if (!check.valid || !check.info) {
      throw new AppError('IDENTIFIER_INVALID', `The unified social credit code is not valid: ${check.errors.join('; ')}`, [{ path: '$.uscc', message: check.errors.join('; ') }]);
    }
    if (await this.repo.companyByUscc(db, input.uscc)) throw new AppError('DUPLICATE', 'A company with this code is already registered');
    return this.repo.insertCompany(db, {
      uscc: input.uscc.toUpperCase(), name: input.name, entity_type: check.info.entityTypeName,
      region_code: input.regionCode ?? check.info.regionCode, legal_representative: input.legalRepresentative,
    });
  }

  personView(row: PersonRow, unmasked: boolean): PersonView {
    return {
      id: row.id,
      name: row.name,
      residentId: unmasked ? this.vault.decrypt('resident_id', row.id, row.resident_id_enc) : row.resident_id_masked,
      birthDate: row.birth_date,
      sex: row.sex,
      regionCode: row.region_code,
      phone: row.phone_enc ? (unmasked ? this.vault.decrypt('phone', row.id, row.phone_enc) : row.phone_masked) : null,
      assuranceLevel: row.assurance_level,
      version: row.version,
    };
  }

  companyView(row: CompanyRow): CompanyView {
    return { id: row.id, uscc: row.uscc, name: row.name, entityType: row.entity_type, regionCode: row.region_code, legalRepresentative: row.legal_representative };
  }

  /** The signed-in user's own profile: their identifiers unmasked. */
  async me(actor: Actor) {
    const [person, company] = await Promise.all([
      actor.personId ? this.repo.personById(this.db, actor.personId) : undefined,
      actor.companyId ? this.repo.companyById(this.db, actor.companyId) : undefined,
    ]);
    return {
      user: { id: actor.userId, username: actor.username, roles: actor.roles, displayName: actor.label, regionCode: actor.regionCode ?? null, department: actor.department ?? null },
      person: person ? this.personView(person, true) : null,
      company: company ? this.companyView(company) : null,
    };
  }

  async updateMyPhone(actor: Actor, phone: string, version: number): Promise<PersonView> {
    if (!actor.personId) throw new AppError('FORBIDDEN', 'Only a person has a phone number on record');
    const personId = actor.personId;
    return this.cache.announcing(this.db, [personKey(personId)], async (trx) => {
      const row = await this.repo.updatePerson(trx, personId, version, {
        phone_enc: this.vault.encrypt('phone', personId, phone),
        phone_bidx: this.vault.blindIndex('phone', phone),
        phone_masked: maskPhone(phone),
      });
      if (!row) throw new AppError('CONFLICT');
      await this.audit.append({ actor: actor.userId, action: 'person.phone.update', entityType: 'person', entityId: personId }, trx);
      return this.personView(row, true);
    });
  }

  /**
   * An official (or anyone else with access) reads a person's record. The stated purpose and
   * the fields shown go into the person's data-access log; only the person sees unmasked IDs.
   */
  async readPerson(actor: Actor | undefined, personId: string, purpose: string | undefined): Promise<PersonView> {
    const row = await this.repo.personById(this.db, personId);
    const basis = authorize(actor, { ownerPersonId: row?.id ?? personId, regionCode: row?.region_code }, { permission: 'person:read' });
    if (!row) throw new AppError('NOT_FOUND');
    if (basis !== 'self') {
      // An agent acts under the purpose the person consented to; everyone else states one.
      if (basis === 'agent' && !purpose?.trim()) purpose = '代办：受托人查看委托人信息';
      if (!purpose?.trim()) throw new AppError('VALIDATION_FAILED', 'State the purpose of reading this person\'s data', [{ in: 'querystring', path: '$.purpose', message: 'is required' }]);
      await this.audit.recordDataAccess({ subjectPersonId: row.id, actor: actor!, purpose: purpose.trim(), fields: ['name', 'residentId', 'birthDate', 'sex', 'regionCode', 'phone'] });
    }
    return this.personView(row, basis === 'self');
  }

  async findPersonByResidentId(actor: Actor | undefined, residentId: string, purpose: string): Promise<PersonView> {
    const a = requirePermission(actor, 'person:read');
    const row = await this.repo.personByBlindIndex(this.db, this.vault.blindIndex('resident_id', residentId));
    if (!row) throw new AppError('NOT_FOUND', 'No person with this resident ID in your region');
    return this.readPerson(a, row.id, purpose);
  }

  /** A counter official confirms a person's identity in person: assurance becomes L2. */
  async verifyRealName(actor: Actor | undefined, personId: string, version: number, method: string): Promise<PersonView> {
    const a = requirePermission(actor, 'person:verify');
    const row = await this.repo.personById(this.db, personId);
    authorize(a, { regionCode: row?.region_code }, { permission: 'person:verify', allowAgent: false });
    if (!row) throw new AppError('NOT_FOUND');
    return this.cache.announcing(this.db, [personKey(personId)], async (trx) => {
      const updated = await this.repo.updatePerson(trx, personId, version, { assurance_level: 2, verified_at: new Date(), verified_by: a.userId });
      if (!updated) throw new AppError('CONFLICT');
      await this.audit.append({ actor: a.userId, action: 'person.verify', entityType: 'person', entityId: personId, detail: { method } }, trx);
      return this.personView(updated, false);
    });
  }

  // ── Lookups for other modules (system calls, no actor) ──────────────────────────────────

  async personIdByResidentId(residentId: string, db: Executor = this.db): Promise<string | undefined> {
    return (await this.repo.personByBlindIndex(db, this.vault.blindIndex('resident_id', residentId)))?.id;
  }
  async personSummary(personId: string, db: Executor = this.db): Promise<{ id: string; name: string; regionCode: string; residentIdMasked: string; assuranceLevel: 1 | 2 } | undefined> {
    const p = await this.repo.personById(db, personId);
    return p && { id: p.id, name: p.name, regionCode: p.region_code, residentIdMasked: p.resident_id_masked, assuranceLevel: p.assurance_level };
  }
  /** Decrypted identity data for prefilling the person's own forms or sealing their licence (from memory outside a transaction). */
  async personIdentity(personId: string, db: Executor = this.db): Promise<PersonView | undefined> {
    if (db !== this.db) {
      const p = await this.repo.personById(db, personId);
      return p && this.personView(p, true);
    }
    return this.cache.persons.get(personKey(personId), async () => {
      const p = await this.repo.personById(db, personId);
      return p && { value: Object.freeze(this.personView(p, true)) };
    });
  }
  async companyByUscc(uscc: string, db: Executor = this.db): Promise<CompanyView | undefined> {
    const c = await this.repo.companyByUscc(db, uscc.toUpperCase());
    return c && this.companyView(c);
  }
  async companyById(id: string, db: Executor = this.db): Promise<CompanyView | undefined> {
    const c = await this.repo.companyById(db, id);
    return c && this.companyView(c);
  }
  async userById(id: string, db: Executor = this.db) {
    const u = await this.repo.userById(db, id);
    return u && { id: u.id, username: u.username, displayName: u.display_name, roles: u.roles, regionCode: u.region_code, department: u.department, personId: u.person_id, companyId: u.company_id };
  }
  async userByUsername(username: string, db: Executor = this.db) {
    const u = await this.repo.userByUsername(db, username);
    return u && this.userById(u.id, db);
  }

  /** Display names of several users in one query, for lists that say who did something. */
  displayNames(userIds: readonly string[]): Promise<Map<string, string>> {
    return this.repo.displayNames(this.db, userIds);
  }
  /** Names and masked resident ids of several persons in one query (whom a 代办 filing was for). */
  personLabels(personIds: readonly string[]): Promise<Map<string, { name: string; residentIdMasked: string }>> {
    return this.repo.personLabels(this.db, personIds);
  }

  // ── Local units below a 社区 ─────────────────────────────────────────────────────────────

  async addUnit(actor: Actor | undefined, unit: { code: string; parentCode: string; level: 'grid' | 'building' | 'household'; name: string }, db: Executor = this.db) {
    if (actor) authorize(actor, { regionCode: unit.parentCode }, { permission: 'governance:handle', allowAgent: false });
    if (!unit.code.startsWith(unit.parentCode) || unit.code === unit.parentCode) {
      throw new AppError('VALIDATION_FAILED', 'A unit code must extend its parent code', [{ path: '$.code', message: `must start with ${unit.parentCode}` }]);
    }
    if (!isWithinRegion(unit.code, unit.parentCode)) throw new AppError('REGION_OUT_OF_SCOPE');
    await this.repo.insertUnit(db, { code: unit.code, parent_code: unit.parentCode, level: unit.level, name: unit.name });
  }
  unitsUnder(parentCode: string) {
    return this.repo.unitsUnder(this.db, parentCode);
  }
  unitByCode(code: string, db: Executor = this.db) {
    return this.repo.unitByCode(db, code);
  }
  /** Live units at or below `code` (the unit itself first), for governance's tree maintenance. */
  unitsWithin(code: string, db: Executor = this.db) {
    return this.repo.unitsWithin(db, code);
  }
  /** Retires a unit and everything below it (moves, merges and splits re-create them under new codes). */
  async retireUnitsWithin(code: string, db: Executor = this.db): Promise<void> {
    await this.repo.retireUnitsWithin(db, code);
  }
}

/** A fixed argon2id hash of a random string, verified against when the username is unknown. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2xB2s3nVVFEV2mXzcVQ7rjEEHzqIWDQmmL1h6U5yG8E';
