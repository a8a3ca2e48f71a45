/**
 * 用证: a licence is used by an application only with the holder's consent for that
 * application's purpose. Consenting produces a 加注件 — a copy stamped "仅供<事项>使用，<日期>"
 * and sealed by the node — and lets the reviewing officials of the named region (and
 * department) read the licence until the consent ends. Every use is in the holder's
 * data-access log; the holder may withdraw the consent at any time.
 */
import { randomUUID } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { accessBasis, requireActor, type Actor } from '../../platform/access/policy.js';
import type { AuditService } from '../audit/service.js';
import { LicenceRepository, type LoanRow } from './repository.js';
import type { LicenceService } from './service.js';
import type { TrustService } from './trust.js';
import type { Seal } from './seal.js';
import { ANNOTATED_COPY_DOC_TYPE, chinaToday, type LicenceDocument } from './document.js';

export interface LoanInput {
  applicationRef: string; matterCode: string; matterName: string; purpose: string;
  recipientRegionCode: string; recipientDepartment?: string; consent: boolean; expiresAt?: string;
}
export interface AnnotatedCopy {
  type: typeof ANNOTATED_COPY_DOC_TYPE; loanId: string; licence: LicenceDocument; licenceSeal: Seal;
  annotation: { text: string; matterCode: string; matterName: string; applicationRef: string; purpose: string; date: string; recipient: { regionCode: string; department: string | null } };
  issuedAt: string;
}
export interface LoanView {
  id: string; licenceId: string; applicationRef: string; matterCode: string; matterName: string; purpose: string;
  recipientRegionCode: string; recipientDepartment: string | null; consentStatement: string; consentedAt: string;
  expiresAt: string; revokedAt: string | null; active: boolean; version: number;
}

const DEFAULT_LOAN_DAYS = 90;
const MAX_LOAN_DAYS = 366;

export class LendingService {
  private readonly repo = new LicenceRepository();

  constructor(
    private readonly db: Executor,
    private readonly licences: LicenceService,
    private readonly trust: TrustService,
    private readonly audit: AuditService,
  ) {}

  private view(l: LoanRow): LoanView {
    return {
      id: l.id, licenceId: l.licence_id, applicationRef: l.application_ref, matterCode: l.matter_code, matterName: l.matter_name, purpose: l.purpose,
      recipientRegionCode: l.recipient_region_code, recipientDepartment: l.recipient_department, consentStatement: l.consent_statement,
      consentedAt: l.consented_at.toISOString(), expiresAt: l.expires_at.toISOString(), revokedAt: l.revoked_at?.toISOString() ?? null,
      active: !l.revoked_at && l.expires_at > new Date(), version: l.version,
    };
  }

  /**
   * The holder (their company's agent, or a 代办 agent under the holder's grant) lends a
   * licence to one application. Also the entry point for the materials module.
   */
  async lendToApplication(actor: Actor | undefined, licenceId: string, input: LoanInput): Promise<{ loan: LoanView; annotatedCopy: { document: AnnotatedCopy; seal: Seal } }> {
    const { row, basis } = await this.licences.reachableLicence(actor, licenceId);
    if (!['self', 'company', 'agent'].includes(basis)) throw new AppError('NOT_FOUND');
    if (!input.consent) throw new AppError('CONSENT_REQUIRED', "The holder's consent to this use is required");
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(Date.now() + DEFAULT_LOAN_DAYS * 86400_000);
    if (!(expiresAt > new Date()) || expiresAt.getTime() - Date.now() > MAX_LOAN_DAYS * 86400_000) {
      throw new AppError('VALIDATION_FAILED', 'The consent must end in the future and within a year', [{ path: '$.expiresAt', message: 'out of range' }]);
    }
    const { licence, seal } = this.licences.sealed(row);
    const check = await this.licences.verify(licence, seal);
    if (!check.valid) throw new AppError('LICENCE_INVALID', `This licence cannot be used: ${check.reasons.join('; ')}`);
    const a = actor!;
    const date = chinaToday();
    const loanId = randomUUID();
    const recipient = { regionCode: input.recipientRegionCode, department: input.recipientDepartment ?? null };
    const document: AnnotatedCopy = {
      type: ANNOTATED_COPY_DOC_TYPE, loanId, licence, licenceSeal: seal,
      annotation: { text: `仅供${input.matterName}使用，${date}`, matterCode: input.matterCode, matterName: input.matterName, applicationRef: input.applicationRef, purpose: input.purpose, date, recipient },
      issuedAt: new Date().toISOString(),
    };
    const copySeal = await this.trust.seal(document);
    const statement = `${licence.holder.name} 同意将${licence.licenceType.name}（${licence.identifier}）用于${input.matterName}（办件 ${input.applicationRef}），用途：${input.purpose}，至 ${expiresAt.toISOString().slice(0, 10)}`;
    const loan = await inTransaction(this.db, async (trx) => {
      const inserted = await this.repo.insertLoan(trx, {
        id: loanId, licence_id: row.id, application_ref: input.applicationRef, matter_code: input.matterCode, matter_name: input.matterName,
        purpose: input.purpose, recipient_region_code: recipient.regionCode, recipient_department: recipient.department, consent_statement: statement,
        consented_by: a.userId, expires_at: expiresAt, copy_enc: this.licences.encrypt(loanId, document), key_id: copySeal.keyId,
        signature: Buffer.from(copySeal.signature, 'base64').toString('hex'),
      });
      if (row.holder_person_id) {
        await this.audit.recordDataAccess({
          subjectPersonId: row.holder_person_id, purpose: `用证：${input.matterName}（办件 ${input.applicationRef}）`, fields: [`licence:${row.identifier}`],
          actor: { userId: null, label: `${recipient.department ?? '受理部门'}（${recipient.regionCode}）`, department: recipient.department ?? undefined },
        }, trx);
      }
      await this.audit.append({ actor: a.userId, action: 'licence.lend', entityType: 'licence', entityId: row.id, detail: { loan: loanId, applicationRef: input.applicationRef, matterCode: input.matterCode, basis } }, trx);
      return inserted;
    });
    return { loan: this.view(loan), annotatedCopy: { document, seal: copySeal } };
  }

