/**
 * A real, minimal implementation of the CaseHandler port on this module's own table, so the
 * 跨省通办 flows work end to end before the applications module is wired in its place. It keeps
 * forwards sent from this node ('out') and cases received for this node's matters ('in').
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { CaseHandler, CaseMaterial, CaseResult, CaseStatusView, CrossProvinceMode, ForwardedCase, TimelineEvent } from './flows.js';

export interface CaseRow {
  id: string; direction: 'out' | 'in'; mode: CrossProvinceMode; peer_node: string; forward_message_id: string; remote_case_id: string | null;
  matter_code: string; matter_name: string; region_code: string; applicant_person_id: string | null; applicant_resident_id_masked: string; applicant_name: string;
  form: Record<string, unknown>; materials: CaseMaterial[]; accepted_by: string; status: string; result: CaseResult | null;
  timeline: TimelineEvent[]; version: number; created_at: Date; updated_at: Date;
}

export const maskResidentId = (id: string) => `${id.slice(0, 3)}${'*'.repeat(Math.max(0, id.length - 7))}${id.slice(-4)}`;
const events = (...e: TimelineEvent[]) => sql`timeline || ${JSON.stringify(e)}::jsonb`;
/** Materials are kept by hash and name; their content stays with the applications module. */
const withoutContent = (materials: CaseMaterial[]) => JSON.stringify(materials.map(({ contentBase64: _c, ...m }) => m));

export class LocalCaseStore implements CaseHandler {
  constructor(private readonly db: Executor, private readonly nodeId: string) {}

  async createOutgoing(trx: Executor, input: {
    id: string; forwardId: string; mode: CrossProvinceMode; owningNode: string; matterCode: string; matterName: string; regionCode: string;
    applicantPersonId: string | null; applicantResidentId: string; applicantName: string; form: Record<string, unknown>;
    materials: CaseMaterial[]; acceptedBy: string;
  }): Promise<CaseRow> {
    const at = new Date().toISOString();
    return trx.insertInto('exchange_cases').values({
      id: input.id, direction: 'out', mode: input.mode, peer_node: input.owningNode, forward_message_id: input.forwardId,
      matter_code: input.matterCode, matter_name: input.matterName, region_code: input.regionCode, applicant_person_id: input.applicantPersonId,
      applicant_resident_id_masked: maskResidentId(input.applicantResidentId), applicant_name: input.applicantName,
      form: JSON.stringify(input.form), materials: withoutContent(input.materials), accepted_by: input.acceptedBy, status: 'forwarding',
      timeline: JSON.stringify([{ at, node: this.nodeId, event: input.mode === '全程网办' ? 'submitted online' : 'accepted at the counter', note: input.acceptedBy }]),
    }).returningAll().executeTakeFirstOrThrow() as Promise<CaseRow>;
  }

  async receiveForwardedCase(c: ForwardedCase, trx: Executor): Promise<{ caseId: string; status: string }> {
    const existing = await trx.selectFrom('exchange_cases').select(['id', 'status'])
      .where('direction', '=', 'in').where('peer_node', '=', c.originNode).where('forward_message_id', '=', c.forwardId).executeTakeFirst();
    if (existing) return { caseId: existing.id, status: existing.status };
    const at = new Date().toISOString();
    const row = await trx.insertInto('exchange_cases').values({
      direction: 'in', mode: c.mode, peer_node: c.originNode, forward_message_id: c.forwardId, remote_case_id: c.originCaseId,
      matter_code: c.matterCode, matter_name: c.matterName, region_code: c.matterRegion, applicant_person_id: c.localPersonId ?? null,
      applicant_resident_id_masked: maskResidentId(c.applicant.residentId), applicant_name: c.applicant.name,
      form: JSON.stringify(c.form), materials: withoutContent(c.materials), accepted_by: `${c.acceptedBy.label} (${c.originNode})`, status: 'received',
      timeline: JSON.stringify([{ at, node: this.nodeId, event: 'received from another node', note: `${c.mode} via ${c.originNode}` }]),
    }).returning(['id', 'status']).executeTakeFirstOrThrow();
    return { caseId: row.id, status: row.status };
  }

  async caseStatus(caseId: string, originNode: string): Promise<CaseStatusView | undefined> {
    const row = await this.db.selectFrom('exchange_cases').selectAll().where('id', '=', caseId).where('direction', '=', 'in')
      .where('peer_node', '=', originNode).executeTakeFirst() as CaseRow | undefined;
    return row && { caseId: row.id, status: row.status, timeline: row.timeline, ...(row.result ? { result: row.result } : {}) };
  }

