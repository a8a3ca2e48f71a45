/**
 * 跨省通办 flows as exchange services. The case itself is an application of the owning node's
 * applications (one-stop) module, reached through the `CaseHandler` port (wired in src/app.ts);
 * this file carries cases between nodes over the signed exchange:
 *  - `case.forward` (origin → owning node, via the outbox): 全程网办 (the applicant applied online
 *    at home for the other node's matter), 异地代收代办 (a counter here accepted and digitised the
 *    materials), 多地联办 (one part of a joint application). The owning node files it as a real
 *    application, which its officials find in their ordinary queue;
 *  - `case.status` (origin asks the owning node, synchronously): the applicant follows from home;
 *  - `case.result` (owning node → origin, via the outbox): the decision and any e-licence, sent
 *    by `sendDueResults` once the owning node's official has decided the application.
 * The forward's message id is the idempotency key: a retried forward never makes a second case.
 */
import { sql } from 'kysely';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { newMessageId } from './envelope.js';
import type { Message } from './batch.js';
import type { ExchangeService } from './service.js';
import { UUID } from '../../platform/uuid.js';

export const CROSS_PROVINCE_MODES = ['全程网办', '异地代收代办', '多地联办'] as const;
export type CrossProvinceMode = (typeof CROSS_PROVINCE_MODES)[number];

/** A material forwarded with a case: the file, and which requirement of the owning node's matter it meets. */
export interface CaseMaterial { key: string; name: string; mediaType: string; sm3: string; contentBase64?: string }
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
  /** The day the origin accepted (and digitised) the materials: their production date here. */
  acceptedOn: string;
  form: Record<string, string>;
  materials: CaseMaterial[];
  acceptedBy: { node: string; label: string; department?: string };
  /** 多地联办: the parts of one joint application share this id. */
  jointGroup?: string;
}

export interface CaseStatusView { caseId: string; status: string; timeline: TimelineEvent[]; result?: CaseResult }

/**
 * What the applications module provides on the owning node (see src/adapters.ts). Both run
 * outside any exchange transaction.
 */
export interface CaseHandler {
  /** Files the forwarded case as an application here; the same forwardId always gives the same application. */
  receiveForwardedCase(c: ForwardedCase): Promise<{ caseId: string; applicantPersonId: string; status: string }>;
  /** The application as its applicant sees it; `result` once it is decided. */
  caseStatus(caseId: string, applicantPersonId: string, originNode: string): Promise<CaseStatusView | undefined>;
}

/** The origin's record of what it forwarded (OutgoingCases satisfies it). */
export interface ForwardTracker {
  forwardAcknowledged(originCaseId: string, fromNode: string, remoteCaseId: string, trx: Executor): Promise<void>;
  forwardRefused(originCaseId: string, fromNode: string, error: { code: string; message: string }, trx: Executor): Promise<void>;
  deliverResult(originCaseId: string, fromNode: string, result: CaseResult, trx: Executor): Promise<void>;
}

interface LinkRow { application_id: string; origin_node: string; origin_case_id: string; applicant_person_id: string; result_message_id: string | null }

type ForwardInput = Omit<ForwardedCase, 'forwardId' | 'originNode'>;

