/**
 * The origin side of 跨省通办: a citizen applies online for another node's matter (全程网办), a
 * counter official accepts and digitises materials for it (异地代收代办), or one application is
 * split into parts at several nodes (多地联办). Each part becomes an application at its owning
 * node, decided there by its officials in their ordinary queue; here the applicant follows it
 * (the owning node's live timeline merged in) and receives the result.
 */
import { randomUUID } from 'node:crypto';
import { authorize, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import { sm3Hex } from '../../platform/crypto/sm.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { chinaDate } from '../../platform/calendar/working-days.js';
import type { AuditService } from '../audit/service.js';
import type { CaseRow, OutgoingCases } from './outgoing-cases.js';
import type { CaseMaterial, CaseResult, CaseStatusView, CrossProvinceFlows, CrossProvinceMode, TimelineEvent } from './flows.js';

export interface PersonLookup {
  personIdByResidentId(residentId: string): Promise<string | undefined>;
  personIdentity(personId: string): Promise<{ name: string; residentId: string; regionCode: string } | undefined>;
}

export interface SubmitCase {
  mode: CrossProvinceMode;
  parts: { node: string; matterCode: string; matterName: string; matterRegion: string }[];
  applicantResidentId?: string;
  applicantName?: string;
  form: Record<string, string>;
  materials: { key: string; name: string; mediaType: string; contentBase64: string }[];
}

/** Envelope budget for materials (the envelope limit is 512 KiB by default). */
const MAX_MATERIAL_BYTES = 300 * 1024;

export interface CaseView {
  id: string; direction: 'out'; mode: string; peerNode: string; remoteCaseId: string | null; matterCode: string; matterName: string;
  applicantName: string; applicantResidentId: string; status: string; result: CaseResult | null; timeline: TimelineEvent[];
  jointGroup: string | null; version: number; createdAt: string; remoteStatusUnavailable?: boolean;
}

export function caseView(r: CaseRow): CaseView {
  return {
    id: r.id, direction: r.direction, mode: r.mode, peerNode: r.peer_node, remoteCaseId: r.remote_case_id, matterCode: r.matter_code,
    matterName: r.matter_name, applicantName: r.applicant_name, applicantResidentId: r.applicant_resident_id_masked, status: r.status,
    result: r.result, timeline: r.timeline, jointGroup: typeof r.form.jointGroup === 'string' ? r.form.jointGroup : null,
    version: r.version, createdAt: r.created_at.toISOString(),
  };
}

const FINAL = new Set(['approved', 'rejected', 'refused by owning node']);

export class CrossProvinceCases {
  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly store: OutgoingCases,
    private readonly flows: CrossProvinceFlows,
    private readonly people: PersonLookup,
    private readonly audit: AuditService,
  ) {}

  async submit(actorIn: Actor | undefined, input: SubmitCase): Promise<CaseView[]> {
    const actor = requireActor(actorIn);
    let applicant: { personId: string | null; residentId: string; name: string };
    let regionCode: string;
    if (input.mode === '全程网办') {
      const me = actor.personId ? await this.people.personIdentity(actor.personId) : undefined;
      if (!me) throw new AppError('FORBIDDEN', '全程网办 is for a person applying for themselves');
      applicant = { personId: actor.personId!, residentId: me.residentId, name: me.name };
      regionCode = me.regionCode;
    } else {
      requirePermission(actor, 'application:review');
      if (!input.applicantResidentId || !input.applicantName) throw new AppError('VALIDATION_FAILED', 'A counter submission names the applicant', [{ in: 'body', path: '$.applicantResidentId', message: 'is required' }]);
      applicant = { personId: (await this.people.personIdByResidentId(input.applicantResidentId)) ?? null, residentId: input.applicantResidentId, name: input.applicantName };
      regionCode = actor.regionCode ?? '000000';
    }
    if (input.mode === '多地联办' ? input.parts.length < 2 : input.parts.length !== 1) {
      throw new AppError('VALIDATION_FAILED', input.mode === '多地联办' ? '多地联办 has a part for each node (at least two)' : 'Give exactly one part: the owning node and its matter', [{ in: 'body', path: '$.parts', message: 'wrong number of parts' }]);
    }
    // A 多地联办 part this node owns travels like the others (to itself: exactly once, one timeline);
    // a single matter of this node is an ordinary application, not a forward.
    if (input.mode !== '多地联办' && input.parts.some((p) => p.node === this.nodeId)) {
      throw new AppError('VALIDATION_FAILED', 'A matter of this node is an ordinary application, not a forward', [{ in: 'body', path: '$.parts', message: 'names this node' }]);
    }
    if (new Set(input.parts.map((p) => `${p.node}:${p.matterCode}`)).size !== input.parts.length) {
      throw new AppError('VALIDATION_FAILED', 'Each part is a different matter', [{ in: 'body', path: '$.parts', message: 'a matter appears twice' }]);
    }
    const materials = this.digest(input.materials);
    const jointGroup = input.mode === '多地联办' ? randomUUID() : undefined;
    const acceptedBy = actor.label;
    const acceptedOn = chinaDate();
    const rows = await inTransaction(this.db, async (trx) => {
      const created: CaseRow[] = [];
      for (const part of input.parts) {
        const id = randomUUID();
        const forwardId = randomUUID();
        const joint = jointGroup ? { jointGroup, jointParts: input.parts.map((p) => `${p.node}:${p.matterCode}`) } : {};
        created.push(await this.store.create(trx, {
          id, forwardId, mode: input.mode, owningNode: part.node, matterCode: part.matterCode, matterName: part.matterName, regionCode,
          applicantPersonId: applicant.personId, applicantResidentId: applicant.residentId, applicantName: applicant.name,
          form: { ...input.form, ...joint }, materials, acceptedBy,
        }));
        await this.flows.forward(trx, part.node, {
          originCaseId: id, mode: input.mode, matterCode: part.matterCode, matterName: part.matterName, matterRegion: part.matterRegion, acceptedOn,
          applicant: { residentId: applicant.residentId, name: applicant.name }, form: input.form, materials, ...(jointGroup ? { jointGroup } : {}),
          acceptedBy: { node: this.nodeId, label: acceptedBy, ...(actor.department ? { department: actor.department } : {}) },
        }, forwardId);
        await this.audit.append({ actor: actor.userId, action: 'exchange.case.forwarded', entityType: 'exchange_case', entityId: id, detail: { mode: input.mode, node: part.node, matter: part.matterCode, forwardId } }, trx);
      }
      return created;
    });
    return rows.map(caseView);
  }

  private digest(materials: SubmitCase['materials']): CaseMaterial[] {
    let total = 0;
    return materials.map((m, i) => {
      const bytes = Buffer.from(m.contentBase64, 'base64');
      total += bytes.length;
      if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', 'A material is empty or not base64', [{ in: 'body', path: `$.materials[${i}].contentBase64`, message: 'empty' }]);
      if (total > MAX_MATERIAL_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `Materials forwarded to another node may total at most ${MAX_MATERIAL_BYTES / 1024} KiB`);
      return { key: m.key, name: m.name, mediaType: m.mediaType, sm3: sm3Hex(bytes), contentBase64: m.contentBase64 };
    });
  }

  async list(actorIn: Actor | undefined): Promise<CaseView[]> {
    const actor = requireActor(actorIn);
    if (actor.roles.includes('official') || actor.roles.includes('admin')) {
      const rows = await this.store.list({ limit: 200 });
      return rows.filter((r) => r.applicant_person_id === actor.personId || this.reachable(actor, r)).map(caseView);
    }
    if (!actor.personId) return [];
    return (await this.store.list({ applicantPersonId: actor.personId, limit: 200 })).map(caseView);
  }

  private reachable(actor: Actor, r: CaseRow): boolean {
    try {
      authorize(actor, { ownerPersonId: r.applicant_person_id, regionCode: r.region_code }, { permission: 'application:review' });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One case with the owning node's live status and timeline merged in; for 多地联办, the
   * timelines of every part of the joint application, so the applicant sees one timeline.
   */
  async get(actor: Actor | undefined, id: string): Promise<CaseView> {
    const row = await this.store.get(id);
    if (!row) throw new AppError('NOT_FOUND');
    authorize(actor, { ownerPersonId: row.applicant_person_id, regionCode: row.region_code }, { permission: 'application:review' });
    const view = await this.live(row);
    if (!view.jointGroup) return view;
    const others = (await this.store.byJointGroup(view.jointGroup)).filter((r) => r.id !== row.id);
    const parts = await Promise.all(others.map((r) => this.live(r)));
    const timeline = [...view.timeline.map((e) => ({ ...e, note: e.note ? `${view.matterName}: ${e.note}` : view.matterName })),
      ...parts.flatMap((p) => p.timeline.map((e) => ({ ...e, note: e.note ? `${p.matterName}: ${e.note}` : p.matterName })))];
    return {
      ...view, timeline: timeline.sort((a, b) => a.at.localeCompare(b.at)),
      ...(parts.some((p) => p.remoteStatusUnavailable) ? { remoteStatusUnavailable: true } : {}),
    };
  }

  /** The record here plus what the owning node says now (its status while the case is open). */
  private async live(row: CaseRow): Promise<CaseView> {
    const view = caseView(row);
    if (!row.remote_case_id) return view;
    let remote: CaseStatusView;
    try {
      remote = await this.flows.remoteStatus(row.peer_node, row.remote_case_id);
    } catch {
      return { ...view, remoteStatusUnavailable: true };
    }
    const seen = new Set(view.timeline.map((e) => `${e.at}|${e.event}`));
    const merged = [...view.timeline, ...remote.timeline.filter((e) => !seen.has(`${e.at}|${e.event}`))].sort((a, b) => a.at.localeCompare(b.at));
    return { ...view, status: FINAL.has(row.status) ? row.status : remote.status, timeline: merged };
  }
}
