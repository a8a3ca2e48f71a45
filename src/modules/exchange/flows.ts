/**
 * 跨省通办 flows as exchange services. The case itself belongs to the applications (one-stop)
 * module; this file defines the port it implements (`CaseHandler`) and carries cases between
 * nodes over the signed exchange:
 *  - `case.forward` (origin → owning node, via the outbox): 全程网办 (the applicant applied online
 *    at home for the other node's matter), 异地代收代办 (a counter here accepted and digitised the
 *    materials), 多地联办 (one part of a joint application);
 *  - `case.status` (origin asks the owning node, synchronously): the applicant follows from home;
 *  - `case.result` (owning node → origin, via the outbox): the decision and any e-licence.
 * The forward's message id is the idempotency key: a retried forward never makes a second case.
 */
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Envelope } from './envelope.js';
import type { ExchangeService } from './service.js';

export const CROSS_PROVINCE_MODES = ['全程网办', '异地代收代办', '多地联办'] as const;
export type CrossProvinceMode = (typeof CROSS_PROVINCE_MODES)[number];

export interface CaseMaterial { name: string; mediaType: string; sm3: string; contentBase64?: string }
export interface TimelineEvent { at: string; node: string; event: string; note?: string }
export interface CaseResult {
  decision: 'approved' | 'rejected';
  opinion: string;
  decidedAt: string;
  decidedBy: string;
  /** The e-licence issued, when the matter issues one (its identifier and name). */
  licence?: { id: string; name: string };
}

export interface ForwardedCase {
  /** The forward's message id: a retry carries the same one. */
  forwardId: string;
  originNode: string;
  originCaseId: string;
  mode: CrossProvinceMode;
  matterCode: string;
  matterName: string;
  /** Region code of the department that owns the matter on the receiving node. */
  matterRegion: string;
  applicant: { residentId: string; name: string };
  /** The applicant's person id on the receiving node, when the person is known there. */
  localPersonId?: string;
  form: Record<string, unknown>;
  materials: CaseMaterial[];
  acceptedBy: { node: string; label: string; department?: string };
}

export interface CaseStatusView { caseId: string; status: string; timeline: TimelineEvent[]; result?: CaseResult }

/**
 * What the applications module provides on each node. Inside `trx` an implementation may use
 * only `trx` (PGlite has one connection).
 */
export interface CaseHandler {
  /** Owning node: create the case from a forward (idempotent per forwardId). */
  receiveForwardedCase(c: ForwardedCase, trx: Executor): Promise<{ caseId: string; status: string }>;
  /** Owning node: the case as the applicant may see it, if it came from `originNode`. */
  caseStatus(caseId: string, originNode: string): Promise<CaseStatusView | undefined>;
  /** Origin node: the owning node accepted the forward as `remoteCaseId`. */
  forwardAcknowledged(originCaseId: string, fromNode: string, remoteCaseId: string, trx: Executor): Promise<void>;
  /** Origin node: the owning node refused the forward for good. */
  forwardRefused(originCaseId: string, fromNode: string, error: { code: string; message: string }, trx: Executor): Promise<void>;
  /** Origin node: the decision (and any e-licence) for the applicant. */
  deliverResult(originCaseId: string, fromNode: string, result: CaseResult, trx: Executor): Promise<void>;
}

/** Finds the person a forwarded case is about on this node (IdentityService satisfies it). */
export interface PersonDirectory { personIdByResidentId(residentId: string): Promise<string | undefined> }

type ForwardInput = Omit<ForwardedCase, 'forwardId' | 'originNode' | 'localPersonId'>;

