/**
 * 政务数据共享: departments publish resources (fields, sharing class, legal basis); a department
 * of this or another node asks for access for a purpose; the owner approves a scope (fields,
 * purpose, expiry). Each query is checked against that approval, returns only approved fields,
 * needs the person's consent when the resource is conditional, and is logged for the owner and
 * the auditor (data_query_log + audit chain) and for the person (their data-access log, with
 * the reading node). Queries from other nodes arrive as `data.access-request` / `data.query`.
 */
import { hasPermission, requireActor, requirePermission, type Actor } from '../../platform/access/policy.js';
import { hmacSm3Hex } from '../../platform/crypto/sm.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import { DataSharingRepository, type AccessRequestRow, type ConsentRow, type ResourceRow } from './data-sharing-repository.js';
import type { ExchangeService } from './service.js';

/** Where the 户籍 fields come from on this node (IdentityService satisfies it). */
export interface IdentitySource {
  personIdByResidentId(residentId: string): Promise<string | undefined>;
  personIdentity(personId: string): Promise<{ name: string; residentId: string; sex: string; birthDate: string; regionCode: string } | undefined>;
}

export interface Requester { node: string; department: string; label: string }
export interface QueryInput { requestId: string; residentId: string; purpose: string; fields?: string[] }
interface PreparedQuery { request: AccessRequestRow; personId: string; fields: string[]; data: Record<string, unknown> }

/** Resources answered from the identity module rather than a department's source records. */
export const IDENTITY_RESOURCE = 'hj.basic';

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

export function requestView(r: AccessRequestRow) {
  return {
    id: r.id, resourceCode: r.resource_code, requesterNode: r.requester_node, requesterDepartment: r.requester_department, requesterLabel: r.requester_label,
    purpose: r.purpose, fields: r.fields, status: r.status, approvedFields: r.approved_fields, approvedPurpose: r.approved_purpose,
    expiresAt: r.expires_at?.toISOString() ?? null, version: r.version, createdAt: r.created_at.toISOString(),
  };
}
export type RequestView = ReturnType<typeof requestView>;

