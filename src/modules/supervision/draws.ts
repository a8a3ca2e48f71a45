/**
 * 双随机一公开 tasks and draws. A supervisor plans a task (items of one or several departments,
 * a region, ratios per grade, inspectors per entity); committing the draw freezes the candidate
 * list per grade stratum, the inspector pool and the recusals, and publishes SM3(seed) while
 * the seed stays secret; revealing computes the selection (draw-algorithm.ts) and creates the
 * inspections. A draw is never re-run: the seed is fixed at commitment.
 */
import { randomBytes } from 'node:crypto';
import { inTransaction, sql } from '../../platform/db/database.js';
import { authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import { isWithinRegion, scopePrefix } from '../../platform/access/region-scope.js';
import { AppError, notFound } from '../../platform/errors.js';
import { requireRegion, type SupervisionDeps } from './context.js';
import { gradeTargets, type Catalogue, type ItemView } from './catalogue.js';
import type { Executor } from '../../platform/db/database.js';
import { GRADES, type Grade, type Grading } from './grading.js';
import {
  computeSelection, entitiesLackingInspectors, seedCommitment, verifyDraw,
  type FrozenDraw, type Recusal, type Selection, type Stratum,
} from './draw-algorithm.js';

export interface NewTask {
  name: string; regionCode: string; itemIds: string[]; ratios?: Partial<Record<Grade, number>>; inspectorsPerEntity?: number;
}

interface DrawRow {
  id: string; task_id: string; region_code: string; status: 'committed' | 'revealed'; seed_commitment: string; seed: string;
  strata: Stratum[]; inspector_pool: string[]; recused: Recusal[]; inspectors_per_entity: number; selected: Selection[] | null;
  committed_at: Date; revealed_at: Date | null;
}

const frozen = (d: DrawRow): FrozenDraw => ({ strata: d.strata, inspectorPool: d.inspector_pool, recused: d.recused, inspectorsPerEntity: d.inspectors_per_entity });
const INSERT_CHUNK = 2000;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The public record: exactly what an outsider needs to recompute the draw. */
export function publicDraw(d: DrawRow) {
  return {
    id: d.id, seedCommitment: d.seed_commitment, seed: d.seed, strata: d.strata, inspectorPool: d.inspector_pool,
    recused: d.recused, selected: d.selected ?? [],
  };
}

export class Draws {
  constructor(private readonly deps: SupervisionDeps, private readonly catalogue: Catalogue, private readonly grading: Grading) {}

  async planTask(actor: Actor | undefined, input: NewTask) {
    const a = requirePermission(actor, 'supervision:plan');
    requireRegion(a, input.regionCode);
    const items = await this.itemsOf(input.itemIds);
    const targets = gradeTargets(items, await this.grading.policy());
    // Per grade: the task's own ratio, else the strictest item override, else the grade default.
    const ratios = Object.fromEntries(GRADES.map((g) => [g, input.ratios?.[g] ?? targets[g].ratio])) as Record<Grade, number>;
    return inTransaction(this.deps.db, async (trx) => {
      const row = await this.insertTask(trx, a.userId, { name: input.name, regionCode: input.regionCode, items, ratios, inspectorsPerEntity: input.inspectorsPerEntity ?? 2 });
      return this.taskView(row!, undefined);
    });
  }

  /** The items, all of them, or 400 naming each unknown id (as the request gave it). */
  async itemsOf(requested: string[]) {
    const itemIds = [...new Set(requested)];
    const items = await this.catalogue.byIds(itemIds);
    if (items.length !== itemIds.length) {
      const missing = itemIds.filter((id) => !items.some((i) => i.id === id));
      throw new AppError('VALIDATION_FAILED', 'Unknown supervision item(s)', missing.map((id) => ({ path: `$.itemIds[${requested.indexOf(id)}]`, message: `no item ${id}` })));
    }
    return items;
  }

  /**
   * Inserts a task (and its audit entry). A schedule's task names its schedule and period; a
   * second one for the same period is not created (null), so the scheduling job may run anywhere, any number of times.
   */
  async insertTask(trx: Executor, by: string, t: {
    name: string; regionCode: string; items: ItemView[]; ratios: Record<Grade, number>; inspectorsPerEntity: number; scheduleId?: string; period?: string;
  }): Promise<Record<string, any> | null> {
    const departments = [...new Set(t.items.map((i) => i.department))].sort();
    const row = await trx.insertInto('sup_tasks').values({
      name: t.name, region_code: t.regionCode, departments, item_ids: t.items.map((i) => i.id), ratios: JSON.stringify(t.ratios),
      inspectors_per_entity: t.inspectorsPerEntity, created_by: by, schedule_id: t.scheduleId ?? null, period: t.period ?? null,
    }).onConflict((oc) => oc.columns(['schedule_id', 'period']).where('schedule_id', 'is not', null).doNothing()).returningAll().executeTakeFirst();
    if (!row) return null;
    await this.deps.audit.append({ actor: by, action: 'supervision.task.plan', entityType: 'supervision_task', entityId: row.id, detail: { regionCode: t.regionCode, departments, ratios: t.ratios, scheduleId: t.scheduleId, period: t.period } }, trx);
    return row;
  }

  private taskView(t: Record<string, any>, d: DrawRow | undefined) {
    return {
      id: t.id as string, name: t.name as string, regionCode: t.region_code as string, departments: t.departments as string[],
      itemIds: t.item_ids as string[], ratios: t.ratios as Record<Grade, number>, inspectorsPerEntity: t.inspectors_per_entity as number,
      joint: (t.departments as string[]).length > 1, scheduleId: (t.schedule_id ?? null) as string | null, period: (t.period ?? null) as string | null, version: t.version as number,
      draw: d ? { id: d.id, status: d.status, seedCommitment: d.seed_commitment, committedAt: d.committed_at.toISOString(), revealedAt: d.revealed_at?.toISOString() ?? null } : null,
    };
  }

  private async taskInScope(actor: Actor | undefined, taskId: string) {
    const task = await this.deps.db.selectFrom('sup_tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
    if (!task) throw notFound('No such task');
    authorize(actor, { regionCode: task.region_code }, { permission: 'supervision:plan' });
    return task;
  }

  async getTask(actor: Actor | undefined, taskId: string) {
    const task = await this.taskInScope(actor, taskId);
    const draw = await this.deps.db.selectFrom('sup_draws').selectAll().where('task_id', '=', taskId).executeTakeFirst() as DrawRow | undefined;
    return this.taskView(task, draw);
  }

  /** Freezes candidates, strata, pool and recusals; publishes SM3(seed). Refused once a draw exists. */
  async commit(actor: Actor | undefined, taskId: string) {
    const a = requirePermission(actor, 'supervision:plan');
    const task = await this.taskInScope(a, taskId);
    return inTransaction(this.deps.db, async (trx) => {
      // Serialises concurrent commits of one task; the UNIQUE(task_id) backs it up.
      await trx.selectFrom('sup_tasks').select('id').where('id', '=', taskId).forUpdate().execute();
      const existing = await trx.selectFrom('sup_draws').select(['id', 'status']).where('task_id', '=', taskId).executeTakeFirst();
      if (existing) throw new AppError('DRAW_STATE', `This task was already drawn (draw ${existing.id}, ${existing.status}); a draw is never re-run`);
      await this.grading.recompute(trx, { regionCode: task.region_code });
      const inspectors = (await trx.selectFrom('sup_inspectors').select(['user_id', 'region_code'])
        .where('active', '=', true).where('department', 'in', task.departments).execute())
        .filter((i) => isWithinRegion(task.region_code, i.region_code) || isWithinRegion(i.region_code, task.region_code));
      const pool = inspectors.map((i) => i.user_id as string).sort(byString);
      // The candidates never leave PostgreSQL: a city-wide draw freezes hundreds of thousands of
      // ids, so the strata are built and stored by one INSERT … SELECT (uuid order is the ids'
      // lowercase-hex order, as published). Only the recusals among them come back, to be checked.
      const candidates = sql`SELECT e.id, e.person_id, g.grade FROM sup_entities e JOIN sup_grades g ON g.entity_id = e.id
        WHERE e.status = 'active' AND e.region_code LIKE ${`${scopePrefix(task.region_code)}%`}`;
      const poolArray = sql`${`{${pool.join(',')}}`}::uuid[]`;
      // Declared conflicts, and an inspector who is the entity's own person without having to declare it.
      const recused = (await sql<Recusal>`
        WITH c AS (${candidates})
        SELECT r.entity_id::text AS "entityId", r.inspector_id::text AS "inspectorId" FROM sup_recusals r JOIN c ON c.id = r.entity_id WHERE r.inspector_id = ANY(${poolArray})
        UNION
        SELECT c.id::text, i.user_id::text FROM c JOIN sup_inspectors i ON i.person_id = c.person_id WHERE i.user_id = ANY(${poolArray})
        ORDER BY 1, 2`.execute(trx)).rows;
      // Only an entity with recusals can lack inspectors once the pool itself is big enough.
      const lacking = entitiesLackingInspectors({
        strata: [{ name: 'recused', count: 0, candidates: [...new Set(recused.map((r) => r.entityId))] }], inspectorPool: pool, recused, inspectorsPerEntity: task.inspectors_per_entity,
      });
      if (pool.length < task.inspectors_per_entity || lacking.length) {
        throw new AppError('NOT_ENOUGH_INSPECTORS', `Each inspection needs ${task.inspectors_per_entity} eligible inspectors; the pool has ${pool.length}`,
          lacking.slice(0, 20).map((id) => ({ path: '$.candidates', message: `entity ${id} has fewer than ${task.inspectors_per_entity} non-recused inspectors` })));
      }
      const seed = randomBytes(32).toString('hex');
      // count = ⌈ratio·n⌉ at most n, as stratumCount in draw-algorithm.ts (numeric is exact for decimal ratios).
      const inserted = await sql<DrawRow & { summary: { name: string; count: number; candidates: number }[] }>`
        WITH c AS (${candidates}),
        per AS (SELECT grade, count(*)::int AS n, jsonb_agg(id ORDER BY id) AS ids FROM c GROUP BY grade),
        strata AS (
          SELECT jsonb_agg(jsonb_build_object(
                   'name', v.grade,
                   'count', LEAST(coalesce(per.n, 0), ceil(round((${JSON.stringify(task.ratios)}::jsonb ->> v.grade)::numeric * coalesce(per.n, 0), 6)))::int,
                   'candidates', coalesce(per.ids, '[]'::jsonb)) ORDER BY v.grade) AS doc
          FROM (VALUES ('A'), ('B'), ('C'), ('D')) AS v(grade) LEFT JOIN per ON per.grade = v.grade
        )
        INSERT INTO sup_draws (task_id, region_code, status, seed_commitment, seed, strata, inspector_pool, recused, inspectors_per_entity)
        SELECT ${taskId}::uuid, ${task.region_code}, 'committed', ${seedCommitment(seed)}, ${seed}, strata.doc, ${JSON.stringify(pool)}::jsonb, ${JSON.stringify(recused)}::jsonb, ${task.inspectors_per_entity}::int
        FROM strata
        RETURNING id, task_id, region_code, status, seed_commitment, committed_at, revealed_at,
          (SELECT jsonb_agg(jsonb_build_object('name', s ->> 'name', 'count', (s ->> 'count')::int, 'candidates', jsonb_array_length(s -> 'candidates')))
           FROM jsonb_array_elements(strata) AS s) AS summary`.execute(trx);
      const row = inserted.rows[0]!;
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.draw.commit', entityType: 'supervision_draw', entityId: row.id,
        detail: { taskId, seedCommitment: row.seed_commitment, strata: row.summary, pool: pool.length } }, trx);
      return this.taskView(task, row);
    });
  }

  /** Reveals the seed and applies the published rule; creates one inspection per selected entity. */
  async reveal(actor: Actor | undefined, drawId: string) {
    const a = requirePermission(actor, 'supervision:plan');
    return inTransaction(this.deps.db, async (trx) => {
      const draw = await trx.selectFrom('sup_draws').selectAll().where('id', '=', drawId).forUpdate().executeTakeFirst() as DrawRow | undefined;
      if (!draw) throw notFound('No such draw');
      authorize(a, { regionCode: draw.region_code }, { permission: 'supervision:plan' });
      if (draw.status !== 'committed') throw new AppError('DRAW_STATE', 'The seed was already revealed; a draw is never re-run');
      const task = await trx.selectFrom('sup_tasks').selectAll().where('id', '=', draw.task_id).executeTakeFirstOrThrow();
      const selected = computeSelection(draw.seed, frozen(draw));
      const revealed = await trx.updateTable('sup_draws').set({ status: 'revealed', selected: JSON.stringify(selected), revealed_at: new Date() })
        .where('id', '=', drawId).returningAll().executeTakeFirstOrThrow() as DrawRow;
      // In chunks: a draw over a whole city selects tens of thousands, beyond one statement's parameters.
      for (let i = 0; i < selected.length; i += INSERT_CHUNK) {
        await trx.insertInto('sup_inspections').values(selected.slice(i, i + INSERT_CHUNK).map((s) => ({
          draw_id: drawId, task_id: task.id, entity_id: s.entityId, inspectors: s.inspectors, status: 'assigned',
        }))).execute();
      }
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.draw.reveal', entityType: 'supervision_draw', entityId: drawId, detail: { seed: draw.seed, selected: selected.length } }, trx);
      return publicDraw(revealed);
    });
  }

  /** Public: revealed draws, newest first. */
  async listPublic(limit: number, before?: string) {
    let q = this.deps.db.selectFrom('sup_draws as d').innerJoin('sup_tasks as t', 't.id', 'd.task_id')
      .select(['d.id', 't.name', 'd.region_code', 't.departments', 'd.seed_commitment', 'd.revealed_at', 'd.selected'])
      .where('d.status', '=', 'revealed').orderBy('d.revealed_at', 'desc').orderBy('d.id', 'desc').limit(limit);
    if (before) q = q.where('d.revealed_at', '<', new Date(before));
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id as string, taskName: r.name as string, regionCode: r.region_code as string, departments: r.departments as string[],
      seedCommitment: r.seed_commitment as string, revealedAt: (r.revealed_at as Date).toISOString(), selectedCount: (r.selected as Selection[]).length,
    }));
  }

  private async revealedDraw(drawId: string): Promise<DrawRow> {
    const draw = await this.deps.db.selectFrom('sup_draws').selectAll().where('id', '=', drawId).executeTakeFirst() as DrawRow | undefined;
    // Before the reveal the draw is not public at all: its candidates would hint at the outcome.
    if (!draw || draw.status !== 'revealed') throw notFound('No such revealed draw');
    return draw;
  }

  async getPublic(drawId: string) {
    return publicDraw(await this.revealedDraw(drawId));
  }

  async verify(drawId: string) {
    const d = await this.revealedDraw(drawId);
    return verifyDraw({ ...frozen(d), seed: d.seed, seedCommitment: d.seed_commitment, selected: d.selected ?? [] });
  }
}
