/**
 * 好差评: once an application has a result, its applicant may rate it 1–5. A poor rating (1–2)
 * opens a rectification task for the department, due within a configurable number of working
 * days (project default 15), whose reply the applicant sees on their application.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { accessBasis, authorize, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { chinaDate, type WorkingDayCalendar } from '../../platform/calendar/working-days.js';
import type { AuditService } from '../audit/service.js';
import type { ApplicationsService } from './service.js';
import { RATEABLE } from './transitions.js';
import type { TaskRow } from './repository.js';

export const POOR_RATING_MAX = 2;

export interface RatingSettings { rectificationWorkingDays: number }

export class RatingsService {
  constructor(
    private readonly db: Executor,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditService,
    private readonly calendar: WorkingDayCalendar,
    private readonly settings: RatingSettings = { rectificationWorkingDays: 15 },
  ) {}

  private get repo() { return this.applications.repo; }

  async rate(actorIn: Actor | undefined, applicationId: string, score: number, comment: string | undefined) {
    const actor = requireActor(actorIn);
    const row = await this.repo.byId(this.db, applicationId);
    const basis = row && accessBasis(actor, { ownerPersonId: row.applicant_person_id, ownerCompanyId: row.applicant_company_id, matterCode: row.matter_code });
    if (!row || !basis || basis === 'region') throw new AppError('NOT_FOUND');
    if (!RATEABLE.includes(row.status)) throw new AppError('INVALID_TRANSITION', 'An application can be rated once it has a result');
    if (await this.repo.rating(this.db, applicationId)) throw new AppError('DUPLICATE', 'This application has already been rated');
    const today = chinaDate();
    await inTransaction(this.db, async (trx) => {
      await this.repo.insertRating(trx, { application_id: row.id, score, comment: comment?.trim() || null, rated_by: actor.userId, department: row.department, region_code: row.region_code });
      let task: TaskRow | undefined;
      if (score <= POOR_RATING_MAX) {
        task = await this.repo.insertTask(trx, { application_id: row.id, department: row.department, region_code: row.region_code, due_on: this.calendar.addWorkingDays(today, this.settings.rectificationWorkingDays) });
      }
      await this.audit.append({ actor: actor.userId, action: 'application.rate', entityType: 'application', entityId: row.id, detail: { score, ...(task ? { rectificationTask: task.id } : {}) } }, trx);
    });
    return this.applications.view(row);
  }

  /** Rectification tasks of the official's region and department, soonest due first. */
  async tasks(actorIn: Actor | undefined, status: 'open' | 'replied' | undefined, limit: number) {
    const actor = requirePermission(actorIn, 'application:review');
    const admin = actor.roles.includes('admin');
    if (!admin && (!actor.regionCode || !actor.department)) return [];
    const rows = await this.repo.tasks(this.db, { regionPrefix: admin ? '' : scopePrefix(actor.regionCode!), department: admin ? undefined : actor.department, status, limit });
    return Promise.all(rows.map((t) => this.taskView(t)));
  }

  private async taskView(t: TaskRow) {
    const rating = await this.repo.rating(this.db, t.application_id);
    return {
      id: t.id, applicationId: t.application_id, status: t.status, dueOn: t.due_on, overdue: t.status === 'open' && t.due_on < chinaDate(),
      score: rating?.score ?? 0, comment: rating?.comment ?? null, reply: t.reply, version: t.version,
    };
  }

  async reply(actorIn: Actor | undefined, taskId: string, version: number, reply: string) {
    const actor = requirePermission(actorIn, 'application:review');
    const task = await this.repo.task(this.db, taskId);
    authorize(actor, task ? { regionCode: task.region_code, department: task.department } : {}, { permission: 'application:review', sameDepartment: true, allowAgent: false });
    if (!task) throw new AppError('NOT_FOUND');
    if (task.status !== 'open') throw new AppError('INVALID_TRANSITION', 'This rectification has already been answered');
    const done = await inTransaction(this.db, async (trx) => {
      const t = await this.repo.replyTask(trx, taskId, version, reply.trim(), actor.userId);
      if (!t) throw new AppError('CONFLICT');
      await this.audit.append({ actor: actor.userId, action: 'rectification.reply', entityType: 'rectification', entityId: taskId, detail: { application: t.application_id } }, trx);
      return t;
    });
    return this.taskView(done);
  }

  /** Public satisfaction figures per department (好差评 results are published). */
  async stats(region: string | undefined) {
    const rows = await this.repo.ratingStats(this.db, region ? scopePrefix(region) : '');
    return rows.map((r) => ({
      department: r.department, regionCode: r.region_code, ratings: r.ratings, average: Number(r.average),
      satisfactionRate: r.ratings ? Math.round((r.satisfied / r.ratings) * 1000) / 1000 : 0, poor: r.poor, rectified: r.rectified,
    }));
  }
}
