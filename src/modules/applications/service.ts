/**
 * Applications (办件): apply once with shared materials, follow one timeline, and let the
 * region's department accept, ask for corrections and decide within working-day limits. A
 * retried submission with the same Idempotency-Key returns the application already made.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { BatchCommit } from '../../platform/db/batch-commit.js';
import { AppError } from '../../platform/errors.js';
import type { Keyset } from '../../platform/db/keyset.js';
import { accessBasis, authorize, requireActor, requirePermission, type Actor, type ScopedResource } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import type { FieldSealer } from '../../platform/crypto/sealed-json.js';
import { chinaDate, type WorkingDayCalendar } from '../../platform/calendar/working-days.js';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { MatterDefinitionT } from '../catalog/schemas.js';
import type { MaterialChoice, MaterialsService, SubmittedMaterial } from '../materials/service.js';
import type { ApplicantRestrictions, ResultLicences } from './ports.js';
import { ApplicationsRepository, type ApplicationRow, type NewApplicationRow } from './repository.js';
import { applicantFor, checkForm, identityValues, prefillForm, type Applicant, type ApplicantChoice, type IdentityLookup } from './submission.js';
import { RULES, transition, TransitionError, type Clock, type OfficialAction } from './transitions.js';
import { detail, queueItem, ratingView, type ApplicationDetail } from './views.js';

export interface SubmitInput extends ApplicantChoice {
  matterCode: string; form: Record<string, string>; materials: MaterialChoice[]; fastTrack?: boolean; draft?: boolean;
}
export interface Deps {
  db: Executor; audit: AuditService; catalog: CatalogService; materials: MaterialsService; identity: IdentityLookup;
  restrictions: ApplicantRestrictions; calendar: WorkingDayCalendar;
  /** Issues an approved matter's result licence (absent: approvals issue none). */
  resultLicences?: ResultLicences;
  /** Seals forms at rest (they hold personal data). */
  sealer: FieldSealer;
}

/** A checked application, ready to insert (used by single and 一件事 submissions alike). */
export interface PreparedApplication { matter: MatterDefinitionT; applicant: Applicant; form: Record<string, string>; materials: SubmittedMaterial[]; fastTrack: boolean }

const resource = (r: ApplicationRow): ScopedResource => ({
  ownerPersonId: r.applicant_person_id, ownerCompanyId: r.applicant_company_id, regionCode: r.region_code, department: r.department, matterCode: r.matter_code,
});
export const requestHash = (input: unknown) => sm3Hex(canonicalJson(input));
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
/** Filing batches in flight at once; each holds a pooled connection while it writes. */
const FILING_BATCHES_AT_ONCE = 2;

interface Filing { actor: Actor; row: NewApplicationRow }
/** An application's first timeline entry: submitted, or saved as a draft. */
const firstEvent = (actor: Actor, row: NewApplicationRow) => ({
  action: row.status === 'draft' ? 'create_draft' : 'submit', from_status: null, to_status: row.status, actor_user_id: actor.userId, actor_label: actor.label, reason: null,
});
const filingAudit = (actor: Actor, row: NewApplicationRow, id: string) => ({
  actor: actor.userId, action: `application.${row.status === 'draft' ? 'draft' : 'submit'}`, entityType: 'application', entityId: id,
  detail: { matter: row.matter_code, version: row.matter_version, materials: row.materials.map((m) => m.contentHash ?? m.licenceId) },
});

export class ApplicationsService {
  readonly repo: ApplicationsRepository;
  /** Submissions arriving together share one statement and one commit (see fileBatch). */
  private readonly filing: BatchCommit<Filing, Awaited<ReturnType<ApplicationsRepository['insertMany']>>[number]>;
  constructor(readonly deps: Deps) {
    this.repo = new ApplicationsRepository(deps.sealer);
    this.filing = new BatchCommit(deps.db, (trx, items) => this.fileBatch(trx, items), { maxBatch: 64, concurrency: FILING_BATCHES_AT_ONCE });
  }

  /** Re-seals forms filed before migration 0106 (job `personal-data.seal-legacy`). */
  sealLegacyForms(batch = 500): Promise<number> {
    return this.repo.sealLegacy(this.db, batch);
  }

  private get db() { return this.deps.db; }
  today(): string { return chinaDate(); }

