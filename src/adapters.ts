/**
 * Adapters that let one module use another through the small "port" interfaces the using
 * module declares. They belong to the composition root: neither module knows the other.
 */
import type { LicenceWallet, HeldLicence, Holder } from './modules/materials/ports.js';
import type { ApplicantRestrictions, ResultLicences } from './modules/applications/ports.js';
import type { LicenceServices } from './modules/licences/index.js';
import { LICENCE_TYPES } from './modules/licences/types.js';
import type { SupervisionService } from './modules/supervision/service.js';
import type { ExchangeService } from './modules/exchange/service.js';
import type { ApplicationsService } from './modules/applications/service.js';
import type { CatalogService } from './modules/catalog/service.js';
import type { IdentityService } from './modules/identity/service.js';
import type { MaterialsService } from './modules/materials/service.js';
import type { CaseHandler, CaseResult, CaseStatusView, ForwardedCase } from './modules/exchange/flows.js';
import type { Actor } from './platform/access/policy.js';
import { sm3Hex } from './platform/crypto/sm.js';
import { AppError } from './platform/errors.js';

/** The e-licence wallet seen by materials: every currently usable licence the holder has. */
export function licenceWalletFrom(licences: LicenceServices): LicenceWallet {
  return {
    async listHolderLicences(holder: Holder): Promise<HeldLicence[]> {
      const perType = await Promise.all(LICENCE_TYPES.map((t) => licences.licences.validLicencesOf(holder, t.code)));
      return perType.flat().map((l) => ({
        licenceId: l.id, typeName: l.typeName, typeCode: l.type, status: l.status,
        issuedOn: l.issuedAt.slice(0, 10), validUntil: l.validTo,
      }));
    },
  };
}

/** 联合惩戒 at submission: a listed applicant asking for 告知承诺 is refused with the list entry. */
export function restrictionsFrom(supervision: SupervisionService): ApplicantRestrictions {
  return {
    async check(applicant, matter, fastTrack) {
      if (!fastTrack) return { allowed: true };
      const who = applicant.kind === 'company' ? { companyId: applicant.companyId } : { personId: applicant.personId };
      const hit = await supervision.lists.fastTrackRestriction(who, 'commitment', { matterCode: matter.code });
      if (!hit) return { allowed: true };
      return {
        allowed: false,
        reason: `${hit.reason}（${hit.entry.listName}：${hit.entry.reason}；依据：${hit.entry.legalBasis}；列入机关：${hit.entry.department}）`,
        details: [{ message: hit.reason, restriction: hit.restriction, listEntry: hit.entry }],
      };
    },
  };
}

/** 审批即发证: an approval issues the matter's result licence, inside the approval's transaction. */
export function resultLicencesFrom(licences: LicenceServices): ResultLicences {
  return { issueFor: (application, trx) => licences.results.issue(application, trx) };
}

/**
 * For the status-list job: a node's current signed list for one authority, fetched from the
 * node's address on the exchange peer list (undefined when the node is not an active peer).
 * The answer is only trusted after the licences module checks its seal against the trust list.
 */
