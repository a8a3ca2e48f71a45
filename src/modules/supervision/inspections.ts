/**
 * Inspections drawn by 双随机: the assigned inspectors fill the items' forms on site, possibly
 * offline, so a result carries the device's own time (`inspectedAt`) and a client-made
 * `submissionId` that makes resubmission harmless. Results are public: pass and rectify at once,
 * a penalty once the supervisor has confirmed it — and every one within 20 working days of
 * being produced (企业信息公示暂行条例 art. 6); later ones are flagged overdue.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction, sql } from '../../platform/db/database.js';
import { authorize, hasPermission, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import { AppError, conflict, notFound, type ErrorDetail } from '../../platform/errors.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { ymd, ymdOrNull, type SupervisionDeps } from './context.js';
import type { Catalogue } from './catalogue.js';
import type { Grading } from './grading.js';
import type { Evidence, EvidenceUpload } from './evidence.js';
import { chinaDate } from '../../platform/calendar/working-days.js';

export const PUBLICATION_WORKING_DAYS = 20;
/** A device clock may run a little ahead; beyond this an `inspectedAt` is refused. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface InspectionResult {
  submissionId: string;
  inspectedAt: string;
  answers: Record<string, string | number | boolean>;
  outcome: 'pass' | 'rectify' | 'penalty';
  rectifyBy?: string;
  penalty?: { severity: 'minor' | 'ordinary' | 'serious'; decision: string };
  summary: string;
  evidence?: EvidenceUpload[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function view(r: Record<string, any>, today: string) {
  return {
    id: r.id as string, taskId: r.task_id as string, drawId: r.draw_id as string | null, entityId: r.entity_id as string,
    entityName: r.entity_name as string, itemIds: (r.task_item_ids ?? []) as string[], inspectors: r.inspectors as string[], status: r.status as string,
    inspectedAt: iso(r.inspected_at), outcome: r.outcome ?? null, rectifyBy: ymdOrNull(r.rectify_by), summary: r.summary ?? null,
    answers: r.answers ?? null, publishDue: ymdOrNull(r.publish_due), publishedAt: iso(r.published_at),
    overdue: overdue(r, today), version: r.version as number,
  };
}

/** Unpublished past the due date, or published after it. */
function overdue(r: Record<string, any>, today: string): boolean {
  if (!r.publish_due) return false;
  const publishedOn = r.published_at ? chinaDate(r.published_at) : today;
  return publishedOn > ymd(r.publish_due);
}

export class Inspections {
  constructor(
    private readonly deps: SupervisionDeps, private readonly catalogue: Catalogue, private readonly grading: Grading, private readonly evidence: Evidence,
  ) {}

  private base(db: Executor) {
    return db.selectFrom('sup_inspections as i').innerJoin('sup_entities as e', 'e.id', 'i.entity_id').innerJoin('sup_tasks as t', 't.id', 'i.task_id')
      .selectAll('i').select(['e.name as entity_name', 'e.region_code', 'e.uscc', 't.item_ids as task_item_ids']);
  }