  /** What the applicant sees before applying: the matter, prefilled fields, and what they could reuse. */
  async prepare(actor: Actor | undefined, matterCode: string, choice: ApplicantChoice) {
    const a = requireActor(actor);
    const matter = await this.deps.catalog.matterToApply(matterCode);
    const applicant = applicantFor(a, choice, matter.code);
    const verified = await identityValues(this.deps.identity, applicant, a);
    return {
      matter, form: prefillForm(matter, verified), licencesAvailable: this.deps.materials.licencesAvailable,
      materials: await this.deps.materials.offers(applicant.holder, matter.materials, this.today()),
    };
  }

  /** All checks of one matter's application; nothing is written. */
  async check(actor: Actor, matter: MatterDefinitionT, input: Omit<SubmitInput, 'matterCode'>, partial = false): Promise<PreparedApplication> {
    const applicant = applicantFor(actor, input, matter.code);
    if (!matter.applicantKinds.includes(applicant.ref.kind)) {
      throw new AppError('RULE_VIOLATION', `${matter.name} is applied for by a ${matter.applicantKinds.join(' or ')}, not a ${applicant.ref.kind}`);
    }
    const fastTrack = input.fastTrack ?? false;
    if (fastTrack && !matter.commitmentAllowed) throw new AppError('RULE_VIOLATION', `${matter.name} has no 告知承诺 fast track`, [{ path: '$.fastTrack', message: 'not offered for this matter' }]);
    const form = checkForm(matter, input.form, await identityValues(this.deps.identity, applicant, actor), partial);
    const verdict = await this.deps.restrictions.check(applicant.ref, matter, fastTrack);
    if (!verdict.allowed) throw new AppError('JOINT_DISCIPLINE', verdict.reason, verdict.details);
    const materials = await this.deps.materials.resolve(applicant.holder, matter.materials, input.materials, { today: this.today(), partial });
    return { matter, applicant, form, materials, fastTrack };
  }

  newRow(actor: Actor, p: PreparedApplication, extra: { status: 'draft' | 'submitted'; idempotencyKey: string | null; requestHash: string | null; bundleId: string | null }): NewApplicationRow {
    return {
      matter_code: p.matter.code, matter_version: p.matter.version, matter_name: p.matter.name, matter_snapshot: p.matter,
      applicant_person_id: p.applicant.ref.kind === 'person' ? p.applicant.ref.personId : null,
      applicant_company_id: p.applicant.ref.kind === 'company' ? p.applicant.ref.companyId : null,
      submitted_by: actor.userId, region_code: p.matter.regionCode, department: p.matter.department, status: extra.status,
      form: p.form, materials: p.materials, fast_track: p.fastTrack, bundle_id: extra.bundleId,
      idempotency_key: extra.idempotencyKey, request_hash: extra.requestHash, submitted_at: extra.status === 'submitted' ? new Date() : null,
    };
  }

  /** Inserts a checked application with its first timeline entry and audit record. */
  async insert(trx: Executor, actor: Actor, row: NewApplicationRow): Promise<ApplicationRow> {
    return (await this.insertFiled(trx, actor, row)).app;
  }

  private async insertFiled(trx: Executor, actor: Actor, row: NewApplicationRow) {
    const filed = await this.repo.insert(trx, row, firstEvent(actor, row));
    await this.deps.audit.append(filingAudit(actor, row, filed.app.id), trx);
    return filed;
  }

  /**
   * Files a batch of submissions that arrived together (group commit): one statement for the
   * applications and their timeline entries, one for their audit entries, one commit. A
   * submission whose Idempotency-Key is already taken is skipped (`undefined`) and gets no
   * audit entry; the caller answers it from the application filed under that key.
   */
  private async fileBatch(trx: Executor, items: readonly Filing[]) {
    const filed = await this.repo.insertMany(trx, items.map(({ actor, row }) => ({ row, event: firstEvent(actor, row) })));
    const audited = items.flatMap(({ actor, row }, i) => (filed[i] ? [filingAudit(actor, row, filed[i]!.app.id)] : []));
    if (audited.length) await this.deps.audit.appendMany(audited, trx);
    return filed;
  }