  async forwardAcknowledged(originCaseId: string, fromNode: string, remoteCaseId: string, trx: Executor): Promise<void> {
    await trx.updateTable('exchange_cases').set({
      remote_case_id: remoteCaseId, status: sql`CASE WHEN status = 'forwarding' THEN 'with owning node' ELSE status END`,
      timeline: events({ at: new Date().toISOString(), node: fromNode, event: 'received by the owning node' }), updated_at: sql`now()`, version: sql`version + 1`,
    }).where('id', '=', originCaseId).where('direction', '=', 'out').where('peer_node', '=', fromNode).execute();
  }

  async forwardRefused(originCaseId: string, fromNode: string, error: { code: string; message: string }, trx: Executor): Promise<void> {
    await trx.updateTable('exchange_cases').set({
      status: 'refused by owning node', timeline: events({ at: new Date().toISOString(), node: fromNode, event: 'refused', note: `${error.code}: ${error.message}` }),
      updated_at: sql`now()`, version: sql`version + 1`,
    }).where('id', '=', originCaseId).where('direction', '=', 'out').where('peer_node', '=', fromNode).execute();
  }

  async deliverResult(originCaseId: string, fromNode: string, result: CaseResult, trx: Executor): Promise<void> {
    const updated = await trx.updateTable('exchange_cases').set({
      status: result.decision, result: JSON.stringify(result), updated_at: sql`now()`, version: sql`version + 1`,
      timeline: events({ at: result.decidedAt, node: fromNode, event: `decided: ${result.decision}`, note: result.opinion },
        ...(result.licence ? [{ at: new Date().toISOString(), node: this.nodeId, event: 'e-licence delivered', note: result.licence.name }] : [])),
    }).where('id', '=', originCaseId).where('direction', '=', 'out').where('peer_node', '=', fromNode).executeTakeFirst();
    if (!updated.numUpdatedRows) throw new AppError('NOT_FOUND', 'No case of yours was forwarded with that id');
  }

  /** Owning node: record the decision; the caller queues the result back in the same transaction. */
  async decide(trx: Executor, caseId: string, version: number, result: CaseResult): Promise<CaseRow> {
    const row = await trx.updateTable('exchange_cases').set({
      status: result.decision, result: JSON.stringify(result), updated_at: sql`now()`, version: sql`version + 1`,
      timeline: events({ at: result.decidedAt, node: this.nodeId, event: `decided: ${result.decision}`, note: result.opinion }),
    }).where('id', '=', caseId).where('direction', '=', 'in').where('version', '=', version).where('status', '=', 'received')
      .returningAll().executeTakeFirst() as CaseRow | undefined;
    if (!row) {
      const current = await trx.selectFrom('exchange_cases').select(['version', 'status']).where('id', '=', caseId).executeTakeFirst();
      if (!current) throw new AppError('NOT_FOUND');
      if (current.version !== version) throw new AppError('CONFLICT');
      throw new AppError('INVALID_TRANSITION', `The case is already ${current.status}`);
    }
    return row;
  }

  get(caseId: string): Promise<CaseRow | undefined> {
    return this.db.selectFrom('exchange_cases').selectAll().where('id', '=', caseId).executeTakeFirst() as Promise<CaseRow | undefined>;
  }

  list(filter: { applicantPersonId?: string; direction?: 'in' | 'out'; limit: number }): Promise<CaseRow[]> {
    let q = this.db.selectFrom('exchange_cases').selectAll().orderBy('created_at', 'desc').limit(filter.limit);
    if (filter.applicantPersonId) q = q.where('applicant_person_id', '=', filter.applicantPersonId);
    if (filter.direction) q = q.where('direction', '=', filter.direction);
    return q.execute() as Promise<CaseRow[]>;
  }

  async count(direction: 'in' | 'out'): Promise<{ rows: number; distinctForwards: number }> {
    const r = await this.db.selectFrom('exchange_cases').where('direction', '=', direction)
      .select([(eb) => eb.fn.countAll<number>().as('rows'), sql<number>`count(DISTINCT forward_message_id)`.as('distinct')]).executeTakeFirstOrThrow();
    return { rows: Number(r.rows), distinctForwards: Number(r.distinct) };
  }
}