  /** The 加注件, for the holder or an official of the recipient region/department while the consent lasts. */
  async annotatedCopy(actor: Actor | undefined, loanId: string): Promise<{ loan: LoanView; annotatedCopy: { document: AnnotatedCopy; seal: Seal } }> {
    const a = requireActor(actor);
    const loan = await this.repo.loanById(this.db, loanId);
    if (!loan) throw new AppError('NOT_FOUND');
    const licence = await this.repo.licenceById(this.db, loan.licence_id);
    const holder = accessBasis(a, { ownerPersonId: licence?.holder_person_id, ownerCompanyId: licence?.holder_company_id });
    const live = !loan.revoked_at && loan.expires_at > new Date();
    const recipient = live && accessBasis(a, { regionCode: loan.recipient_region_code, department: loan.recipient_department }, { permission: 'application:review', sameDepartment: true, allowAgent: false });
    if (!licence || (!holder && !recipient)) throw new AppError('NOT_FOUND');
    if (!holder && licence.holder_person_id) {
      await this.audit.recordDataAccess({ subjectPersonId: licence.holder_person_id, actor: a, purpose: `用证：${loan.matter_name}（办件 ${loan.application_ref}）`, fields: [`licence:${licence.identifier}`] });
    }
    const document = this.licences.decrypt<AnnotatedCopy>(loan.id, loan.copy_enc);
    return { loan: this.view(loan), annotatedCopy: { document, seal: { alg: 'SM2-SM3', keyId: loan.key_id, signature: Buffer.from(loan.signature, 'hex').toString('base64') } } };
  }

  async myLoans(actor: Actor | undefined): Promise<LoanView[]> {
    const ids = (await this.licences.wallet(actor)).map((w) => w.id);
    return (await this.repo.loansOfLicences(this.db, ids)).map((l) => this.view(l));
  }

  /** The holder withdraws a consent: the recipients lose access at once. */
  async withdraw(actor: Actor | undefined, loanId: string, version: number): Promise<LoanView> {
    const a = requireActor(actor);
    const loan = await this.repo.loanById(this.db, loanId);
    const licence = loan && await this.repo.licenceById(this.db, loan.licence_id);
    if (!loan || !licence || !accessBasis(a, { ownerPersonId: licence.holder_person_id, ownerCompanyId: licence.holder_company_id })) throw new AppError('NOT_FOUND');
    if (loan.revoked_at) throw new AppError('INVALID_TRANSITION', 'This consent is already withdrawn');
    return inTransaction(this.db, async (trx) => {
      const revoked = await this.repo.revokeLoan(trx, loanId, version);
      if (!revoked) throw new AppError('CONFLICT');
      await this.audit.append({ actor: a.userId, action: 'licence.lend.withdraw', entityType: 'licence', entityId: licence.id, detail: { loan: loanId } }, trx);
      return this.view(revoked);
    });
  }
}