  /**
   * Files an application (or saves a draft). With an Idempotency-Key, a retry of the same
   * request returns the same application (`replayed`), and the key reused for a different
   * request is a conflict. The key is looked up only when the submission cannot be filed as
   * new (its unique index refused it, or a check failed that a retry must not see): a first
   * submission, the common case, costs no lookup.
   */
  async submit(actorIn: Actor | undefined, input: SubmitInput, idempotencyKey: string | undefined): Promise<{ application: ApplicationDetail; replayed: boolean }> {
    const actor = requireActor(actorIn);
    if (!input.draft && !idempotencyKey) {
      throw new AppError('VALIDATION_FAILED', 'Send an Idempotency-Key header with a submission so that a retry cannot file it twice', [{ in: 'headers', path: '$.idempotency-key', message: 'is required' }]);
    }
    const hash = requestHash(input);
    const replay = async () => {
      const existing = idempotencyKey ? await this.repo.byIdempotencyKey(this.db, actor.userId, idempotencyKey) : undefined;
      if (existing && existing.request_hash !== hash) throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different request');
      return existing && { application: await this.view(existing), replayed: true };
    };
    let prepared: PreparedApplication;
    try {
      prepared = await this.check(actor, await this.deps.catalog.matterToApply(input.matterCode), input, input.draft);
    } catch (err) {
      // A retry of a submission already filed gets it back even if its checks would now fail.
      const earlier = await replay();
      if (earlier) return earlier;
      throw err;
    }
    const status = input.draft ? 'draft' : 'submitted';
    let filed: Awaited<ReturnType<ApplicationsService['fileBatch']>>[number];
    try {
      filed = await this.filing.run({ actor, row: this.newRow(actor, prepared, { status, idempotencyKey: idempotencyKey ?? null, requestHash: hash, bundleId: null }) });
    } catch (err) {
      if (isUniqueViolation(err)) { const won = await replay(); if (won) return won; }
      throw err;
    }
    // Just filed: its timeline is the one event, with no rating yet.
    if (filed) return { application: detail(filed.app, [filed.event], null, this.today(), this.deps.calendar), replayed: false };
    // A retry, or two identical requests racing: the one filed first is the answer.
    const won = await replay();
    if (won) return won;
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different request');
  }

  /** Submits a draft, optionally replacing its form and materials. */
  async submitDraft(actorIn: Actor | undefined, id: string, version: number, changes: Partial<Pick<SubmitInput, 'form' | 'materials'>>) {
    const actor = requireActor(actorIn);
    const row = await this.applicantRow(actor, id);
    if (row.version !== version) throw new AppError('CONFLICT');
    if (row.status !== 'draft') throw new AppError('INVALID_TRANSITION', `The application is already ${row.status}`);
    const prepared = await this.check(actor, row.matter_snapshot, this.replayInput(row, changes));
    return this.applyChange(actor, row, 'submit', null, { form: prepared.form, materials: prepared.materials, submitted_at: new Date() });
  }

  /** The applicant answers a correction request with new form values and/or materials. */
  async correct(actorIn: Actor | undefined, id: string, version: number, changes: Partial<Pick<SubmitInput, 'form' | 'materials'>>) {
    const actor = requireActor(actorIn);
    const row = await this.applicantRow(actor, id);
    if (row.version !== version) throw new AppError('CONFLICT');
    if (row.status !== 'correction_requested') throw new AppError('INVALID_TRANSITION', 'No correction was requested');
    const prepared = await this.check(actor, row.matter_snapshot, this.replayInput(row, changes));
    return this.applyChange(actor, row, 'correct', null, { form: prepared.form, materials: prepared.materials });
  }

  async withdraw(actorIn: Actor | undefined, id: string, version: number, reason: string | undefined) {
    const actor = requireActor(actorIn);
    const row = await this.applicantRow(actor, id);
    if (row.version !== version) throw new AppError('CONFLICT');
    return this.applyChange(actor, row, 'withdraw', reason ?? null, {});
  }

  /** An official of the application's region and department moves it on. */
  async act(actorIn: Actor | undefined, id: string, input: { action: OfficialAction; version: number; reason?: string }) {
    const actor = requirePermission(actorIn, 'application:review');
    const row = await this.repo.byId(this.db, id);
    const basis = authorize(actor, row ? resource(row) : {}, { permission: 'application:review', sameDepartment: true, allowAgent: false });
    if (!row) throw new AppError('NOT_FOUND');
    if (basis !== 'region' && basis !== 'admin') throw new AppError('FORBIDDEN', 'You cannot decide an application of your own');
    if (row!.version !== input.version) throw new AppError('CONFLICT');
    const reason = input.reason?.trim() || null;
    if (RULES[input.action].reasonRequired && !reason) throw new AppError('VALIDATION_FAILED', `Give a reason to ${input.action.replace('_', ' ')}`, [{ path: '$.reason', message: 'is required for this action' }]);
    const decided = ['approve', 'refuse', 'not_accept'].includes(input.action);
    return this.applyChange(actor, row!, input.action, reason, decided ? { decided_at: new Date(), result: reason ?? '准予办理' } : {});
  }

