/**
 * 经营异常名录 and 严重违法失信名单: entry and exit with reason and legal basis, and the joint
 * discipline they bring (失信联合惩戒). Other modules ask `fastTrackRestriction` /
 * `assertFastTrackAllowed` when an application asks for 告知承诺 or 容缺受理; restrictions are
 * rows in `sup_restrictions`, declared per list and optionally per department and matter.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction, sql } from '../../platform/db/database.js';
import { requirePermission, type Actor } from '../../platform/access/policy.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { entityInScope, type EntityRow, type SupervisionDeps } from './context.js';
import type { Grading } from './grading.js';

export type ListKind = 'abnormal' | 'serious';
export const LIST_NAMES: Record<ListKind, string> = { abnormal: '经营异常名录', serious: '严重违法失信名单' };
export type FastTrack = 'commitment' | 'tolerance';
const RESTRICTION_FOR: Record<FastTrack, string> = { commitment: 'no_commitment', tolerance: 'no_tolerance' };
const FAST_TRACK_NAMES: Record<FastTrack, string> = { commitment: '告知承诺', tolerance: '容缺受理' };

/** Who applies: a company (identity id or USCC) or a person (identity id). */
export interface Applicant { companyId?: string; uscc?: string; personId?: string }

export interface ListEntryView {
  id: string; entityId: string; entityName: string; uscc: string | null; list: ListKind; listName: string; reason: string;
  legalBasis: string; department: string; enteredAt: string; exitedAt: string | null; exitReason: string | null; version: number;
}

export interface DisciplineRestriction {
  restriction: string;
  fastTrack: FastTrack;
  reason: string;
  entry: ListEntryView;
}

function entryView(r: Record<string, any>): ListEntryView {
  return {
    id: r.id, entityId: r.entity_id, entityName: r.entity_name, uscc: r.uscc ?? null, list: r.list, listName: LIST_NAMES[r.list as ListKind],
    reason: r.reason, legalBasis: r.legal_basis, department: r.department, enteredAt: (r.entered_at as Date).toISOString(),
    exitedAt: r.exited_at ? (r.exited_at as Date).toISOString() : null, exitReason: r.exit_reason ?? null, version: r.version,
  };
}

export class Lists {
  constructor(private readonly deps: SupervisionDeps, private readonly grading: Grading) {}

  private entries(db: Executor) {
    return db.selectFrom('sup_list_entries as l').innerJoin('sup_entities as e', 'e.id', 'l.entity_id')
      .selectAll('l').select(['e.name as entity_name', 'e.uscc', 'e.region_code']);
  }

  async enter(actor: Actor | undefined, input: { entityId: string; list: ListKind; reason: string; legalBasis: string }) {
    const a = requirePermission(actor, 'supervision:list');
    const entity = await entityInScope(this.deps.db, a, input.entityId, 'supervision:list');
    return inTransaction(this.deps.db, (trx) => this.enterIn(trx, a.userId, a.department ?? '', entity, input));
  }

  /** Also used by a failed 告知承诺 check, inside its transaction. */
  async enterIn(trx: Executor, by: string, department: string, entity: EntityRow, input: { list: ListKind; reason: string; legalBasis: string }) {
    const active = await trx.selectFrom('sup_list_entries').select('id').where('entity_id', '=', entity.id).where('list', '=', input.list).where('exited_at', 'is', null).executeTakeFirst();
    if (active) throw new AppError('DUPLICATE', `The entity is already on the ${LIST_NAMES[input.list]}`);
    const row = await trx.insertInto('sup_list_entries').values({
      entity_id: entity.id, list: input.list, reason: input.reason, legal_basis: input.legalBasis, department, entered_by: by,
    }).returning('id').executeTakeFirstOrThrow();
    await this.grading.recompute(trx, { entityId: entity.id });
    await this.deps.audit.append({ actor: by, action: 'supervision.list.enter', entityType: 'market_entity', entityId: entity.id, detail: { list: input.list, entryId: row.id, reason: input.reason, legalBasis: input.legalBasis } }, trx);
    return entryView(await this.entries(trx).where('l.id', '=', row.id).executeTakeFirstOrThrow());
  }

  async exit(actor: Actor | undefined, entryId: string, input: { reason: string; version: number }) {
    const a = requirePermission(actor, 'supervision:list');
    const entry = await this.entries(this.deps.db).where('l.id', '=', entryId).executeTakeFirst();
    if (!entry) throw notFound('No such list entry');
    await entityInScope(this.deps.db, a, entry.entity_id, 'supervision:list');
    return inTransaction(this.deps.db, (trx) => this.exitIn(trx, a.userId, entryId, input));
  }