  private async inScope(actor: Actor | undefined, id: string, db: Executor = this.deps.db) {
    const row = await this.base(db).where('i.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('No such inspection');
    const a = requireActor(actor);
    // Supervisors and inspectors of the region see it (who was drawn is public anyway);
    // nobody else learns it exists. Only the drawn inspectors may record its result.
    const permission = hasPermission(a, 'supervision:plan') ? 'supervision:plan' : 'supervision:inspect';
    authorize(a, { regionCode: row.region_code }, { permission });
    return row;
  }

  async get(actor: Actor | undefined, id: string) {
    return view(await this.inScope(actor, id), chinaDate(new Date()));
  }

  /** My assignments (inspectors), or everything in my region (supervisors), optionally only overdue ones. */
  async list(actor: Actor | undefined, q: { status?: string; overdue?: boolean; limit: number }) {
    const a = requireActor(actor);
    const today = chinaDate(new Date());
    let query = this.base(this.deps.db).orderBy('i.id').limit(q.limit);
    if (a.roles.includes('supervisor') || a.roles.includes('admin')) {
      requirePermission(a, 'supervision:plan');
      if (!a.roles.includes('admin')) query = query.where('e.region_code', 'like', `${scopePrefix(a.regionCode ?? '-')}%`);
    } else {
      requirePermission(a, 'supervision:inspect');
      query = query.where(sql<boolean>`${a.userId}::uuid = ANY(i.inspectors)`);
    }
    if (q.status) query = query.where('i.status', '=', q.status);
    if (q.overdue) query = query.where('i.status', '=', 'recorded').where('i.publish_due', '<', today);
    return (await query.execute()).map((r) => view(r, today));
  }

  async submit(actor: Actor | undefined, id: string, input: InspectionResult) {
    const a = requirePermission(actor, 'supervision:inspect');
    return inTransaction(this.deps.db, async (trx) => {
      const row = await this.inScope(a, id, trx);
      if (!(row.inspectors as string[]).includes(a.userId)) throw new AppError('FORBIDDEN', 'Only the inspectors drawn for this inspection may record its result');
      // Same submission again (a retry after a lost connection): answer as the first time.
      if (row.submission_id === input.submissionId) return view(row, chinaDate(new Date()));
      if (row.status !== 'assigned') throw conflict('A result was already recorded for this inspection');
      const at = new Date(input.inspectedAt);
      const draw = await trx.selectFrom('sup_draws').select('revealed_at').where('id', '=', row.draw_id).executeTakeFirst();
      if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw new AppError('RULE_VIOLATION', 'inspectedAt lies in the future', [{ path: '$.inspectedAt', message: 'in the future' }]);
      if (draw?.revealed_at && at < draw.revealed_at) throw new AppError('RULE_VIOLATION', 'inspectedAt is before the draw that assigned this inspection', [{ path: '$.inspectedAt', message: 'before the draw' }]);
      await this.checkAnswers(row.task_id, input, trx);
      const day = chinaDate(at);
      if (input.outcome === 'rectify' && (!input.rectifyBy || input.rectifyBy <= day)) throw new AppError('VALIDATION_FAILED', 'A rectification needs a deadline after the inspection', [{ path: '$.rectifyBy', message: 'is required and must follow inspectedAt' }]);
      if ((input.outcome === 'penalty') !== !!input.penalty) throw new AppError('VALIDATION_FAILED', 'A penalty outcome needs a penalty, and only it', [{ path: '$.penalty', message: input.penalty ? 'only for outcome penalty' : 'is required' }]);
      // A penalty is published after the supervisor confirms it; other outcomes go public at once.
      const publishNow = input.outcome !== 'penalty';
      const updated = await trx.updateTable('sup_inspections').set({
        status: publishNow ? 'published' : 'recorded', submission_id: input.submissionId, submitted_by: a.userId, inspected_at: at,
        received_at: new Date(), answers: JSON.stringify(input.answers), outcome: input.outcome, rectify_by: input.outcome === 'rectify' ? input.rectifyBy! : null,
        penalty: input.penalty ? JSON.stringify(input.penalty) : null, summary: input.summary,
        publish_due: this.deps.calendar.addWorkingDays(day, PUBLICATION_WORKING_DAYS), published_at: publishNow ? new Date() : null, version: sql`version + 1`,
      }).where('id', '=', id).where('status', '=', 'assigned').returning('id').executeTakeFirst();
      if (!updated) throw conflict('A result was already recorded for this inspection');
      await this.evidence.store(trx, id, input.evidence ?? []);
      const dept = await trx.selectFrom('sup_inspectors').select('department').where('user_id', '=', a.userId).executeTakeFirst();
      if (input.penalty) {
        await trx.insertInto('sup_penalties').values({ entity_id: row.entity_id, inspection_id: id, severity: input.penalty.severity, decision: input.penalty.decision, department: dept?.department ?? a.department ?? '', decided_at: day }).execute();
      }
      await this.grading.recompute(trx, { entityId: row.entity_id });
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.inspection.record', entityType: 'inspection', entityId: id, detail: { outcome: input.outcome, submissionId: input.submissionId, inspectedAt: at.toISOString(), evidence: (input.evidence ?? []).length } }, trx);
      return view(await this.base(trx).where('i.id', '=', id).executeTakeFirstOrThrow(), chinaDate(new Date()));
    });
  }

  /** Each form field of the task's items must be answered with a value of its type. */
  private async checkAnswers(taskId: string, input: InspectionResult, db: Executor) {
    const task = await db.selectFrom('sup_tasks').select('item_ids').where('id', '=', taskId).executeTakeFirstOrThrow();
    const fields = (await this.catalogue.byIds(task.item_ids as string[], db)).flatMap((item) => item.form);
    const details: ErrorDetail[] = [];
    for (const f of fields) {
      const v = input.answers[f.key];
      if (v === undefined) details.push({ path: `$.answers.${f.key}`, message: `is required (${f.label})` });
      else if (typeof v !== (f.type === 'text' ? 'string' : f.type)) details.push({ path: `$.answers.${f.key}`, message: `must be a ${f.type}` });
    }
    const known = new Set(fields.map((f) => f.key));
    for (const k of Object.keys(input.answers)) if (!known.has(k)) details.push({ path: `$.answers.${k}`, message: 'unknown property' });
    if (details.length) throw new AppError('VALIDATION_FAILED', 'The inspection form is not complete', details);
  }

  async publish(actor: Actor | undefined, id: string, version: number) {
    const a = requirePermission(actor, 'supervision:plan');
    return inTransaction(this.deps.db, async (trx) => {
      const row = await this.inScope(a, id, trx);
      if (row.status !== 'recorded') throw new AppError('INVALID_TRANSITION', row.status === 'published' ? 'Already published' : 'No result recorded yet');
      const done = await trx.updateTable('sup_inspections').set({ status: 'published', published_at: new Date(), version: sql`version + 1` })
        .where('id', '=', id).where('version', '=', version).returning('id').executeTakeFirst();
      if (!done) throw conflict();
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.inspection.publish', entityType: 'inspection', entityId: id, detail: {} }, trx);
      return view(await this.base(trx).where('i.id', '=', id).executeTakeFirstOrThrow(), chinaDate(new Date()));
    });
  }

  /** The public page: published results with the entity, items, outcome and publication timeliness. */
  async publicResults(q: { entityId?: string; limit: number }) {
    const today = chinaDate(new Date());
    let query = this.deps.db.selectFrom('sup_inspections as i').innerJoin('sup_entities as e', 'e.id', 'i.entity_id')
      .innerJoin('sup_tasks as t', 't.id', 'i.task_id')
      .select(['i.id', 'i.entity_id', 'e.name', 'e.uscc', 't.name as task_name', 't.departments', 'i.outcome', 'i.rectify_by', 'i.summary', 'i.inspected_at', 'i.publish_due', 'i.published_at', 'i.draw_id'])
      .where('i.status', '=', 'published').orderBy('i.published_at', 'desc').limit(q.limit);
    if (q.entityId) query = query.where('i.entity_id', '=', q.entityId);
    return (await query.execute()).map((r) => ({
      id: r.id as string, entityId: r.entity_id as string, entityName: r.name as string, uscc: r.uscc as string | null,
      task: r.task_name as string, departments: r.departments as string[], drawId: r.draw_id as string | null,
      outcome: r.outcome as string, rectifyBy: ymdOrNull(r.rectify_by), summary: r.summary as string,
      inspectedAt: (r.inspected_at as Date).toISOString(), publishDue: ymd(r.publish_due), publishedAt: (r.published_at as Date).toISOString(),
      late: overdue(r, today),
    }));
  }
}
