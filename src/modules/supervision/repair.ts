/**
 * 信用修复: after correcting, an entity applies to withdraw a penalty's public record or to leave
 * a list. The minimum publication period for its severity must have run (sup_repair_periods,
 * defaults from 发改委令第36号 / 市场监管 practice: minor 0, ordinary 3 months, serious 12
 * months, 严重违法失信名单 36 months); the application goes to the authority that decided it,
 * and on approval the public record is withdrawn and the grade recomputed.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction, sql } from '../../platform/db/database.js';
import { authorize, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { entityInScope, loadEntity, ymd, type SupervisionDeps } from './context.js';
import type { Grading } from './grading.js';
import type { Lists } from './lists.js';

export interface RepairApplication { targetKind: 'penalty' | 'list'; targetId: string; correction: string }

/** The first day repair may be applied for: `from` plus `months` calendar months. */
export function earliestRepairDate(from: Date, months: number): Date {
  const d = new Date(from);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

function view(r: Record<string, any>) {
  return {
    id: r.id as string, entityId: r.entity_id as string, targetKind: r.target_kind as 'penalty' | 'list', targetId: r.target_id as string,
    department: r.department as string, correction: r.correction as string, status: r.status as string,
    appliedAt: (r.applied_at as Date).toISOString(), decidedAt: r.decided_at ? (r.decided_at as Date).toISOString() : null,
    decisionNote: (r.decision_note ?? null) as string | null, version: r.version as number,
  };
}

export class CreditRepair {
  constructor(private readonly deps: SupervisionDeps, private readonly lists: Lists, private readonly grading: Grading) {}

  /** What is repaired, since when it is public, and under which period rule. */
  private async target(db: Executor, kind: 'penalty' | 'list', id: string) {
    if (kind === 'penalty') {
      const p = await db.selectFrom('sup_penalties').selectAll().where('id', '=', id).executeTakeFirst();
      if (!p) return undefined;
      return { entityId: p.entity_id as string, since: new Date(`${ymd(p.decided_at)}T00:00:00+08:00`), subject: `penalty:${p.severity}`, department: p.department as string, active: !p.withdrawn_at };
    }
    const l = await db.selectFrom('sup_list_entries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!l) return undefined;
    return { entityId: l.entity_id as string, since: l.entered_at as Date, subject: `list:${l.list}`, department: l.department as string, active: !l.exited_at };
  }

  async apply(actor: Actor | undefined, input: RepairApplication, now = new Date()) {
    const a = requireActor(actor);
    const target = await this.target(this.deps.db, input.targetKind, input.targetId);
    if (!target) throw notFound('No such public record');
    // The entity's own agent applies (officials may file for it at the counter).
    await entityInScope(this.deps.db, a, target.entityId, 'supervision:list');
    if (!target.active) throw new AppError('INVALID_TRANSITION', 'This record is no longer public');
    const period = await this.deps.db.selectFrom('sup_repair_periods').select('months').where('subject', '=', target.subject).executeTakeFirst();
    const months = period?.months ?? 36;
    const earliest = earliestRepairDate(target.since, months);
    if (now < earliest) {
      throw new AppError('RULE_VIOLATION', `The minimum publication period (${months} months for ${target.subject}) runs until ${earliest.toISOString().slice(0, 10)}`, [{ path: '$.targetId', message: 'minimum publication period not yet run', earliest: earliest.toISOString() }]);
    }
    return inTransaction(this.deps.db, async (trx) => {
      const open = await trx.selectFrom('sup_repairs').select('id').where('target_id', '=', input.targetId).where('status', '=', 'pending').executeTakeFirst();
      if (open) throw new AppError('DUPLICATE', 'A repair application for this record is already pending');
      const row = await trx.insertInto('sup_repairs').values({
        entity_id: target.entityId, target_kind: input.targetKind, target_id: input.targetId, department: target.department,
        correction: input.correction, status: 'pending', applied_by: a.userId,
      }).returningAll().executeTakeFirstOrThrow();
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.repair.apply', entityType: 'market_entity', entityId: target.entityId, detail: { repairId: row.id, target: input } }, trx);
      return view(row);
    });
  }

  /** The listing authority's queue: pending applications routed to the actor's department. */
  async queue(actor: Actor | undefined) {
    const a = requirePermission(actor, 'supervision:list');
    let q = this.deps.db.selectFrom('sup_repairs').selectAll().where('status', '=', 'pending').orderBy('applied_at');
    if (!a.roles.includes('admin')) q = q.where('department', '=', a.department ?? '');
    return (await q.execute()).map(view);
  }

  async decide(actor: Actor | undefined, id: string, input: { approve: boolean; note: string; version: number }) {
    const a = requirePermission(actor, 'supervision:list');
    return inTransaction(this.deps.db, async (trx) => {
      const r = await trx.selectFrom('sup_repairs').selectAll().where('id', '=', id).executeTakeFirst();
      const entity = r && await loadEntity(trx, r.entity_id);
      if (!r || !entity) throw notFound('No such repair application');
      authorize(a, { regionCode: entity.region_code, department: r.department }, { permission: 'supervision:list', sameDepartment: true });
      if (r.status !== 'pending') throw new AppError('INVALID_TRANSITION', 'This application was already decided');
      const done = await trx.updateTable('sup_repairs').set({ status: input.approve ? 'approved' : 'rejected', decided_by: a.userId, decided_at: new Date(), decision_note: input.note, version: sql`version + 1` })
        .where('id', '=', id).where('version', '=', input.version).returningAll().executeTakeFirst();
      if (!done) throw conflict();
      if (input.approve) {
        if (r.target_kind === 'penalty') {
          await trx.updateTable('sup_penalties').set({ withdrawn_at: new Date() }).where('id', '=', r.target_id).where('withdrawn_at', 'is', null).execute();
          await this.grading.recompute(trx, { entityId: r.entity_id });
        } else {
          await this.lists.exitIn(trx, a.userId, r.target_id, { reason: `信用修复：${input.note}` });
        }
      }
      await this.deps.audit.append({ actor: a.userId, action: 'supervision.repair.decide', entityType: 'market_entity', entityId: r.entity_id, detail: { repairId: id, approve: input.approve } }, trx);
      return view(done);
    });
  }

  /** Public: penalties still published (withdrawn ones disappear from here). */
  async publicPenalties(entityId: string | undefined, limit: number) {
    // A penalty found on inspection is public only once its inspection result is published.
    let q = this.deps.db.selectFrom('sup_penalties as p').innerJoin('sup_entities as e', 'e.id', 'p.entity_id')
      .leftJoin('sup_inspections as i', 'i.id', 'p.inspection_id')
      .select(['p.id', 'p.entity_id', 'e.name', 'e.uscc', 'p.severity', 'p.decision', 'p.department', 'p.decided_at'])
      .where('p.withdrawn_at', 'is', null).where((eb) => eb.or([eb('p.inspection_id', 'is', null), eb('i.status', '=', 'published')]))
      .orderBy('p.decided_at', 'desc').limit(limit);
    if (entityId) q = q.where('p.entity_id', '=', entityId);
    return (await q.execute()).map((p) => ({
      id: p.id as string, entityId: p.entity_id as string, entityName: p.name as string, uscc: p.uscc as string | null,
      severity: p.severity as string, decision: p.decision as string, department: p.department as string, decidedAt: ymd(p.decided_at),
    }));
  }
}
