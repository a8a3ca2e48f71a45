/**
 * Grades drive how often entities are inspected, not only how many. A supervisor sets up a
 * standing schedule (region, items, periods a year); each grade has a ratio per round and a
 * number of rounds a year (sup_grade_policy, or the items' own: defaults A 3 % once, B 5 % once,
 * C 20 % twice, D 100 % four times a year). Round j of a grade with f rounds falls in period
 * ⌊j·P/f⌋ of the P periods, so rounds are spread evenly; a period's task draws that grade at its
 * ratio (times the rounds falling in it, capped at 100 %) and every other grade at 0. Over a
 * year a grade-g entity is thus drawn ratio × rounds times in expectation — every D entity four
 * times — while each draw stays the verifiable 双随机 draw.
 *
 * The `supervision.schedule` job creates the current period's task of every active schedule;
 * it is idempotent (one task per schedule and period, enforced by a unique index).
 */
import { inTransaction } from '../../platform/db/database.js';
import { authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { AppError, notFound } from '../../platform/errors.js';
import { chinaDate } from '../../platform/calendar/working-days.js';
import { requireRegion, type SupervisionDeps } from './context.js';
import { gradeTargets, type GradeTargets } from './catalogue.js';
import type { Draws } from './draws.js';
import { stratumCount } from './draw-algorithm.js';
import { GRADES, type Grade, type Grading } from './grading.js';

export const PERIODS_PER_YEAR = [1, 2, 3, 4, 6, 12] as const;
export interface NewSchedule { name: string; regionCode: string; itemIds: string[]; periodsPerYear: number; inspectorsPerEntity?: number }

interface ScheduleRow {
  id: string; name: string; region_code: string; item_ids: string[]; periods_per_year: number; inspectors_per_entity: number;
  active: boolean; created_by: string; version: number;
}

/** How many of a grade's `perYear` rounds fall in period `p` (1-based) of `periods`. */
export function roundsInPeriod(perYear: number, periods: number, p: number): number {
  let n = 0;
  for (let j = 0; j < perYear; j++) if (Math.floor((j * periods) / perYear) === p - 1) n += 1;
  return n;
}

/** Each grade's ratio in period `p`: 0 when none of its rounds falls there. */
export function periodRatios(targets: GradeTargets, periods: number, p: number): Record<Grade, number> {
  return Object.fromEntries(GRADES.map((g) => [g, Math.min(1, targets[g].ratio * roundsInPeriod(targets[g].perYear, periods, p))])) as Record<Grade, number>;
}

/** The period (1-based) a China calendar date falls in, and its key and first day. */
export function periodOf(date: string, periods: number) {
  const year = Number(date.slice(0, 4));
  const p = Math.floor(((Number(date.slice(5, 7)) - 1) * periods) / 12) + 1;
  return { year, p, key: periodKey(year, p, periods) };
}
const periodKey = (year: number, p: number, periods: number) => `${year}-${p}/${periods}`;
const periodStart = (year: number, p: number, periods: number) => `${year}-${String(((p - 1) * 12) / periods + 1).padStart(2, '0')}-01`;

const view = (r: ScheduleRow) => ({
  id: r.id, name: r.name, regionCode: r.region_code, itemIds: r.item_ids, periodsPerYear: r.periods_per_year,
  inspectorsPerEntity: r.inspectors_per_entity, active: r.active, version: r.version,
});

export class Schedules {
  constructor(private readonly deps: SupervisionDeps, private readonly draws: Draws, private readonly grading: Grading) {}

  async create(actor: Actor | undefined, input: NewSchedule) {
    const a = requirePermission(actor, 'supervision:plan');
    requireRegion(a, input.regionCode);
    const items = await this.draws.itemsOf(input.itemIds);
    const targets = gradeTargets(items, await this.grading.policy());
    const most = Math.max(...GRADES.map((g) => targets[g].perYear));
    // Fewer periods than rounds would fold several rounds into one draw and inspect less often than configured.
    if (input.periodsPerYear < most) {
      throw new AppError('RULE_VIOLATION', `These items need up to ${most} rounds a year; plan at least ${most} periods a year`, [{ path: '$.periodsPerYear', message: `must be at least ${most}` }]);
    }
    return inTransaction(this.deps.db, async (trx) => {
      const row = await trx.insertInto('sup_schedules').values({
        name: input.name, region_code: input.regionCode, item_ids: items.map((i) => i.id), periods_per_year: input.periodsPerYear,
        inspectors_per_entity: input.inspectorsPerEntity ?? 2, created_by: a.userId,
      }).returningAll().executeTakeFirstOrThrow() as ScheduleRow;
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.schedule.create', entityType: 'supervision_schedule', entityId: row.id, detail: { regionCode: input.regionCode, periodsPerYear: input.periodsPerYear } }, trx);
      return view(row);
    });
  }

  /** The standing schedules of the planner's region and the regions below it (all, for an administrator). */
  async list(actor: Actor | undefined) {
    const a = requirePermission(actor, 'supervision:plan');
    let query = this.deps.db.selectFrom('sup_schedules').selectAll().orderBy('created_at', 'desc').orderBy('id');
    if (!a.roles.includes('admin')) query = query.where('region_code', 'like', `${scopePrefix(a.regionCode ?? '-')}%`);
    return ((await query.execute()) as ScheduleRow[]).map(view);
  }

  private async inScope(actor: Actor | undefined, id: string): Promise<ScheduleRow> {
    const row = await this.deps.db.selectFrom('sup_schedules').selectAll().where('id', '=', id).executeTakeFirst() as ScheduleRow | undefined;
    if (!row) throw notFound('No such schedule');
    authorize(actor, { regionCode: row.region_code }, { permission: 'supervision:plan' });
    return row;
  }

  /**
   * The year's plan: per grade, how many entities it has now and how often they are drawn; per
   * period, the ratios, the counts a draw would take today, and the task once it exists.
   */
  async plan(actor: Actor | undefined, id: string, year: number) {
    const s = await this.inScope(actor, id);
    const targets = gradeTargets(await this.draws.itemsOf(s.item_ids), await this.grading.policy());
    const counts = await this.deps.db.selectFrom('sup_entities as e').innerJoin('sup_grades as g', 'g.entity_id', 'e.id')
      .select(['g.grade', (eb) => eb.fn.countAll<string>().as('n')])
      .where('e.status', '=', 'active').where('e.region_code', 'like', `${scopePrefix(s.region_code)}%`).groupBy('g.grade').execute();
    const entities = Object.fromEntries(GRADES.map((g) => [g, Number(counts.find((c) => c.grade === g)?.n ?? 0)])) as Record<Grade, number>;
    const tasks = await this.deps.db.selectFrom('sup_tasks').select(['id', 'period']).where('schedule_id', '=', s.id).where('period', 'like', `${year}-%`).execute();
    const periods = Array.from({ length: s.periods_per_year }, (_, i) => {
      const p = i + 1;
      const ratios = periodRatios(targets, s.periods_per_year, p);
      return {
        period: periodKey(year, p, s.periods_per_year), startsOn: periodStart(year, p, s.periods_per_year), ratios,
        expected: Object.fromEntries(GRADES.map((g) => [g, stratumCount(ratios[g], entities[g])])) as Record<Grade, number>,
        taskId: (tasks.find((t) => t.period === periodKey(year, p, s.periods_per_year))?.id ?? null) as string | null,
      };
    });
    const grades = GRADES.map((g) => ({
      grade: g, entities: entities[g], ratio: targets[g].ratio, perYear: targets[g].perYear,
      inspectionsPerYear: periods.reduce((sum, p) => sum + p.expected[g], 0),
    }));
    return { schedule: view(s), year, grades, periods };
  }

  /** Creates the current period's task of each active schedule that lacks it; returns the tasks created. */
  async runDue(now = new Date()): Promise<string[]> {
    const schedules = await this.deps.db.selectFrom('sup_schedules').selectAll().where('active', '=', true).execute() as ScheduleRow[];
    const created: string[] = [];
    for (const s of schedules) {
      const id = await this.createPeriodTask(s, periodOf(chinaDate(now), s.periods_per_year));
      if (id) created.push(id);
    }
    return created;
  }

  /** The same for one schedule, on a supervisor's request (e.g. right after setting it up). */
  async runNow(actor: Actor | undefined, id: string, now = new Date()) {
    const s = await this.inScope(actor, id);
    if (!s.active) throw new AppError('INVALID_TRANSITION', 'The schedule is not active');
    const period = periodOf(chinaDate(now), s.periods_per_year);
    const taskId = await this.createPeriodTask(s, period);
    const existing = taskId ?? (await this.deps.db.selectFrom('sup_tasks').select('id').where('schedule_id', '=', s.id).where('period', '=', period.key).executeTakeFirst())?.id ?? null;
    return { period: period.key, created: !!taskId, taskId: existing as string | null };
  }

  private async createPeriodTask(s: ScheduleRow, period: { year: number; p: number; key: string }): Promise<string | null> {
    const items = await this.draws.itemsOf(s.item_ids);
    const ratios = periodRatios(gradeTargets(items, await this.grading.policy()), s.periods_per_year, period.p);
    if (GRADES.every((g) => ratios[g] === 0)) return null; // no grade is due this period
    return inTransaction(this.deps.db, async (trx) => {
      const row = await this.draws.insertTask(trx, s.created_by, {
        name: `${s.name} ${period.key}`, regionCode: s.region_code, items, ratios, inspectorsPerEntity: s.inspectors_per_entity, scheduleId: s.id, period: period.key,
      });
      return (row?.id as string | undefined) ?? null;
    });
  }
}