  /** Also used by an approved credit repair. */
  async exitIn(trx: Executor, by: string, entryId: string, input: { reason: string; version?: number }) {
    let q = trx.updateTable('sup_list_entries').set({ exited_at: new Date(), exit_reason: input.reason, version: sql`version + 1` })
      .where('id', '=', entryId).where('exited_at', 'is', null);
    if (input.version !== undefined) q = q.where('version', '=', input.version);
    const done = await q.returning(['entity_id']).executeTakeFirst();
    if (!done) {
      const now = await trx.selectFrom('sup_list_entries').select('exited_at').where('id', '=', entryId).executeTakeFirst();
      if (now?.exited_at) throw new AppError('INVALID_TRANSITION', 'The entity has already left this list');
      throw conflict();
    }
    await this.grading.recompute(trx, { entityId: done.entity_id });
    await this.deps.audit.append({ actor: by, action: 'supervision.list.exit', entityType: 'market_entity', entityId: done.entity_id, detail: { entryId, reason: input.reason } }, trx);
    return entryView(await this.entries(trx).where('l.id', '=', entryId).executeTakeFirstOrThrow());
  }

  /** Public 公示: who is on a list now. */
  async publicEntries(q: { list?: ListKind; limit: number }) {
    let query = this.entries(this.deps.db).where('l.exited_at', 'is', null).orderBy('l.entered_at', 'desc').limit(q.limit);
    if (q.list) query = query.where('l.list', '=', q.list);
    return (await query.execute()).map(entryView);
  }

  async activeEntriesOf(entityId: string, db: Executor = this.deps.db) {
    return (await this.entries(db).where('l.entity_id', '=', entityId).where('l.exited_at', 'is', null).execute()).map(entryView);
  }

  /** The registered market entity behind an applicant, if any. */
  async entityFor(applicant: Applicant, db: Executor = this.deps.db): Promise<EntityRow | undefined> {
    const conds = [
      applicant.companyId && sql<boolean>`company_id = ${applicant.companyId}::uuid`,
      applicant.uscc && sql<boolean>`uscc = ${applicant.uscc.trim().toUpperCase()}`,
      applicant.personId && sql<boolean>`person_id = ${applicant.personId}::uuid`,
    ].filter(Boolean);
    if (!conds.length) return undefined;
    const r = await sql<EntityRow>`SELECT * FROM sup_entities WHERE ${sql.join(conds as never[], sql` OR `)} ORDER BY created_at LIMIT 1`.execute(db);
    return r.rows[0];
  }

  /**
   * The joint-discipline restriction that refuses a fast track for this applicant, or null.
   * Called by the applications module at submit time; it answers 422 JOINT_DISCIPLINE.
   */
  async fastTrackRestriction(applicant: Applicant, fastTrack: FastTrack, context: { department?: string; matterCode?: string } = {}, db: Executor = this.deps.db): Promise<DisciplineRestriction | null> {
    const entity = await this.entityFor(applicant, db);
    if (!entity) return null;
    const hit = await this.entries(db).innerJoin('sup_restrictions as r', 'r.list', 'l.list')
      .where('l.entity_id', '=', entity.id).where('l.exited_at', 'is', null)
      .where('r.active', '=', true).where('r.restriction', '=', RESTRICTION_FOR[fastTrack])
      .where('r.department', 'in', ['*', context.department ?? '*']).where('r.matter_code', 'in', ['*', context.matterCode ?? '*'])
      .orderBy(sql`CASE l.list WHEN 'serious' THEN 0 ELSE 1 END`).orderBy('l.entered_at').limit(1).executeTakeFirst();
    if (!hit) return null;
    const entry = entryView(hit);
    return {
      restriction: RESTRICTION_FOR[fastTrack], fastTrack, entry,
      reason: `${entity.name} 已列入${entry.listName}（${entry.reason}；依据：${entry.legalBasis}），不适用${FAST_TRACK_NAMES[fastTrack]}`,
    };
  }

  /** Throws 422 JOINT_DISCIPLINE with the reason and the list entry when a restriction applies. */
  async assertFastTrackAllowed(applicant: Applicant, fastTrack: FastTrack, context: { department?: string; matterCode?: string } = {}, db: Executor = this.deps.db): Promise<void> {
    const r = await this.fastTrackRestriction(applicant, fastTrack, context, db);
    if (r) throw new AppError('JOINT_DISCIPLINE', r.reason, [{ message: r.reason, restriction: r.restriction, listEntry: r.entry }]);
  }

  /** Extra review applies too (no fast track refused, but the reviewer must look closer). */
  async extraReviewRequired(applicant: Applicant, db: Executor = this.deps.db): Promise<boolean> {
    const entity = await this.entityFor(applicant, db);
    if (!entity) return false;
    const hit = await this.entries(db).innerJoin('sup_restrictions as r', 'r.list', 'l.list').select('r.id as rid')
      .where('l.entity_id', '=', entity.id).where('l.exited_at', 'is', null).where('r.active', '=', true).where('r.restriction', '=', 'extra_review').executeTakeFirst();
    return !!hit;
  }
}