export function peerStatusLists(exchange: ExchangeService, timeoutMs = 5_000): (nodeId: string, uscc: string) => Promise<unknown> {
  return async (nodeId, uscc) => {
    const peer = (await exchange.trust.peers()).find((p) => p.node_id === nodeId && p.status === 'active');
    if (!peer) return undefined;
    const res = await fetch(`${peer.base_url.replace(/\/+$/, '')}/api/v1/licences/status-lists/${encodeURIComponent(uscc)}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`${peer.base_url} answered HTTP ${res.status}`);
    return res.json();
  };
}

/** A stable user id for "node X submitting for an applicant": the application's submitted_by. */
export function exchangeNodeUserId(node: string): string {
  const h = sm3Hex(`tongban-exchange-node:${node}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Statuses in which an application has its result, and what they mean to the origin node. */
const DECIDED: Record<string, CaseResult['decision']> = { approved: 'approved', delivered: 'approved', refused: 'rejected', not_accepted: 'rejected' };
const EVENT: Record<string, string> = {
  submit: 'filed as an application', accept: 'accepted (受理)', request_correction: 'correction requested (补正)', correct: 'corrected',
  approve: 'approved', refuse: 'refused', not_accept: 'not accepted (不予受理)', deliver: 'result delivered', withdraw: 'withdrawn',
};

/**
 * 跨省通办 at the owning node: a case forwarded by a peer becomes a real application here, found
 * by this node's officials in their ordinary queue and decided with the ordinary actions. The
 * application is filed as its applicant (known here by resident ID; registered from the peer's
 * signed forward if not), submitted by the forwarding node — a principal whose trust the
 * exchange has already checked (signature, pinned key, access right to case.forward). The
 * forward id is the submission's Idempotency-Key, so a retried forward finds the same application.
 */
export function crossProvinceCasesFrom(deps: {
  nodeId: string; applications: ApplicationsService; catalog: CatalogService; identity: IdentityService; materials: MaterialsService; licences: LicenceServices;
}): CaseHandler {
  const { nodeId, applications, catalog, identity, materials } = deps;
  const actorFor = (originNode: string, personId: string, label: string): Actor => ({
    userId: exchangeNodeUserId(originNode), username: `node:${originNode}`, roles: ['citizen'], personId, assuranceLevel: 1, grants: [], label,
  });

  async function applicantHere(c: ForwardedCase): Promise<string> {
    const known = await identity.personIdByResidentId(c.applicant.residentId);
    if (known) {
      const person = await identity.personIdentity(known);
      if (person && person.name !== c.applicant.name) throw new AppError('VALIDATION_FAILED', 'The applicant\'s name does not match this node\'s record for that resident ID');
      return known;
    }
    try {
      return (await identity.createPerson({ name: c.applicant.name, residentId: c.applicant.residentId })).id;
    } catch (err) {
      // A concurrent forward for the same person registered them first.
      const raced = (err as AppError).code === 'DUPLICATE' && await identity.personIdByResidentId(c.applicant.residentId);
      if (raced) return raced;
      throw err;
    }
  }

  /** The e-licence the approval of this application issued (审批即发证), if its matter has one. */
  async function resultLicence(applicationId: string): Promise<CaseResult['licence']> {
    const issued = await deps.licences.licences.resultOfApplication(applicationId);
    return issued && { id: issued.id, name: issued.typeName };
  }

  return {
    async receiveForwardedCase(c) {
      const matter = await catalog.getMatter(c.matterCode).catch(() => {
        throw new AppError('NOT_FOUND', `Node ${nodeId} has no matter ${c.matterCode}`);
      });
      if (!matter.crossProvince) throw new AppError('RULE_VIOLATION', `${matter.name} is not offered for 跨省通办 at node ${nodeId}`);
      if (c.mode === '全程网办' && matter.crossProvince !== 'full-online') throw new AppError('RULE_VIOLATION', `${matter.name} is not handled fully online (全程网办) here`);
      if (matter.regionCode !== c.matterRegion) throw new AppError('VALIDATION_FAILED', `${c.matterCode} belongs to region ${matter.regionCode} here, not ${c.matterRegion}`);
      const personId = await applicantHere(c);
      const actor = actorFor(c.originNode, personId, `${c.acceptedBy.label}（${c.originNode} ${c.mode}）`);
      // 多地联办: one form and one set of materials for the whole joint application; each part takes its own.
      const joint = c.mode === '多地联办';
      const fields = new Set(matter.formFields.map((f) => f.key));
      const form = joint ? Object.fromEntries(Object.entries(c.form).filter(([k]) => fields.has(k))) : c.form;
      const given = joint ? c.materials.filter((m) => matter.materials.some((r) => r.key === m.key)) : c.materials;
      const chosen = [];
      for (const m of given) {
        const requirement = matter.materials.find((r) => r.key === m.key);
        if (!requirement) throw new AppError('VALIDATION_FAILED', `${matter.name} has no material requirement ${m.key}`, [{ path: '$.materials', message: `unknown requirement ${m.key}` }]);
        if (!m.contentBase64) throw new AppError('VALIDATION_FAILED', `Material ${m.key} came without its content`);
        // Produced on the day the origin accepted it: a retry stores (and chooses) the same library entry.
        const stored = await materials.store({ personId }, { materialType: requirement.materialType, title: m.name, contentBase64: m.contentBase64, producedOn: c.acceptedOn }, actor.userId);
        chosen.push({ key: m.key, materialId: stored.id });
      }
      const { application } = await applications.submit(actor, { matterCode: c.matterCode, form, materials: chosen }, c.forwardId);
      return { caseId: application.id, applicantPersonId: personId, status: application.status };
    },

    async caseStatus(caseId, applicantPersonId, originNode): Promise<CaseStatusView | undefined> {
      const app = await applications.get(actorFor(originNode, applicantPersonId, `node:${originNode}`), caseId).catch((err) => {
        if ((err as AppError).code === 'NOT_FOUND') return undefined;
        throw err;
      });
      if (!app) return undefined;
      const timeline = app.timeline.map((e) => ({ at: e.at, node: nodeId, event: EVENT[e.action] ?? e.action, note: e.reason ?? e.actor }));
      const decision = DECIDED[app.status];
      if (!decision) return { caseId: app.id, status: app.status, timeline };
      const decidedBy = [...app.timeline].reverse().find((e) => ['approve', 'refuse', 'not_accept'].includes(e.action))?.actor ?? nodeId;
      const licence = decision === 'approved' ? await resultLicence(app.id) : undefined;
      const result: CaseResult = {
        decision, opinion: app.result ?? '', decidedAt: app.decidedAt ?? new Date().toISOString(), decidedBy, ...(licence ? { licence } : {}),
      };
      return { caseId: app.id, status: app.status, timeline, result };
    },
  };
}