const str = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function parseForward(p: Record<string, unknown>, sender: string, forwardId: string): ForwardedCase {
  const a = p.applicant as { residentId?: unknown; name?: unknown } | undefined;
  const by = p.acceptedBy as { node?: unknown; label?: unknown; department?: unknown } | undefined;
  const form = p.form as Record<string, unknown> | undefined;
  const ok = typeof p.originCaseId === 'string' && UUID.test(p.originCaseId) && CROSS_PROVINCE_MODES.includes(p.mode as CrossProvinceMode)
    && str(p.matterCode, 64) && str(p.matterName, 200) && typeof p.matterRegion === 'string' && /^\d{6,12}$/.test(p.matterRegion)
    && typeof p.acceptedOn === 'string' && /^\d{4}-\d\d-\d\d$/.test(p.acceptedOn)
    && a && str(a.residentId, 32) && str(a.name, 100) && by && str(by.label, 200)
    && form && typeof form === 'object' && !Array.isArray(form) && Object.values(form).every((v) => typeof v === 'string' && v.length <= 2000)
    && (p.jointGroup === undefined || (typeof p.jointGroup === 'string' && UUID.test(p.jointGroup))) && Array.isArray(p.materials)
    && (p.materials as CaseMaterial[]).every((m) => m && str(m.key, 64) && str(m.name, 200) && str(m.mediaType, 100) && /^[0-9a-f]{64}$/.test(String(m.sm3)));
  if (!ok) throw new AppError('VALIDATION_FAILED', 'The case.forward payload is not a valid case');
  return {
    forwardId, originNode: sender, originCaseId: p.originCaseId as string, mode: p.mode as CrossProvinceMode,
    matterCode: p.matterCode as string, matterName: p.matterName as string, matterRegion: p.matterRegion as string, acceptedOn: p.acceptedOn as string,
    applicant: { residentId: a!.residentId as string, name: a!.name as string }, form: form as Record<string, string>,
    materials: p.materials as CaseMaterial[], acceptedBy: { node: sender, label: by!.label as string, ...(str(by!.department, 200) ? { department: by!.department } : {}) },
    ...(p.jointGroup ? { jointGroup: p.jointGroup as string } : {}),
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
    private readonly tracker: ForwardTracker,
    private readonly cases?: CaseHandler,
  ) {
    // Without an applications module this node only forwards; it owns no matters for others.
    if (cases) this.offerOwningSide(cases);
    exchange.outbox.onDelivered('case.forward', (request, response, trx) => this.onForwardAnswered(request, response, trx));
    exchange.offer('case.result', {
      apply: async (payload, ctx, _prepared, trx) => {
        const { originCaseId, result } = parseResult(payload);
        await this.tracker.deliverResult(originCaseId, ctx.sender, result, trx);
        return { received: true };
      },
    });
  }

  private offerOwningSide(cases: CaseHandler): void {
    this.exchange.offer('case.forward', {
      // Filed before the inbox transaction (PGlite has one connection); idempotent per forward id.
      prepare: async (payload, ctx) => cases.receiveForwardedCase(parseForward(payload, ctx.sender, ctx.messageId)),
      apply: async (payload, ctx, prepared, trx) => {
        const filed = prepared as { caseId: string; applicantPersonId: string; status: string };
        await trx.insertInto('exchange_case_links').values({
          application_id: filed.caseId, origin_node: ctx.sender, forward_message_id: ctx.messageId, origin_case_id: payload.originCaseId as string,
          mode: payload.mode as string, applicant_person_id: filed.applicantPersonId,
        }).onConflict((oc) => oc.doNothing()).execute();
        return { caseId: filed.caseId, status: filed.status };
      },
    });

    this.exchange.offer('case.status', {
      prepare: async (payload, ctx) => {
        if (typeof payload.caseId !== 'string' || !UUID.test(payload.caseId)) throw new AppError('VALIDATION_FAILED', 'case.status needs a caseId (uuid)');
        const link = await this.link(payload.caseId, ctx.sender);
        const view = link && await cases.caseStatus(link.application_id, link.applicant_person_id, ctx.sender);
        if (!view) throw new AppError('NOT_FOUND', 'No such case forwarded from your node');
        return view;
      },
      apply: async (_payload, _ctx, prepared) => ({ ...(prepared as CaseStatusView) }),
    });
  }

  private link(applicationId: string, originNode: string): Promise<LinkRow | undefined> {
    return this.exchange.db.selectFrom('exchange_case_links').selectAll().where('application_id', '=', applicationId)
      .where('origin_node', '=', originNode).executeTakeFirst() as Promise<LinkRow | undefined>;
  }

  /** Origin: queue the forward in the caller's transaction; returns the forward (message) id. */
  forward(trx: Executor, owningNode: string, input: ForwardInput, forwardId?: string): Promise<string> {
    return this.exchange.send(trx, owningNode, 'case.forward', { ...input } as Record<string, unknown>, forwardId);
  }

  /**
   * Owning node (the `exchange.case-results` job): looks at the longest-unchecked forwarded
   * applications and queues `case.result` for each one decided since. Marking the link and
   * queueing the message share a transaction, so each result leaves exactly once.
   */
  async sendDueResults(limit = 50): Promise<number> {
    if (!this.cases) return 0;
    const db = this.exchange.db;
    const open = await db.selectFrom('exchange_case_links').selectAll().where('result_message_id', 'is', null)
      .orderBy('checked_at').limit(limit).execute() as LinkRow[];
    let sent = 0;
    for (const link of open) {
      const view = await this.cases.caseStatus(link.application_id, link.applicant_person_id, link.origin_node);
      sent += await inTransaction(db, async (trx) => {
        if (!view?.result) {
          await trx.updateTable('exchange_case_links').set({ checked_at: sql`now()` }).where('application_id', '=', link.application_id).execute();
          return 0;
        }
        const messageId = newMessageId();
        const marked = await trx.updateTable('exchange_case_links').set({ result_message_id: messageId, checked_at: sql`now()` })
          .where('application_id', '=', link.application_id).where('result_message_id', 'is', null).executeTakeFirst();
        if (Number(marked.numUpdatedRows) === 0) return 0;
        await this.exchange.send(trx, link.origin_node, 'case.result', { originCaseId: link.origin_case_id, result: { ...view.result } }, messageId);
        return 1;
      });
    }
    return sent;
  }

  /** Origin: the case as the owning node sees it now. */
  async remoteStatus(owningNode: string, remoteCaseId: string): Promise<CaseStatusView> {
    const { payload } = await this.exchange.ask(owningNode, 'case.status', { caseId: remoteCaseId });
    return payload as unknown as CaseStatusView;
  }

  private async onForwardAnswered(request: Message, response: Message, trx: Executor): Promise<void> {
    const originCaseId = String((request.payload as { originCaseId?: unknown }).originCaseId);
    if (response.status === 'ok') {
      await this.tracker.forwardAcknowledged(originCaseId, request.receiver, String((response.payload as { caseId?: unknown }).caseId), trx);
    } else {
      const e = (response.payload as { error?: { code?: string; message?: string } }).error ?? {};
      await this.tracker.forwardRefused(originCaseId, request.receiver, { code: e.code ?? 'REFUSED', message: e.message ?? '' }, trx);
    }
  }
}
