/**
 * The configurable rules of supervision, edited through the API instead of SQL:
 *  - grading rules (signal ≥ threshold → points) — nationwide, administrators only; every change
 *    regrades all entities in the same transaction (one set-based statement), so no grade is
 *    ever computed with a rule that is no longer in force;
 *  - credit-repair minimum publication periods by severity — nationwide, administrators only;
 *  - joint-discipline restrictions — administrators, or a department's officials for their own
 *    department's matters within their region.
 * Each record carries a version (a stale edit gets 409) and every change is written to
 * `sup_config_history` (before, after, reason, who) and to the audit chain, so a grade that
 * fired rule X at version 3 can be explained by what version 3 said.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction, sql } from '../../platform/db/database.js';
import { authorize, requirePermission, type Actor } from '../../platform/access/policy.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { requireRegion, type SupervisionDeps } from './context.js';
import { GRADES, type GradePolicy, type Grading } from './grading.js';
import { UUID_ANY_CASE } from '../../platform/uuid.js';

export type ConfigKind = 'grade_rule' | 'repair_period' | 'restriction' | 'grade_policy';
export const SIGNALS = ['failed_inspections', 'penalties', 'serious_penalties', 'abnormal_listed', 'serious_listed', 'complaints', 'platform_complaints', 'false_commitments'] as const;
export const REPAIR_SUBJECTS = ['penalty:minor', 'penalty:ordinary', 'penalty:serious', 'list:abnormal', 'list:serious'] as const;

export interface RuleInput { code: string; signal: (typeof SIGNALS)[number]; threshold: number; points: number; description: string; enabled?: boolean; reason: string }
export interface RulePatch { threshold?: number; points?: number; description?: string; enabled?: boolean; version: number; reason: string }
export interface RestrictionInput {
  list: 'abnormal' | 'serious'; department: string; matterCode: string; restriction: 'no_commitment' | 'no_tolerance' | 'extra_review';
  regionCode?: string; reason: string;
}

const ruleView = (r: Record<string, any>) => ({
  code: r.code as string, signal: r.signal as string, threshold: Number(r.threshold), points: r.points as number, description: r.description as string,
  enabled: r.enabled as boolean, version: r.version as number, updatedAt: (r.updated_at as Date).toISOString(),
});
const periodView = (r: Record<string, any>) => ({ subject: r.subject as string, months: r.months as number, version: r.version as number, updatedAt: (r.updated_at as Date).toISOString() });
const restrictionView = (r: Record<string, any>) => ({
  id: r.id as string, list: r.list as string, department: r.department as string, matterCode: r.matter_code as string, restriction: r.restriction as string,
  regionCode: (r.region_code || null) as string | null, active: r.active as boolean, version: r.version as number, updatedAt: (r.updated_at as Date).toISOString(),
});
/** What the history keeps of each kind: the fields a person would ask about, not timestamps. */
const ruleState = (r: ReturnType<typeof ruleView>) => ({ signal: r.signal, threshold: r.threshold, points: r.points, description: r.description, enabled: r.enabled });
const restrictionState = (r: ReturnType<typeof restrictionView>) => ({ list: r.list, department: r.department, matterCode: r.matterCode, restriction: r.restriction, regionCode: r.regionCode ?? '', active: r.active });

export class SupervisionConfig {
  constructor(private readonly deps: SupervisionDeps, private readonly grading: Grading) {}

  private async record(trx: Executor, by: Actor, kind: ConfigKind, key: string, version: number, before: unknown, after: unknown, reason: string) {
    await trx.insertInto('sup_config_history').values({
      kind, key, version, before: before === null ? null : JSON.stringify(before), after: JSON.stringify(after), reason, changed_by: by.userId,
    }).execute();
    await this.deps.audit.append({ actor: by.userId, action: `supervision.config.${kind}`, entityType: `supervision_${kind}`, entityId: key, detail: { version, before, after, reason } }, trx);
  }

