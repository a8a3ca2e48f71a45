/**
 * 告知承诺 follow-up: an approval granted on the applicant's commitment schedules a check within
 * the configured period (project default 30 working days, a setting). A check that finds the
 * commitment false puts the entity on the 严重违法失信名单 and, through the grading rule
 * `false-commitment`, moves its grade down.
 */
import { inTransaction, sql } from '../../platform/db/database.js';
import { authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { loadEntity, ymd, type SupervisionDeps } from './context.js';
import type { Applicant, Lists } from './lists.js';
import type { Grading } from './grading.js';
import { chinaDate } from '../../platform/calendar/working-days.js';

export interface FollowUpSettings { workingDays: number }

function view(r: Record<string, any>) {
  return {
    id: r.id as string, entityId: r.entity_id as string, applicationId: r.application_id as string, matterCode: r.matter_code as string,
    department: r.department as string, approvedAt: (r.approved_at as Date).toISOString(), dueDate: ymd(r.due_date),
    status: r.status as 'scheduled' | 'truthful' | 'false', finding: (r.finding ?? null) as string | null, version: r.version as number,
  };
}

export class FollowUps {
  constructor(
    private readonly deps: SupervisionDeps, private readonly lists: Lists, private readonly grading: Grading,
    private readonly settings: FollowUpSettings = { workingDays: 30 },
  ) {}

  /**
   * Called by the applications module when it approves on commitment. Returns null when the
   * applicant is not a registered market entity (nothing to supervise).
   */
  async schedule(input: { applicant: Applicant; applicationId: string; matterCode: string; department: string; approvedAt: Date }) {
    const entity = await this.lists.entityFor(input.applicant);
    if (!entity) return null;
    return inTransaction(this.deps.db, async (trx) => {
      const row = await trx.insertInto('sup_followups').values({
        entity_id: entity.id, application_id: input.applicationId, matter_code: input.matterCode, department: input.department,
        approved_at: input.approvedAt, due_date: this.deps.calendar.addWorkingDays(chinaDate(input.approvedAt), this.settings.workingDays), status: 'scheduled',
      }).onConflict((oc) => oc.column('application_id').doNothing()).returningAll().executeTakeFirst();
      const current = row ?? await trx.selectFrom('sup_followups').selectAll().where('application_id', '=', input.applicationId).executeTakeFirstOrThrow();
      if (row) await this.deps.audit.append({ actor: 'system:supervision', action: 'supervision.followup.schedule', entityType: 'market_entity', entityId: entity.id, detail: { applicationId: input.applicationId, dueDate: ymd(row.due_date) } }, trx);
      return view(current);
    });
  }

  async list(actor: Actor | undefined, q: { status?: string; limit: number }) {
    const a = requirePermission(actor, 'supervision:inspect');
    let query = this.deps.db.selectFrom('sup_followups as f').innerJoin('sup_entities as e', 'e.id', 'f.entity_id').selectAll('f').select('e.region_code')
      .orderBy('f.due_date').limit(q.limit);
    if (q.status) query = query.where('f.status', '=', q.status);
    const rows = await query.execute();
    return rows.filter((r) => authorizeQuietly(a, r.region_code)).map(view);
  }

  /** An inspector records the check; a false commitment lists the entity. */
  async record(actor: Actor | undefined, id: string, input: { truthful: boolean; finding: string; version: number }) {
    const a = requirePermission(actor, 'supervision:inspect');
    return inTransaction(this.deps.db, async (trx) => {
      const f = await trx.selectFrom('sup_followups').selectAll().where('id', '=', id).executeTakeFirst();
      const entity = f && await loadEntity(trx, f.entity_id);
      if (!f || !entity) throw notFound('No such follow-up');
      authorize(a, { regionCode: entity.region_code }, { permission: 'supervision:inspect' });
      if (f.status !== 'scheduled') throw new AppError('INVALID_TRANSITION', 'This follow-up was already checked');
      const done = await trx.updateTable('sup_followups').set({ status: input.truthful ? 'truthful' : 'false', finding: input.finding, checked_by: a.userId, checked_at: new Date(), version: sql`version + 1` })
        .where('id', '=', id).where('version', '=', input.version).returningAll().executeTakeFirst();
      if (!done) throw conflict();
      if (!input.truthful) {
        await this.lists.enterIn(trx, a.userId, f.department, entity, {
          list: 'serious', reason: `告知承诺不实（${f.matter_code}）：${input.finding}`, legalBasis: '《优化营商环境条例》第四十条；告知承诺制相关规定',
        }).catch(async (err) => {
          // Already on the list: the false commitment still counts in its grade.
          if (!(err instanceof AppError && err.code === 'DUPLICATE')) throw err;
          await this.grading.recompute(trx, { entityId: entity.id });
        });
      }
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.followup.record', entityType: 'market_entity', entityId: entity.id, detail: { followUpId: id, truthful: input.truthful } }, trx);
      return view(done);
    });
  }
}

function authorizeQuietly(actor: Actor, regionCode: string): boolean {
  try {
    authorize(actor, { regionCode }, { permission: 'supervision:inspect' });
    return true;
  } catch {
    return false;
  }
}