  private replayInput(row: ApplicationRow, changes: Partial<Pick<SubmitInput, 'form' | 'materials'>>): Omit<SubmitInput, 'matterCode'> {
    const kept = row.materials.filter((m) => !changes.materials?.some((c) => c.key === m.key))
      .map((m): MaterialChoice => (m.materialId ? { key: m.key, materialId: m.materialId } : { key: m.key, licenceId: m.licenceId! }));
    const onBehalf = row.applicant_person_id ?? undefined;
    return {
      form: { ...row.form, ...changes.form }, materials: [...kept, ...(changes.materials ?? [])], fastTrack: row.fast_track,
      ...(row.applicant_company_id ? { forCompany: true } : { onBehalfOf: onBehalf }),
    };
  }

  /** The state machine step, the clock, the timeline entry and the audit record, in one transaction. */
  private async applyChange(actor: Actor, row: ApplicationRow, action: Parameters<typeof transition>[1], reason: string | null, extra: Partial<ApplicationRow>) {
    const today = this.today();
    const clock: Clock = { status: row.status, acceptedOn: row.accepted_on, dueOn: row.due_on, pausedSince: row.paused_since, pausedWorkingDays: row.paused_working_days, resumeStatus: row.resume_status, warnings: row.calendar_warnings };
    let next: Clock;
    try {
      next = transition(clock, action, today, row.matter_snapshot.promisedLimitDays, this.deps.calendar);
    } catch (err) {
      if (err instanceof TransitionError) throw new AppError('INVALID_TRANSITION', err.message);
      throw err;
    }
    const updated = await inTransaction(this.db, async (trx) => {
      // 审批即发证: the result licence is issued in this same transaction — never an approval
      // without its licence, nor a licence for an approval that did not commit.
      const issued = action === 'approve' ? await this.issueResultLicence(trx, row, today) : undefined;
      const result = issued && 'licenceId' in issued ? { result: `${extra.result ?? '准予办理'}；已签发电子证照：${issued.typeName}（${issued.identifier}）` } : {};
      const u = await this.repo.update(trx, row.id, row.version, {
        ...extra, ...result, status: next.status, accepted_on: next.acceptedOn, due_on: next.dueOn, paused_since: next.pausedSince,
        paused_working_days: next.pausedWorkingDays, resume_status: next.resumeStatus, calendar_warnings: next.warnings,
      });
      if (!u) throw new AppError('CONFLICT');
      await this.repo.insertEvent(trx, { application_id: row.id, action, from_status: row.status, to_status: next.status, actor_user_id: actor.userId, actor_label: actor.label, reason });
      await this.deps.audit.append({ actor: actor.userId, action: `application.${action}`, entityType: 'application', entityId: row.id, detail: { from: row.status, to: next.status, ...(reason ? { reason } : {}) } }, trx);
      if (issued) {
        await this.repo.insertEvent(trx, {
          application_id: row.id, action: 'licenceId' in issued ? 'issue_licence' : 'licence_not_issued', from_status: next.status, to_status: next.status,
          actor_user_id: null, actor_label: '系统（电子证照）',
          reason: 'licenceId' in issued ? `${issued.typeName} ${issued.identifier}（证照 ID ${issued.licenceId}）` : issued.skipped,
        });
      }
      return u;
    });
    return this.view(updated);
  }

  private issueResultLicence(trx: Executor, row: ApplicationRow, today: string) {
    if (!this.deps.resultLicences || !row.matter_snapshot.resultLicence) return undefined;
    const applicant = row.applicant_person_id ? { kind: 'person' as const, personId: row.applicant_person_id } : { kind: 'company' as const, companyId: row.applicant_company_id! };
    return this.deps.resultLicences.issueFor({ id: row.id, matter: row.matter_snapshot, applicant, form: row.form, approvedOn: today }, trx);
  }

  /** The application as the applicant side (self, company agent, 代办 agent) may reach it. */
  private async applicantRow(actor: Actor, id: string): Promise<ApplicationRow> {
    const row = await this.repo.byId(this.db, id);
    const basis = row && accessBasis(actor, resource(row));
    if (!row || !basis || basis === 'region') throw new AppError('NOT_FOUND');
    return row;
  }

  /** One application with its timeline; an official's read goes into the person's access log. */
  async get(actorIn: Actor | undefined, id: string): Promise<ApplicationDetail> {
    const actor = requireActor(actorIn);
    const row = await this.readable(actor, id, (r) => Object.keys(r.form));
    return this.view(row);
  }