const str = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function parseForward(p: Record<string, unknown>, sender: string, forwardId: string): ForwardedCase {
  const a = p.applicant as { residentId?: unknown; name?: unknown } | undefined;
  const by = p.acceptedBy as { node?: unknown; label?: unknown; department?: unknown } | undefined;
  const ok = str(p.originCaseId, 64) && CROSS_PROVINCE_MODES.includes(p.mode as CrossProvinceMode) && str(p.matterCode, 64) && str(p.matterName, 200) && typeof p.matterRegion === 'string' && /^\d{6,12}$/.test(p.matterRegion)
    && a && str(a.residentId, 32) && str(a.name, 100) && by && str(by.label, 200) && p.form && typeof p.form === 'object' && Array.isArray(p.materials)
    && (p.materials as CaseMaterial[]).every((m) => m && str(m.name, 200) && str(m.mediaType, 100) && /^[0-9a-f]{64}$/.test(String(m.sm3)));
  if (!ok) throw new AppError('VALIDATION_FAILED', 'The case.forward payload is not a valid case');
  return {
    forwardId, originNode: sender, originCaseId: p.originCaseId as string, mode: p.mode as CrossProvinceMode,
    matterCode: p.matterCode as string, matterName: p.matterName as string, matterRegion: p.matterRegion as string,
    applicant: { residentId: a!.residentId as string, name: a!.name as string }, form: p.form as Record<string, unknown>,
    materials: p.materials as CaseMaterial[], acceptedBy: { node: sender, label: by!.label as string, ...(str(by!.department, 200) ? { department: by!.department } : {}) },
  };
}

function parseResult(p: Record<string, unknown>): { originCaseId: string; result: CaseResult } {
  const r = p.result as Partial<CaseResult> | undefined;
  if (!str(p.originCaseId, 64) || !r || !['approved', 'rejected'].includes(r.decision as string) || typeof r.opinion !== 'string'
    || !str(r.decidedAt, 40) || !str(r.decidedBy, 200)) {
    throw new AppError('VALIDATION_FAILED', 'The case.result payload is not a valid result');
  }
  return { originCaseId: p.originCaseId as string, result: r as CaseResult };
}

export class CrossProvinceFlows {
  constructor(
    private readonly exchange: ExchangeService,
    private readonly cases: CaseHandler,
    private readonly people: PersonDirectory,
  ) {
    exchange.offer('case.forward', {
      prepare: async (payload, ctx) => {
        const c = parseForward(payload, ctx.sender, ctx.messageId);
        return { ...c, localPersonId: await this.people.personIdByResidentId(c.applicant.residentId) };
      },
      apply: async (_payload, _ctx, prepared, trx) => this.cases.receiveForwardedCase(prepared as ForwardedCase, trx),
    }, (request, response, trx) => this.onForwardAnswered(request, response, trx));

    exchange.offer('case.status', {
      prepare: async (payload, ctx) => {
        if (!str(payload.caseId, 64)) throw new AppError('VALIDATION_FAILED', 'case.status needs a caseId');
        const view = await this.cases.caseStatus(payload.caseId, ctx.sender);
        if (!view) throw new AppError('NOT_FOUND', 'No such case forwarded from your node');
        return view;
      },
      apply: async (_payload, _ctx, prepared) => ({ ...(prepared as CaseStatusView) }),
    });

    exchange.offer('case.result', {
      apply: async (payload, ctx, _prepared, trx) => {
        const { originCaseId, result } = parseResult(payload);
        await this.cases.deliverResult(originCaseId, ctx.sender, result, trx);
        return { received: true };
      },
    });
  }

  /** Origin: queue the forward in the caller's transaction; returns the forward (message) id. */
  forward(trx: Executor, owningNode: string, input: ForwardInput, forwardId?: string): Promise<string> {
    return this.exchange.send(trx, owningNode, 'case.forward', { ...input } as Record<string, unknown>, forwardId);
  }

  /** Owning node: queue the decision back to the origin in the caller's transaction. */
  returnResult(trx: Executor, originNode: string, originCaseId: string, result: CaseResult): Promise<string> {
    return this.exchange.send(trx, originNode, 'case.result', { originCaseId, result: { ...result } });
  }

  /** Origin: the case as the owning node sees it now. */
  async remoteStatus(owningNode: string, remoteCaseId: string): Promise<CaseStatusView> {
    const { payload } = await this.exchange.ask(owningNode, 'case.status', { caseId: remoteCaseId });
    return payload as unknown as CaseStatusView;
  }

  private async onForwardAnswered(request: Envelope, response: Envelope, trx: Executor): Promise<void> {
    const originCaseId = String((request.payload as { originCaseId?: unknown }).originCaseId);
    if (response.status === 'ok') {
      await this.cases.forwardAcknowledged(originCaseId, request.receiver, String((response.payload as { caseId?: unknown }).caseId), trx);
    } else {
      const e = (response.payload as { error?: { code?: string; message?: string } }).error ?? {};
      await this.cases.forwardRefused(originCaseId, request.receiver, { code: e.code ?? 'REFUSED', message: e.message ?? '' }, trx);
    }
  }
}
