/**
 * The origin node's record of each 跨省通办 case it forwarded (`exchange_cases`, direction
 * 'out'): what the counter accepted or the applicant submitted, where it went, and what came
 * back. The case itself is an application at the owning node; this is the applicant's tracking
 * slip at home, with the owning node's answers (acknowledgement, refusal, result) added.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CaseMaterial, CaseResult, CrossProvinceMode, ForwardTracker, TimelineEvent } from './flows.js';

export interface CaseRow {
  id: string; direction: 'out'; mode: CrossProvinceMode; peer_node: string; forward_message_id: string; remote_case_id: string | null;
  matter_code: string; matter_name: string; region_code: string; applicant_person_id: string | null; applicant_resident_id_masked: string; applicant_name: string;
  form: Record<string, unknown>; materials: CaseMaterial[]; accepted_by: string; status: string; result: CaseResult | null;
  timeline: TimelineEvent[]; version: number; created_at: Date; updated_at: Date;
}

export const maskResidentId = (id: string) => `${id.slice(0, 3)}${'*'.repeat(Math.max(0, id.length - 7))}${id.slice(-4)}`;
const events = (...e: TimelineEvent[]) => sql`timeline || ${JSON.stringify(e)}::jsonb`;
/** Materials are kept by hash and name; their content went to the owning node. */
const withoutContent = (materials: CaseMaterial[]) => JSON.stringify(materials.map(({ contentBase64: _c, ...m }) => m));

export class OutgoingCases implements ForwardTracker {
  constructor(private readonly db: Executor, private readonly nodeId: string) {}

  async create(trx: Executor, input: {
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

  private mine(trx: Executor, originCaseId: string, fromNode: string) {
    return trx.updateTable('exchange_cases').where('id', '=', originCaseId).where('direction', '=', 'out').where('peer_node', '=', fromNode);
  }

  async forwardAcknowledged(originCaseId: string, fromNode: string, remoteCaseId: string, trx: Executor): Promise<void> {
    await this.mine(trx, originCaseId, fromNode).set({
      remote_case_id: remoteCaseId, status: sql`CASE WHEN status = 'forwarding' THEN 'with owning node' ELSE status END`,
      timeline: events({ at: new Date().toISOString(), node: fromNode, event: 'received by the owning node' }), updated_at: sql`now()`, version: sql`version + 1`,
    }).execute();
  }

  async forwardRefused(originCaseId: string, fromNode: string, error: { code: string; message: string }, trx: Executor): Promise<void> {
    await this.mine(trx, originCaseId, fromNode).set({
      status: 'refused by owning node', timeline: events({ at: new Date().toISOString(), node: fromNode, event: 'refused', note: `${error.code}: ${error.message}` }),
      updated_at: sql`now()`, version: sql`version + 1`,
    }).execute();
  }

  async deliverResult(originCaseId: string, fromNode: string, result: CaseResult, trx: Executor): Promise<void> {
    await this.mine(trx, originCaseId, fromNode).set({
      status: result.decision, result: JSON.stringify(result), updated_at: sql`now()`, version: sql`version + 1`,
      timeline: events({ at: result.decidedAt, node: fromNode, event: `decided: ${result.decision}`, note: result.opinion },
        ...(result.licence ? [{ at: new Date().toISOString(), node: this.nodeId, event: 'e-licence delivered', note: result.licence.name }] : [])),
    }).execute();
  }

  get(caseId: string): Promise<CaseRow | undefined> {
    return this.db.selectFrom('exchange_cases').selectAll().where('id', '=', caseId).where('direction', '=', 'out').executeTakeFirst() as Promise<CaseRow | undefined>;
  }

  list(filter: { applicantPersonId?: string; limit: number }): Promise<CaseRow[]> {
    let q = this.db.selectFrom('exchange_cases').selectAll().where('direction', '=', 'out').orderBy('created_at', 'desc').limit(filter.limit);
    if (filter.applicantPersonId) q = q.where('applicant_person_id', '=', filter.applicantPersonId);
    return q.execute() as Promise<CaseRow[]>;
  }

  /** The parts of one 多地联办 application. */
  byJointGroup(group: string): Promise<CaseRow[]> {
    return this.db.selectFrom('exchange_cases').selectAll().where('direction', '=', 'out').where(sql`form->>'jointGroup'`, '=', group)
      .orderBy('created_at').execute() as Promise<CaseRow[]>;
  }

  async count(): Promise<{ rows: number; distinctForwards: number }> {
    const r = await this.db.selectFrom('exchange_cases').where('direction', '=', 'out')
      .select([(eb) => eb.fn.countAll<number>().as('rows'), sql<number>`count(DISTINCT forward_message_id)`.as('distinct')]).executeTakeFirstOrThrow();
    return { rows: Number(r.rows), distinctForwards: Number(r.distinct) };
  }
}