export class DataSharingService {
  private readonly repo = new DataSharingRepository();

  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly exchange: ExchangeService,
    private readonly identity: IdentitySource,
    private readonly audit: AuditService,
    /** Key for the HMAC-SM3 that finds a person's source records by resident ID. */
    private readonly subjectKeySecret: Uint8Array,
  ) {
    exchange.offer('data.access-request', {
      apply: async (p, ctx, _prepared, trx) => {
        const by = p.requester as { department?: unknown; label?: unknown } | undefined;
        if (!by || !str(by.department, 200) || !str(by.label, 200) || !str(p.resourceCode, 64) || !str(p.purpose, 500) || !Array.isArray(p.fields)) {
          throw new AppError('VALIDATION_FAILED', 'The data.access-request payload is not valid');
        }
        return requestView(await this.createRequest({ node: ctx.sender, department: by.department, label: by.label }, p.resourceCode, p.fields as string[], p.purpose, trx));
      },
    });
    exchange.offer('data.query', {
      prepare: async (p, ctx) => {
        const by = p.requester as { department?: unknown; label?: unknown } | undefined;
        if (!by || !str(by.department, 200) || !str(by.label, 200) || !str(p.requestId, 64) || !str(p.residentId, 32) || !str(p.purpose, 500)
          || (p.fields !== undefined && !Array.isArray(p.fields))) throw new AppError('VALIDATION_FAILED', 'The data.query payload is not valid');
        return this.prepareQuery({ node: ctx.sender, department: by.department, label: by.label }, p as unknown as QueryInput);
      },
      apply: async (_p, ctx, prepared, trx) => this.answer({ node: ctx.sender, ...(_p.requester as { department: string; label: string }) }, prepared as PreparedQuery, ctx.messageId, trx),
    });
  }

  resources(): Promise<ResourceRow[]> {
    return this.repo.resources(this.db);
  }

  async publish(resource: ResourceRow, db: Executor = this.db): Promise<void> {
    await this.repo.insertResource(db, resource);
  }
  /** Loads a department's record about a person (by resident ID) into a published resource. */
  async addSourceRecord(resourceCode: string, residentId: string, data: Record<string, unknown>, db: Executor = this.db): Promise<void> {
    await this.repo.insertSourceRecord(db, resourceCode, this.subjectKey(residentId), data);
  }

  private subjectKey(residentId: string): string {
    return hmacSm3Hex(this.subjectKeySecret, `data-source:${residentId.toUpperCase()}`);
  }

  // ── Requesting side ───────────────────────────────────────────────────────────────────

  private requester(actorIn: Actor | undefined): Requester {
    const actor = requirePermission(actorIn, 'data-sharing:manage');
    if (!actor.department) throw new AppError('FORBIDDEN', 'Only a department may request or query shared data');
    return { node: this.nodeId, department: actor.department, label: actor.label };
  }

  async requestAccess(actor: Actor | undefined, input: { node: string; resourceCode: string; fields: string[]; purpose: string }): Promise<RequestView> {
    const by = this.requester(actor);
    if (input.node === this.nodeId) return requestView(await inTransaction(this.db, (trx) => this.createRequest(by, input.resourceCode, input.fields, input.purpose, trx)));
    const { payload } = await this.exchange.ask(input.node, 'data.access-request', { resourceCode: input.resourceCode, fields: input.fields, purpose: input.purpose, requester: { department: by.department, label: by.label } });
    return payload as unknown as RequestView;
  }

  async query(actor: Actor | undefined, input: QueryInput & { node: string }): Promise<{ resourceCode: string; fields: string[]; data: Record<string, unknown> }> {
    const by = this.requester(actor);
    const { node, ...q } = input;
    if (node === this.nodeId) {
      const prepared = await this.prepareQuery(by, q);
      return inTransaction(this.db, (trx) => this.answer(by, prepared, null, trx));
    }
    const { payload } = await this.exchange.ask(node, 'data.query', { ...q, requester: { department: by.department, label: by.label } });
    return payload as { resourceCode: string; fields: string[]; data: Record<string, unknown> };
  }

  // ── Owning side ───────────────────────────────────────────────────────────────────────

  private async createRequest(by: Requester, resourceCode: string, fields: string[], purpose: string, trx: Executor): Promise<AccessRequestRow> {
    const resource = await this.repo.resource(trx, resourceCode);
    if (!resource) throw new AppError('NOT_FOUND', `No data resource ${resourceCode} on ${this.nodeId}`);
    if (resource.sharing_class === 'not_shared') throw new AppError('RULE_VIOLATION', `${resource.name} is not shared (不予共享)`);
    const unknown = fields.filter((f) => !resource.fields.some((rf) => rf.name === f));
    if (fields.length === 0 || unknown.length) throw new AppError('VALIDATION_FAILED', `Unknown fields of ${resourceCode}: ${unknown.join(', ') || '(none asked)'}`);
    const row = await this.repo.insertRequest(trx, { resource_code: resourceCode, requester_node: by.node, requester_department: by.department, requester_label: by.label, purpose, fields: [...new Set(fields)] });
    await this.audit.append({ actor: by.node === this.nodeId ? by.label : `node:${by.node}`, action: 'data-sharing.access.requested', entityType: 'data_access_request', entityId: row.id, detail: { resourceCode, fields: row.fields, purpose, department: by.department } }, trx);
    return row;
  }

  private async ownerScope(actorIn: Actor | undefined): Promise<{ actor: Actor; department?: string }> {
    const actor = requireActor(actorIn);
    if (actor.roles.includes('admin') || hasPermission(actor, 'audit:read')) return { actor };
    requirePermission(actor, 'data-sharing:manage');
    return { actor, department: actor.department };
  }

  async listRequests(actor: Actor | undefined): Promise<RequestView[]> {
    const { department } = await this.ownerScope(actor);
    return (await this.repo.requests(this.db, { ownerDepartment: department })).map(requestView);
  }

  async decide(actorIn: Actor | undefined, id: string, input: { approve: boolean; fields?: string[]; purpose?: string; expiresAt?: string; version: number }): Promise<RequestView> {
    const actor = requirePermission(actorIn, 'data-sharing:manage');
    const request = await this.repo.request(this.db, id);
    const resource = request && await this.repo.resource(this.db, request.resource_code);
    if (!request || !resource || (!actor.roles.includes('admin') && actor.department !== resource.owner_department)) throw new AppError('NOT_FOUND');
    if (request.status !== 'pending' && !(request.status === 'approved' && !input.approve)) throw new AppError('INVALID_TRANSITION', `The request is already ${request.status}`);
    let patch: Parameters<DataSharingRepository['decide']>[3];
    if (input.approve) {
      const fields = input.fields ?? request.fields;
      const beyond = fields.filter((f) => !request.fields.includes(f));
      if (beyond.length) throw new AppError('VALIDATION_FAILED', `Approval may only narrow the fields asked for: ${beyond.join(', ')}`);
      const expires = new Date(input.expiresAt ?? '');
      if (Number.isNaN(expires.getTime()) || expires <= new Date()) throw new AppError('VALIDATION_FAILED', 'An approval needs an expiry in the future', [{ in: 'body', path: '$.expiresAt', message: 'required, future' }]);
      patch = { status: 'approved', approved_fields: fields, approved_purpose: input.purpose ?? request.purpose, expires_at: expires, decided_by: actor.label };
    } else {
      patch = { status: request.status === 'approved' ? 'revoked' : 'rejected', approved_fields: null, approved_purpose: null, expires_at: null, decided_by: actor.label };
    }
    return requestView(await inTransaction(this.db, async (trx) => {
      const row = await this.repo.decide(trx, id, input.version, patch);
      if (!row) throw new AppError('CONFLICT');
      await this.audit.append({ actor: actor.userId, action: `data-sharing.access.${row.status}`, entityType: 'data_access_request', entityId: id, detail: { fields: row.approved_fields, purpose: row.approved_purpose, expiresAt: row.expires_at?.toISOString() ?? null } }, trx);
      return row;
    }));
  }

  /** Every check and read, before any write (PGlite has one connection). */
  private async prepareQuery(by: Requester, q: QueryInput): Promise<PreparedQuery> {
    const request = await this.repo.request(this.db, q.requestId);
    if (!request || request.requester_node !== by.node || request.requester_department !== by.department) throw new AppError('DATA_ACCESS_NOT_APPROVED', 'No approval of yours has this id');
    if (request.status !== 'approved' || !request.expires_at || request.expires_at <= new Date()) throw new AppError('DATA_ACCESS_NOT_APPROVED', `The approval is ${request.status === 'approved' ? 'expired' : request.status}`);
    if (q.purpose !== request.approved_purpose) throw new AppError('DATA_ACCESS_NOT_APPROVED', `The approval is for the purpose "${request.approved_purpose}" only`);
    const fields = q.fields ?? request.approved_fields ?? [];
    const beyond = fields.filter((f) => !(request.approved_fields ?? []).includes(f));
    if (beyond.length || fields.length === 0) throw new AppError('DATA_ACCESS_NOT_APPROVED', `Fields not approved: ${beyond.join(', ') || '(none asked)'}`);
    const personId = await this.identity.personIdByResidentId(q.residentId);
    if (!personId) throw new AppError('NOT_FOUND', 'No person with that resident ID on this node');
    const resource = (await this.repo.resource(this.db, request.resource_code))!;
    if (resource.sharing_class === 'conditional' && !(await this.repo.liveConsent(this.db, personId, request.id))) {
      throw new AppError('CONSENT_REQUIRED', `${resource.name} is shared only with the person's consent to this use`);
    }
    const source = resource.code === IDENTITY_RESOURCE
      ? await this.identity.personIdentity(personId) as Record<string, unknown> | undefined
      : await this.repo.sourceRecord(this.db, resource.code, this.subjectKey(q.residentId));
    if (!source) throw new AppError('NOT_FOUND', `${resource.name} holds no record for this person`);
    return { request, personId, fields, data: Object.fromEntries(fields.map((f) => [f, source[f] ?? null])) };
  }

  private async answer(by: Requester, p: PreparedQuery, messageId: string | null, trx: Executor) {
    await this.repo.logQuery(trx, {
      access_request_id: p.request.id, resource_code: p.request.resource_code, subject_person_id: p.personId, requester_node: by.node,
      requester_department: by.department, requester_label: by.label, purpose: p.request.approved_purpose!, fields: p.fields, message_id: messageId,
    });
    await this.audit.recordDataAccess({
      subjectPersonId: p.personId, actor: { userId: null, label: by.label, department: by.department },
      purpose: p.request.approved_purpose!, fields: p.fields.map((f) => `${p.request.resource_code}.${f}`), node: by.node,
    }, trx);
    return { resourceCode: p.request.resource_code, fields: p.fields, data: p.data };
  }

  async queryLog(actor: Actor | undefined) {
    const { department } = await this.ownerScope(actor);
    return this.repo.queryLog(this.db, department, 200);
  }

  // ── The person's consent ──────────────────────────────────────────────────────────────

  /** Approved conditional uses the person may consent to, and the consents they gave. */
  async myConsents(actorIn: Actor | undefined): Promise<{ available: RequestView[]; given: (ConsentRow & { request: RequestView })[] }> {
    const actor = requireActor(actorIn);
    if (!actor.personId) return { available: [], given: [] };
    const available = (await this.repo.requests(this.db, { conditionalApprovedOnly: true })).map(requestView);
    const given = await this.repo.consents(this.db, actor.personId);
    const withRequest = await Promise.all(given.map(async (c) => ({ ...c, request: requestView((await this.repo.request(this.db, c.access_request_id))!) })));
    return { available, given: withRequest };
  }

  async giveConsent(actorIn: Actor | undefined, accessRequestId: string): Promise<ConsentRow> {
    const actor = requireActor(actorIn);
    if (!actor.personId) throw new AppError('FORBIDDEN', 'Only a person can consent to the use of their data');
    const request = await this.repo.request(this.db, accessRequestId);
    if (!request || request.status !== 'approved') throw new AppError('NOT_FOUND', 'No approved data use with this id');
    if (await this.repo.liveConsent(this.db, actor.personId, accessRequestId)) throw new AppError('DUPLICATE', 'You have already consented to this use');
    return inTransaction(this.db, async (trx) => {
      const row = await this.repo.insertConsent(trx, actor.personId!, accessRequestId);
      await this.audit.append({ actor: actor.userId, action: 'data-sharing.consent.given', entityType: 'data_consent', entityId: row.id, detail: { accessRequestId, requester: `${request.requester_department}@${request.requester_node}`, purpose: request.approved_purpose } }, trx);
      return row;
    });
  }

  async revokeConsent(actorIn: Actor | undefined, consentId: string, version: number): Promise<ConsentRow> {
    const actor = requireActor(actorIn);
    const existing = await this.repo.consent(this.db, consentId);
    if (!existing || existing.person_id !== actor.personId) throw new AppError('NOT_FOUND');
    if (existing.revoked_at) throw new AppError('INVALID_TRANSITION', 'The consent is already revoked');
    return inTransaction(this.db, async (trx) => {
      const row = await this.repo.revokeConsent(trx, consentId, version);
      if (!row) throw new AppError('CONFLICT');
      await this.audit.append({ actor: actor.userId, action: 'data-sharing.consent.revoked', entityType: 'data_consent', entityId: consentId, detail: { accessRequestId: row.access_request_id } }, trx);
      return row;
    });
  }
}