  /** Who changed what, when and why (officials who may read the configuration). */
  async history(actor: Actor | undefined, q: { kind?: ConfigKind; key?: string; limit: number }) {
    requirePermission(actor, 'supervision:list');
    let query = this.deps.db.selectFrom('sup_config_history').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.key) query = query.where('key', '=', q.key);
    const rows = await query.execute();
    // changed_by is a user id, or 'system:…' for what a migration shipped.
    const names = await this.deps.identity.displayNames(rows.map((r) => r.changed_by as string).filter((id) => UUID_ANY_CASE.test(id)));
    return rows.map((r) => ({
      kind: r.kind as ConfigKind, key: r.key as string, version: r.version as number, before: r.before ?? null, after: r.after,
      reason: r.reason as string, changedBy: r.changed_by as string, changedByName: names.get(r.changed_by as string) ?? null,
      changedAt: (r.changed_at as Date).toISOString(),
    }));
  }

  // ── grading rules ───────────────────────────────────────────────────────────────────────

  async rules(actor: Actor | undefined) {
    requirePermission(actor, 'supervision:list');
    return (await this.deps.db.selectFrom('sup_grade_rules').selectAll().orderBy('code').execute()).map(ruleView);
  }

  async createRule(actor: Actor | undefined, input: RuleInput) {
    const a = requirePermission(actor, 'platform:admin');
    return inTransaction(this.deps.db, async (trx) => {
      const row = await trx.insertInto('sup_grade_rules').values({
        code: input.code, signal: input.signal, threshold: input.threshold, points: input.points, description: input.description, enabled: input.enabled ?? true,
      }).onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
      if (!row) throw new AppError('DUPLICATE', `A grading rule ${input.code} exists; change it instead`);
      const rule = ruleView(row);
      await this.record(trx, a, 'grade_rule', rule.code, 1, null, ruleState(rule), input.reason);
      return { rule, regraded: await this.grading.recompute(trx) };
    });
  }

  async updateRule(actor: Actor | undefined, code: string, patch: RulePatch) {
    const a = requirePermission(actor, 'platform:admin');
    return inTransaction(this.deps.db, async (trx) => {
      const current = await trx.selectFrom('sup_grade_rules').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
      if (!current) throw notFound('No such grading rule');
      if (current.version !== patch.version) throw conflict();
      const changes = Object.fromEntries(Object.entries({ threshold: patch.threshold, points: patch.points, description: patch.description, enabled: patch.enabled }).filter(([, v]) => v !== undefined));
      if (!Object.keys(changes).length) throw new AppError('VALIDATION_FAILED', 'Nothing to change', [{ path: '$', message: 'give threshold, points, description or enabled' }]);
      const row = await trx.updateTable('sup_grade_rules').set({ ...changes, version: sql`version + 1`, updated_at: new Date() })
        .where('code', '=', code).returningAll().executeTakeFirstOrThrow();
      const rule = ruleView(row);
      await this.record(trx, a, 'grade_rule', code, rule.version, ruleState(ruleView(current)), ruleState(rule), patch.reason);
      return { rule, regraded: await this.grading.recompute(trx) };
    });
  }

  // ── grade policy: ratio, rounds a year and score band per grade ─────────────────────────

  /**
   * Replaces the whole policy (configurable defaults A 3 %, B 5 %, C 20 %, D 100 %). Tasks and
   * standing schedules planned afterwards take it; draws already made keep what they used.
   */
  async setGradePolicy(actor: Actor | undefined, input: { items: GradePolicy[]; version: number; reason: string }) {
    const a = requirePermission(actor, 'platform:admin');
    const policy = input.items;
    if (policy.length !== 4 || new Set(policy.map((p) => p.grade)).size !== 4) throw new AppError('VALIDATION_FAILED', 'Give exactly one policy for each of A, B, C, D');
    const mins = [...policy].sort((x, y) => GRADES.indexOf(x.grade) - GRADES.indexOf(y.grade)).map((p) => p.minScore);
    if (mins[0] !== 0 || mins.some((m, i) => i > 0 && m <= mins[i - 1]!)) throw new AppError('RULE_VIOLATION', 'Score bands must start at 0 for A and rise strictly to D');
    return inTransaction(this.deps.db, async (trx) => {
      const current = await this.grading.versionedPolicy(trx, true);
      if (current.version !== input.version) throw conflict();
      const version = current.version + 1;
      for (const p of policy) {
        await trx.updateTable('sup_grade_policy').set({ ratio: p.ratio, per_year: p.perYear, min_score: p.minScore, version, updated_at: new Date() })
          .where('grade', '=', p.grade).execute();
      }
      const after = await this.grading.versionedPolicy(trx);
      await this.record(trx, a, 'grade_policy', 'all', version, { items: current.items }, { items: after.items }, input.reason);
      return after;
    });
  }

  // ── credit-repair minimum publication periods ──────────────────────────────────────────

  async periods(actor: Actor | undefined) {
    requirePermission(actor, 'supervision:list');
    return (await this.deps.db.selectFrom('sup_repair_periods').selectAll().orderBy('subject').execute()).map(periodView);
  }

  /** Sets a period (months, 0–36: 发改委令第36号 allows nothing longer than 3 years). */
  async setPeriod(actor: Actor | undefined, subject: string, input: { months: number; version: number; reason: string }) {
    const a = requirePermission(actor, 'platform:admin');
    return inTransaction(this.deps.db, async (trx) => {
      const current = await trx.selectFrom('sup_repair_periods').selectAll().where('subject', '=', subject).forUpdate().executeTakeFirst();
      if (!current) throw notFound('No such publication period');
      if (current.version !== input.version) throw conflict();
      const row = await trx.updateTable('sup_repair_periods').set({ months: input.months, version: sql`version + 1`, updated_at: new Date() })
        .where('subject', '=', subject).returningAll().executeTakeFirstOrThrow();
      await this.record(trx, a, 'repair_period', subject, row.version, { months: current.months }, { months: row.months }, input.reason);
      return periodView(row);
    });
  }

  // ── joint-discipline restrictions ──────────────────────────────────────────────────────

  async restrictions(actor: Actor | undefined, q: { department?: string; active?: boolean }) {
    requirePermission(actor, 'supervision:list');
    let query = this.deps.db.selectFrom('sup_restrictions').selectAll().orderBy('list').orderBy('department').orderBy('matter_code').orderBy('restriction');
    if (q.department) query = query.where('department', '=', q.department);
    if (q.active !== undefined) query = query.where('active', '=', q.active);
    return (await query.execute()).map(restrictionView);
  }

  /**
   * Declares a restriction. Nationwide ones (department or matter '*', no region) are the
   * administrator's; an official declares them for their own department, in their region.
   */
  async createRestriction(actor: Actor | undefined, input: RestrictionInput) {
    const a = requirePermission(actor, 'supervision:restrictions');
    const admin = a.roles.includes('admin');
    const regionCode = input.regionCode ?? (admin ? '' : a.regionCode ?? '');
    if (!admin) {
      if (input.department !== a.department) {
        throw new AppError('FORBIDDEN', `You may declare restrictions only for your own department (${a.department ?? 'none'})`);
      }
      requireRegion(a, regionCode || '000000');
    }
    return inTransaction(this.deps.db, async (trx) => {
      const row = await trx.insertInto('sup_restrictions').values({
        list: input.list, department: input.department, matter_code: input.matterCode, restriction: input.restriction, region_code: regionCode,
      }).onConflict((oc) => oc.columns(['list', 'department', 'matter_code', 'restriction']).doNothing()).returningAll().executeTakeFirst();
      if (!row) throw new AppError('DUPLICATE', 'This restriction is already declared; reactivate it instead');
      const view = restrictionView(row);
      await this.record(trx, a, 'restriction', view.id, 1, null, restrictionState(view), input.reason);
      return view;
    });
  }

  /** Switches a restriction off or on again (never deleted: past refusals must stay explainable). */
  async updateRestriction(actor: Actor | undefined, id: string, input: { active: boolean; version: number; reason: string }) {
    const a = requirePermission(actor, 'supervision:restrictions');
    return inTransaction(this.deps.db, async (trx) => {
      const current = await trx.selectFrom('sup_restrictions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current) throw notFound('No such restriction');
      // Nationwide rows have no region: only administrators reach them.
      authorize(a, { regionCode: current.region_code || null, department: current.department }, { permission: 'supervision:restrictions', sameDepartment: true });
      if (current.version !== input.version) throw conflict();
      const row = await trx.updateTable('sup_restrictions').set({ active: input.active, version: sql`version + 1`, updated_at: new Date() })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      const view = restrictionView(row);
      await this.record(trx, a, 'restriction', id, view.version, restrictionState(restrictionView(current)), restrictionState(view), input.reason);
      return view;
    });
  }
}