  /** The file behind one of an application's materials, for its applicant or its reviewing official. */
  async materialContent(actorIn: Actor | undefined, id: string, key: string) {
    const actor = requireActor(actorIn);
    const row = await this.readable(actor, id, () => [`material:${key}`]);
    const material = row.materials.find((m) => m.key === key);
    const blob = material?.contentHash ? await this.deps.materials.blobByHash(material.contentHash) : undefined;
    if (!blob) throw new AppError('NOT_FOUND', 'This application has no file for that material');
    return blob;
  }

  /** The applicant side, or an official of the region and department (whose read is logged for the person). */
  private async readable(actor: Actor, id: string, fields: (r: ApplicationRow) => string[]): Promise<ApplicationRow> {
    const row = await this.repo.byId(this.db, id);
    const basis = authorize(actor, row ? resource(row) : {}, { permission: 'application:review', sameDepartment: true });
    if (!row) throw new AppError('NOT_FOUND');
    if ((basis === 'region' || basis === 'admin') && row!.applicant_person_id && row!.applicant_person_id !== actor.personId) {
      await this.deps.audit.recordDataAccess({ subjectPersonId: row!.applicant_person_id, actor, purpose: `办件审查 ${row!.matter_name}`, fields: fields(row!) });
    }
    return row!;
  }

  async view(row: ApplicationRow): Promise<ApplicationDetail> {
    const [events, rating, task] = await Promise.all([this.repo.events(this.db, row.id), this.repo.rating(this.db, row.id), this.repo.taskByApplication(this.db, row.id)]);
    return detail(row, events, ratingView(rating, task), this.today(), this.deps.calendar);
  }

  /**
   * My applications (or my company's), each saying who filed it when that was someone else (a
   * relative under 代办, another agent of the company); or, `filedForOthers`, the ones I filed
   * for persons who authorised me, each naming that person.
   */
  async mine(actorIn: Actor | undefined, f: { forCompany: boolean; filedForOthers: boolean }, limit: number, before?: Keyset) {
    const actor = requireActor(actorIn);
    if (f.forCompany && f.filedForOthers) throw new AppError('VALIDATION_FAILED', 'Choose either forCompany or filed=for-others', [{ path: '$.filed', message: 'not with forCompany' }]);
    const owner: { personId?: string; companyId?: string; filedBy?: string } = f.forCompany ? applicantFor(actor, { forCompany: true }, '').holder
      : f.filedForOthers ? { personId: actor.personId, filedBy: actor.userId } : { personId: actor.personId };
    if (!owner.personId && !owner.companyId && !owner.filedBy) return [];
    const rows = await this.repo.mine(this.db, owner, limit, before);
    const others = rows.map((r) => r.submitted_by).filter((u) => u !== actor.userId);
    const [names, applicants] = await Promise.all([
      this.deps.identity.displayNames(others),
      f.filedForOthers ? this.deps.identity.personLabels(rows.map((r) => r.applicant_person_id!)) : Promise.resolve(new Map<string, { name: string }>()),
    ]);
    return rows.map((r) => ({
      ...queueItem(r, this.today(), this.deps.calendar), createdAt: r.created_at.toISOString(), keyset: { micros: r.keyset_us, id: r.id },
      filedBy: r.submitted_by === actor.userId ? null : { userId: r.submitted_by, name: names.get(r.submitted_by) ?? '' },
      applicantName: f.filedForOthers ? applicants.get(r.applicant_person_id!)?.name ?? null : null,
    }));
  }

  /** The official's queue: their region (and below) and department; overdue or near-due on request. */
  async queue(actorIn: Actor | undefined, f: { status?: ApplicationRow['status']; due?: 'overdue' | 'near'; limit: number; after?: Keyset }) {
    const actor = requirePermission(actorIn, 'application:review');
    const admin = actor.roles.includes('admin');
    if (!admin && (!actor.regionCode || !actor.department)) return [];
    const today = this.today();
    const cal = this.deps.calendar;
    const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const rows = await this.repo.queue(this.db, {
      regionPrefix: admin ? '' : scopePrefix(actor.regionCode!), department: admin ? undefined : actor.department,
      statuses: f.due ? ['accepted'] : f.status ? [f.status] : undefined,
      dueBefore: f.due === 'overdue' ? today : f.due === 'near' ? nextDay(cal.addWorkingDays(today, 3)) : undefined,
      dueFrom: f.due === 'near' ? today : undefined, after: f.after, limit: f.limit,
    });
    return rows.map((r) => ({ ...queueItem(r, today, cal), keyset: { micros: r.keyset_us, id: r.id } }));
  }
}
