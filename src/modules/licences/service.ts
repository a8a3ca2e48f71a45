/**
 * E-licence rules: issuing (by an issuer official, or by the system for an approved
 * application), the holder's wallet, reads by those the holder lent a licence to, status
 * changes with their history, the per-authority signed status list, and public verification.
 */
import { randomUUID } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { accessBasis, authorize, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import { sm4Decrypt, sm4Encrypt } from '../../platform/crypto/sm.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import { checkResidentId } from '../identity/resident-id.js';
import { checkUscc } from '../identity/uscc.js';
import { buildIdentifier, parseIdentifier } from './identifier.js';
import { codesOf, fieldErrors, findLicenceType, LICENCE_TYPES, type HolderKind } from './types.js';
import { LicenceRepository, type AuthorityRow, type LicenceRow, type StatusCode } from './repository.js';
import { base64ToDerHex, derHexToBase64, type Seal } from './seal.js';
import type { TrustService } from './trust.js';
import { chinaToday, LICENCE_DOC_TYPE, readLicenceClaims, type LicenceDocument } from './document.js';
import { StatusLists } from './status-lists.js';

export interface IssueInput {
  type: string;
  holder: { kind: HolderKind; id: string };
  fields: Record<string, unknown>;
  validFrom: string;
  validTo?: string | null;
}
export interface SealedLicence { id: string; identifier: string; licence: LicenceDocument; seal: Seal }
export interface WalletItem {
  id: string; identifier: string; type: string; typeName: string; holderKind: HolderKind; status: StatusCode;
  validFrom: string; validTo: string | null; issuer: string; issuedAt: string;
}
export interface VerifyResult { valid: boolean; status: StatusCode | null; reasons: string[]; statusSource: 'register' | 'status-list' | 'not-checked'; warnings: string[] }

/** Statuses after which a licence cannot change again (a new licence is issued instead). */
const TERMINAL: StatusCode[] = ['03', '04', '05', '06', '07'];

export class LicenceService {
  private readonly repo = new LicenceRepository();
  readonly statusLists: StatusLists;

  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly fieldKeyHex: string,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly trust: TrustService,
  ) {
    this.statusLists = new StatusLists(db, nodeId, audit, trust);
  }

  types() {
    return LICENCE_TYPES.map((t) => ({ code: t.code, formerCodes: t.formerCodes, name: t.name, holderKinds: t.holderKinds, fields: t.fields }));
  }

  /** Registers an issuing authority of this node (demo data, or an administrator's set-up). */
  async addAuthority(row: AuthorityRow, db: Executor = this.db): Promise<void> {
    const check = checkUscc(row.uscc);
    if (!check.valid) throw new AppError('IDENTIFIER_INVALID', `The authority's USCC is not valid: ${check.errors.join('; ')}`);
    await this.repo.insertAuthority(db, row);
  }

  // ── Issuing ──────────────────────────────────────────────────────────────────────────────

  /** An issuer official issues a licence in the name of their department's authority. */
  async issue(actor: Actor | undefined, input: IssueInput, db: Executor = this.db): Promise<SealedLicence> {
    const a = requirePermission(actor, 'licence:issue');
    const authority = a.department ? await this.repo.authorityByDepartment(db, a.department) : undefined;
    if (!authority) throw new AppError('FORBIDDEN', 'Your department is not a licence-issuing authority on this node');
    return this.issueAs(authority, a.userId, input, undefined, db);
  }

  /**
   * For the applications module: an approved application's result licence, issued by the
   * authority `authorityUscc` with no official at the keyboard (recorded as system:applications).
   */
  async issueForApplication(authorityUscc: string, applicationRef: string, input: IssueInput, db: Executor = this.db): Promise<SealedLicence & { replayed: boolean }> {
    // Idempotent per application: a retry gets the licence already issued, never a second one
    // (and two racing issuances meet the unique index on source_application).
    const existing = await this.repo.licenceBySourceApplication(db, applicationRef);
    if (existing) return { ...this.sealed(existing), replayed: true };
    return { ...await this.issueBySystem(authorityUscc, 'system:applications', input, applicationRef, db), replayed: false };
  }

  /** The licence an application's approval issued, if any (for the application's owner-facing views). */
  async resultOfApplication(applicationRef: string): Promise<WalletItem | undefined> {
    const row = await this.repo.licenceBySourceApplication(this.db, applicationRef);
    return row && this.walletItem(row);
  }

  /** The authority that issues for a department (a matter's result licence, by default). */
  async authorityOfDepartment(department: string, db: Executor = this.db): Promise<AuthorityRow | undefined> {
    return this.repo.authorityByDepartment(db, department);
  }

  /** Issuing with no official at the keyboard (applications, demo data); `issuedBy` names the system. */
  async issueBySystem(authorityUscc: string, issuedBy: string, input: IssueInput, applicationRef?: string, db: Executor = this.db): Promise<SealedLicence> {
    const authority = await this.repo.authorityByUscc(db, authorityUscc);
    if (!authority) throw new AppError('LICENCE_INVALID', `No issuing authority ${authorityUscc} on this node`);
    return this.issueAs(authority, issuedBy, input, applicationRef, db);
  }

  private async issueAs(authority: AuthorityRow, issuedBy: string, input: IssueInput, applicationRef: string | undefined, db: Executor): Promise<SealedLicence> {
    const type = findLicenceType(input.type);
    if (!type) throw new AppError('LICENCE_INVALID', `Unknown licence type ${input.type}`, [{ path: '$.type', message: 'see GET /api/v1/licences/types' }]);
    if (!type.holderKinds.includes(input.holder.kind)) {
      throw new AppError('LICENCE_INVALID', `A ${type.name} is held by a ${type.holderKinds.join(' or ')}`, [{ path: '$.holder.kind', message: `must be ${type.holderKinds.join(' or ')}` }]);
    }
    const errors = fieldErrors(type, input.fields);
    if (errors.length) throw new AppError('VALIDATION_FAILED', `The fields do not fit a ${type.name}`, errors);
    const validTo = input.validTo ?? null;
    if (validTo !== null && validTo < input.validFrom) throw new AppError('VALIDATION_FAILED', 'The licence must end after it starts', [{ path: '$.validTo', message: 'before validFrom' }]);
    const holder = await this.resolveHolder(input.holder, db);
    return inTransaction(db, async (trx) => {
      const { serial, statusIndex } = await this.repo.allocate(trx, authority.uscc);
      const issuedAt = new Date();
      const identifier = buildIdentifier({
        typeCode: type.code, issuerUscc: authority.uscc, serial: `${issuedAt.getUTCFullYear()}${String(serial).padStart(7, '0')}`, version: '001',
      });
      const licence: LicenceDocument = {
        type: LICENCE_DOC_TYPE, identifier, licenceType: { code: type.code, name: type.name },
        issuer: { node: this.nodeId, uscc: authority.uscc, name: authority.name, regionCode: authority.region_code },
        holder: { kind: input.holder.kind, id: holder.id, name: holder.name }, fields: input.fields,
        validFrom: input.validFrom, validTo, issuedAt: issuedAt.toISOString(),
        status: { list: `/api/v1/licences/status-lists/${authority.uscc}`, index: statusIndex },
      };
      const seal = await this.trust.seal(licence, trx);
      const id = randomUUID();
      await this.repo.insertLicence(trx, {
        id, identifier, type_code: type.code, authority_uscc: authority.uscc, holder_kind: input.holder.kind,
        holder_person_id: holder.personId ?? null, holder_company_id: holder.companyId ?? null, region_code: authority.region_code,
        status_index: statusIndex, valid_from: input.validFrom, valid_to: validTo, payload_enc: this.encrypt(id, licence),
        key_id: seal.keyId, signature: base64ToDerHex(seal.signature)!, issued_at: issuedAt, issued_by: issuedBy, source_application: applicationRef ?? null,
      });
      await this.repo.insertHistory(trx, { licence_id: id, from_status: null, to_status: '01', reason: applicationRef ? `issued for application ${applicationRef}` : 'issued', actor: issuedBy });
      await this.statusLists.refresh(trx, authority);
      await this.audit.append({ actor: issuedBy, action: 'licence.issue', entityType: 'licence', entityId: id, detail: { identifier, type: type.code, keyId: seal.keyId } }, trx);
      return { id, identifier, licence, seal };
    });
  }

  private async resolveHolder(holder: IssueInput['holder'], db: Executor): Promise<{ id: string; name: string; personId?: string; companyId?: string }> {
    const value = holder.id.trim().toUpperCase();
    if (holder.kind === 'person') {
      const check = checkResidentId(value);
      if (!check.valid) throw new AppError('IDENTIFIER_INVALID', `The resident ID is not valid: ${check.errors.join('; ')}`, [{ path: '$.holder.id', message: check.errors.join('; ') }]);
      const personId = await this.identity.personIdByResidentId(value, db);
      const person = personId ? await this.identity.personSummary(personId, db) : undefined;
      if (!person) throw new AppError('LICENCE_INVALID', 'No registered person has this resident ID', [{ path: '$.holder.id', message: 'unknown holder' }]);
      return { id: value, name: person.name, personId: person.id };
    }
    const check = checkUscc(value);
    if (!check.valid) throw new AppError('IDENTIFIER_INVALID', `The unified social credit code is not valid: ${check.errors.join('; ')}`, [{ path: '$.holder.id', message: check.errors.join('; ') }]);
    const company = await this.identity.companyByUscc(value, db);
    if (!company) throw new AppError('LICENCE_INVALID', 'No registered company has this code', [{ path: '$.holder.id', message: 'unknown holder' }]);
    return { id: value, name: company.name, companyId: company.id };
  }

  // ── Reading ──────────────────────────────────────────────────────────────────────────────

  encrypt(id: string, doc: unknown): string {
    return sm4Encrypt(canonicalJson(doc), this.fieldKeyHex, `licences:${id}`);
  }
  decrypt<T>(id: string, sealed: string): T {
    return JSON.parse(sm4Decrypt(sealed, this.fieldKeyHex, `licences:${id}`)) as T;
  }

  sealed(row: LicenceRow): SealedLicence {
    return { id: row.id, identifier: row.identifier, licence: this.decrypt<LicenceDocument>(row.id, row.payload_enc), seal: { alg: 'SM2-SM3', keyId: row.key_id, signature: derHexToBase64(row.signature) } };
  }

  /** The row, if `actor` may see it: holder, company agent, 代办 agent, issuer in scope, or an official it was lent to. */
  async reachableLicence(actor: Actor | undefined, id: string): Promise<{ row: LicenceRow; basis: string; purpose?: string }> {
    const a = requireActor(actor);
    const row = await this.repo.licenceById(this.db, id);
    if (!row) throw new AppError('NOT_FOUND');
    const authority = await this.repo.authorityByUscc(this.db, row.authority_uscc);
    const basis = accessBasis(a, { ownerPersonId: row.holder_person_id, ownerCompanyId: row.holder_company_id, regionCode: row.region_code, department: authority?.department }, { permission: 'licence:issue', sameDepartment: true });
    if (basis) return { row, basis, purpose: basis === 'region' ? '发证机关查阅' : basis === 'admin' ? '平台管理' : basis === 'agent' ? '代办' : undefined };
    for (const loan of await this.repo.liveLoansOf(this.db, row.id)) {
      if (accessBasis(a, { regionCode: loan.recipient_region_code, department: loan.recipient_department }, { permission: 'application:review', sameDepartment: true, allowAgent: false })) {
        return { row, basis: 'loan', purpose: `用证：${loan.matter_name}（办件 ${loan.application_ref}）` };
      }
    }
    throw new AppError('NOT_FOUND');
  }

  async read(actor: Actor | undefined, id: string) {
    const { row, basis, purpose } = await this.reachableLicence(actor, id);
    if (row.holder_person_id && basis !== 'self' && purpose) {
      await this.audit.recordDataAccess({ subjectPersonId: row.holder_person_id, actor: actor!, purpose, fields: [`licence:${row.identifier}`] });
    }
    const history = await this.repo.history(this.db, row.id);
    return {
      ...this.sealed(row), status: row.status, statusReason: row.status_reason, version: row.version,
      history: history.map((h) => ({ from: h.from_status, to: h.to_status, reason: h.reason, actor: h.actor, at: h.at.toISOString() })),
    };
  }

  private walletItem(row: LicenceRow): WalletItem {
    const doc = this.decrypt<LicenceDocument>(row.id, row.payload_enc);
    return {
      id: row.id, identifier: row.identifier, type: row.type_code, typeName: doc.licenceType.name, holderKind: row.holder_kind, status: row.status,
      validFrom: doc.validFrom, validTo: doc.validTo, issuer: doc.issuer.name, issuedAt: doc.issuedAt,
    };
  }

  /** The signed-in person's licences, and their company's when they are its agent. */
  async wallet(actor: Actor | undefined, typeCodeOrName?: string): Promise<WalletItem[]> {
    const a = requireActor(actor);
    const type = typeCodeOrName ? findLicenceType(typeCodeOrName) : undefined;
    const typeCodes = typeCodeOrName ? (type ? codesOf(type) : [typeCodeOrName]) : undefined;
    const rows: LicenceRow[] = [];
    if (a.personId) rows.push(...await this.repo.licencesOfHolder(this.db, { personId: a.personId }, { typeCodes }));
    if (a.companyId && a.roles.includes('company_agent')) rows.push(...await this.repo.licencesOfHolder(this.db, { companyId: a.companyId }, { typeCodes }));
    return rows.map((r) => this.walletItem(r));
  }

  /**
   * For the materials module: a holder's licences of one type that are usable today (status 01,
   * inside their validity period). A system call: the caller has already decided it may ask.
   */
  async validLicencesOf(holder: { personId?: string; companyId?: string }, typeCodeOrName: string, on: string = chinaToday()): Promise<WalletItem[]> {
    const type = findLicenceType(typeCodeOrName);
    if (!type || (!holder.personId && !holder.companyId)) return [];
    return (await this.repo.licencesOfHolder(this.db, holder, { typeCodes: codesOf(type), usableOn: on })).map((r) => this.walletItem(r));
  }

  // ── Status ───────────────────────────────────────────────────────────────────────────────

  async changeStatus(actor: Actor | undefined, id: string, input: { status: StatusCode; reason: string; version?: number }) {
    const a = requirePermission(actor, 'licence:status');
    const row = await this.repo.licenceById(this.db, id);
    const authority = row ? await this.repo.authorityByUscc(this.db, row.authority_uscc) : undefined;
    authorize(a, { regionCode: row?.region_code, department: authority?.department }, { permission: 'licence:status', sameDepartment: true, allowAgent: false });
    if (!row || !authority) throw new AppError('NOT_FOUND');
    if (row.status === input.status) throw new AppError('INVALID_TRANSITION', `The licence already has status ${input.status}`);
    if (TERMINAL.includes(row.status)) throw new AppError('INVALID_TRANSITION', `A licence with status ${row.status} cannot change; issue a new one`);
    return inTransaction(this.db, async (trx) => {
      const updated = await this.repo.updateStatus(trx, id, input.status, input.reason, input.version);
      if (!updated) throw new AppError('CONFLICT');
      await this.repo.insertHistory(trx, { licence_id: id, from_status: row.status, to_status: input.status, reason: input.reason, actor: a.userId });
      await this.statusLists.refresh(trx, authority);
      await this.audit.append({ actor: a.userId, action: 'licence.status', entityType: 'licence', entityId: id, detail: { from: row.status, to: input.status, reason: input.reason } }, trx);
      return { id, identifier: row.identifier, status: updated.status, statusReason: updated.status_reason, version: updated.version };
    });
  }

  // ── Verification (public) ────────────────────────────────────────────────────────────────

  async verify(licence: unknown, seal: Seal, today: string = chinaToday()): Promise<VerifyResult> {
    const claims = readLicenceClaims(licence);
    if ('problem' in claims) return { valid: false, status: null, reasons: [claims.problem], statusSource: 'not-checked', warnings: [] };
    const reasons: string[] = [];
    const warnings: string[] = [];
    const parsed = parseIdentifier(claims.identifier);
    if (!parsed.valid) reasons.push(`identifier is not valid: ${parsed.errors.join('; ')}`);
    else if (parsed.parts.issuerUscc !== claims.uscc) reasons.push('the identifier names another issuer than the licence');
    const sealCheck = await this.trust.sealProblems(licence, seal, claims.issuedAt, claims.node);
    reasons.push(...sealCheck.reasons);
    let status: StatusCode | null = null;
    let statusSource: VerifyResult['statusSource'] = 'not-checked';
    // Own licences: a clear bit in the cached status list means 01 with no query; a set bit
    // (or no list) sends us to the register for the exact code.
    const ownBit = claims.node === this.nodeId ? await this.statusLists.bitFor(this.nodeId, claims.uscc, claims.statusIndex) : undefined;
    if (ownBit === false) {
      status = '01';
      statusSource = 'status-list';
    } else if (claims.node === this.nodeId) {
      const row = await this.repo.licenceByIdentifier(this.db, claims.identifier);
      if (!row) reasons.push('this node has no licence with that identifier');
      else { status = row.status; statusSource = 'register'; }
    } else {
      const bit = await this.statusLists.bitFor(claims.node, claims.uscc, claims.statusIndex);
      if (bit === undefined) {
        status = '01';
        warnings.push(`no status list of ${claims.uscc} from node ${claims.node} is held here: revocation was not checked`);
      } else {
        statusSource = 'status-list';
        status = bit ? '99' : '01';
      }
    }
    if (status && status !== '01') reasons.push(statusSource === 'status-list' ? `the issuer's signed status list marks the licence as not valid` : `the licence's status is ${status}, not 01 (valid)`);
    if (claims.validFrom > today) reasons.push(`the licence is valid only from ${claims.validFrom}`);
    if (claims.validTo && claims.validTo < today) {
      reasons.push(`the licence expired on ${claims.validTo}`);
      if (status === '01') status = '05';
    }
    return { valid: reasons.length === 0, status, reasons, statusSource, warnings };
  }
}
