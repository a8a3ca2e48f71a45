/**
 * Credit and risk grades (A best … D worst), computed by configurable rules in one set-based SQL
 * statement: per-entity signals are aggregated with grouped joins, unpivoted, matched against
 * `sup_grade_rules` (signal ≥ threshold → points), summed, and mapped onto the grade bands of
 * `sup_grade_policy`. The rules that fired are stored with the grade, so a grade explains itself.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction, sql } from '../../platform/db/database.js';
import { requirePermission, type Actor } from '../../platform/access/policy.js';
import { scopePrefix } from '../../platform/access/region-scope.js';
import { AppError } from '../../platform/errors.js';
import { entityInScope, type SupervisionDeps } from './context.js';

export type Grade = 'A' | 'B' | 'C' | 'D';
export const GRADES: Grade[] = ['A', 'B', 'C', 'D'];

export interface GradePolicy { grade: Grade; ratio: number; perYear: number; minScore: number }

export class Grading {
  constructor(private readonly deps: SupervisionDeps) {}

  /**
   * Recomputes the grades of every active entity in a region (or of one entity). One statement,
   * no per-row code: it is what the 1,000,000-entity benchmark measures.
   */
  async recompute(db: Executor, scope: { regionCode?: string; entityId?: string } = {}): Promise<number> {
    const prefix = scope.regionCode ? `${scopePrefix(scope.regionCode)}%` : '%';
    const only = scope.entityId ?? null;
    const result = await sql`
      WITH e AS (
        SELECT id FROM sup_entities
        WHERE status = 'active' AND region_code LIKE ${prefix} AND (${only}::uuid IS NULL OR id = ${only}::uuid)
      ),
      insp AS (SELECT entity_id, count(*) AS n FROM sup_inspections
               WHERE outcome IN ('rectify', 'penalty') AND inspected_at > now() - interval '1 year' GROUP BY entity_id),
      pen AS (SELECT entity_id, count(*) AS n, count(*) FILTER (WHERE severity = 'serious') AS serious
              FROM sup_penalties WHERE withdrawn_at IS NULL GROUP BY entity_id),
      lst AS (SELECT entity_id, count(*) FILTER (WHERE list = 'abnormal') AS abnormal, count(*) FILTER (WHERE list = 'serious') AS serious
              FROM sup_list_entries WHERE exited_at IS NULL GROUP BY entity_id),
      cmp AS (SELECT entity_id, count(*) AS n FROM sup_complaints WHERE received_at > now() - interval '1 year' GROUP BY entity_id),
      plat AS (SELECT entity_id, sum(complaints) AS n FROM sup_platform_reports WHERE received_at > now() - interval '1 year' GROUP BY entity_id),
      fol AS (SELECT entity_id, count(*) AS n FROM sup_followups WHERE status = 'false' GROUP BY entity_id),
      signals AS (
        SELECT e.id, v.signal, v.value
        FROM e
        LEFT JOIN insp ON insp.entity_id = e.id LEFT JOIN pen ON pen.entity_id = e.id LEFT JOIN lst ON lst.entity_id = e.id
        LEFT JOIN cmp ON cmp.entity_id = e.id LEFT JOIN plat ON plat.entity_id = e.id LEFT JOIN fol ON fol.entity_id = e.id
        CROSS JOIN LATERAL (VALUES
          ('failed_inspections', coalesce(insp.n, 0)::numeric), ('penalties', coalesce(pen.n, 0)::numeric),
          ('serious_penalties', coalesce(pen.serious, 0)::numeric), ('abnormal_listed', coalesce(lst.abnormal, 0)::numeric),
          ('serious_listed', coalesce(lst.serious, 0)::numeric), ('complaints', coalesce(cmp.n, 0)::numeric),
          ('platform_complaints', coalesce(plat.n, 0)::numeric), ('false_commitments', coalesce(fol.n, 0)::numeric)
        ) AS v(signal, value)
      ),
      fired AS (
        SELECT s.id, r.code, r.description, r.points, r.version, s.value
        FROM signals s JOIN sup_grade_rules r ON r.signal = s.signal AND r.enabled AND s.value >= r.threshold
      ),
      scored AS (
        SELECT e.id, coalesce(sum(f.points), 0)::int AS score,
               coalesce(jsonb_agg(jsonb_build_object('code', f.code, 'ruleVersion', f.version, 'description', f.description, 'value', f.value, 'points', f.points)
                                  ORDER BY f.code) FILTER (WHERE f.code IS NOT NULL), '[]'::jsonb) AS fired
        FROM e LEFT JOIN fired f ON f.id = e.id GROUP BY e.id
      ),
      bands AS (SELECT grade, min_score, lead(min_score) OVER (ORDER BY min_score) AS next_min FROM sup_grade_policy)
      INSERT INTO sup_grades (entity_id, grade, score, fired, computed_at)
      SELECT s.id, b.grade, s.score, s.fired, now()
      FROM scored s JOIN bands b ON s.score >= b.min_score AND (b.next_min IS NULL OR s.score < b.next_min)
      ON CONFLICT (entity_id) DO UPDATE SET grade = EXCLUDED.grade, score = EXCLUDED.score, fired = EXCLUDED.fired, computed_at = EXCLUDED.computed_at
    `.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** The grade of one entity with the rules that fired (owners see their own; officials in scope). */
  async explain(actor: Actor | undefined, entityId: string) {
    const entity = await entityInScope(this.deps.db, actor, entityId, 'supervision:list');
    let row = await this.deps.db.selectFrom('sup_grades').selectAll().where('entity_id', '=', entity.id).executeTakeFirst();
    if (!row) {
      await this.recompute(this.deps.db, { entityId: entity.id });
      row = await this.deps.db.selectFrom('sup_grades').selectAll().where('entity_id', '=', entity.id).executeTakeFirstOrThrow();
    }
    return { entityId: entity.id, grade: row.grade as Grade, score: row.score as number, fired: row.fired as { code: string; ruleVersion?: number; description: string; value: number; points: number }[], computedAt: (row.computed_at as Date).toISOString() };
  }

  async policy(db: Executor = this.deps.db): Promise<GradePolicy[]> {
    return (await this.versionedPolicy(db)).items;
  }

  /** The policy as the one versioned whole administrators edit (config-admin.ts). */
  async versionedPolicy(db: Executor = this.deps.db, lock = false): Promise<{ items: GradePolicy[]; version: number; updatedAt: string }> {
    let query = db.selectFrom('sup_grade_policy').selectAll().orderBy('grade');
    if (lock) query = query.forUpdate();
    const rows = await query.execute();
    return {
      items: rows.map((r) => ({ grade: r.grade, ratio: Number(r.ratio), perYear: r.per_year, minScore: r.min_score })),
      version: Math.max(...rows.map((r) => r.version as number)),
      updatedAt: new Date(Math.max(...rows.map((r) => (r.updated_at as Date).getTime()))).toISOString(),
    };
  }
}
