/** HTTP for 政务数据共享: the catalogue, access requests and approvals, queries, logs, and consent. */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { requireActor } from '../../platform/access/policy.js';
import { DateTimeString, IdParams, Nullable, Obj, Uuid, Version } from '../../platform/http/schemas.js';
import type { ConsentRow } from './data-sharing-repository.js';
import type { DataSharingService, RequestView } from './data-sharing.js';

const NodeId = Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' });
const FieldName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' });
const Purpose = Type.String({ minLength: 2, maxLength: 500 });
const Resource = Obj({
  code: Type.String(), name: Type.String(), ownerDepartment: Type.String(), sharingClass: Type.String(), legalBasis: Type.String(),
  fields: Type.Array(Obj({ name: Type.String(), label: Type.String() })), api: Type.String(),
});
const Request = Obj({
  id: Type.String(), resourceCode: Type.String(), requesterNode: Type.String(), requesterDepartment: Type.String(), requesterLabel: Type.String(),
  purpose: Type.String(), fields: Type.Array(Type.String()), status: Type.String(), approvedFields: Nullable(Type.Array(Type.String())),
  approvedPurpose: Nullable(Type.String()), expiresAt: Nullable(Type.String()), version: Type.Integer(), createdAt: Type.String(),
});
const Consent = Obj({ id: Type.String(), accessRequestId: Type.String(), grantedAt: Type.String(), revokedAt: Nullable(Type.String()), version: Type.Integer(), request: Type.Optional(Request) });
const QueryLogItem = Obj({
  id: Type.String(), accessRequestId: Type.String(), resourceCode: Type.String(), subjectPersonId: Type.String(), requesterNode: Type.String(),
  requesterDepartment: Type.String(), requesterLabel: Type.String(), purpose: Type.String(), fields: Type.Array(Type.String()), queriedAt: Type.String(),
});

const consentView = (c: ConsentRow & { request?: RequestView }) => ({
  id: c.id, accessRequestId: c.access_request_id, grantedAt: c.granted_at.toISOString(), revokedAt: c.revoked_at?.toISOString() ?? null, version: c.version,
  ...(c.request ? { request: c.request } : {}),
});

export async function dataSharingRoutes(app: HttpServer, { sharing }: { sharing: DataSharingService }) {
  app.get('/api/v1/data-sharing/resources', {
    schema: { tags: ['data-sharing'], summary: "This node's published data resources (政务数据共享目录)", response: { 200: Obj({ items: Type.Array(Resource) }) } },
  }, async (req) => {
    requireActor(req.actor);
    return { items: (await sharing.resources()).map((r) => ({ code: r.code, name: r.name, ownerDepartment: r.owner_department, sharingClass: r.sharing_class, legalBasis: r.legal_basis, fields: r.fields, api: r.api })) };
  });

  app.post('/api/v1/data-sharing/access-requests', {
    schema: {
      tags: ['data-sharing'], summary: 'Ask a department of this or another node for access to a resource, for a purpose',
      body: Obj({ node: NodeId, resourceCode: Type.String({ minLength: 1, maxLength: 64 }), fields: Type.Array(FieldName, { minItems: 1, maxItems: 50 }), purpose: Purpose }),
      response: { 201: Request },
    },
  }, async (req, reply) => reply.status(201).send(await sharing.requestAccess(req.actor, req.body)));

  app.get('/api/v1/data-sharing/access-requests', {
    schema: { tags: ['data-sharing'], summary: "Requests for my department's resources (owners; admins and auditors see all)", response: { 200: Obj({ items: Type.Array(Request) }) } },
  }, async (req) => ({ items: await sharing.listRequests(req.actor) }));

  app.post('/api/v1/data-sharing/access-requests/:id/decision', {
    schema: {
      tags: ['data-sharing'], summary: 'Approve with a scope (fields, purpose, expiry), reject, or revoke an approval', params: IdParams,
      body: Obj({ approve: Type.Boolean(), fields: Type.Optional(Type.Array(FieldName, { minItems: 1, maxItems: 50 })), purpose: Type.Optional(Purpose), expiresAt: Type.Optional(DateTimeString), version: Version }),
      response: { 200: Request },
    },
  }, async (req) => sharing.decide(req.actor, req.params.id, req.body));

  app.post('/api/v1/data-sharing/query', {
    schema: {
      tags: ['data-sharing'], summary: "Query a person's record under an approval; only approved fields come back, and the person sees the read",
      body: Obj({ node: NodeId, requestId: Uuid, residentId: Type.String({ minLength: 15, maxLength: 18 }), purpose: Purpose, fields: Type.Optional(Type.Array(FieldName, { minItems: 1, maxItems: 50 })) }),
      response: { 200: Obj({ resourceCode: Type.String(), fields: Type.Array(Type.String()), data: Type.Object({}, { additionalProperties: true }) }) },
    },
  }, async (req) => sharing.query(req.actor, req.body));

  app.get('/api/v1/data-sharing/query-log', {
    schema: { tags: ['data-sharing'], summary: "Queries answered from my department's resources (owners; auditors see all)", response: { 200: Obj({ items: Type.Array(QueryLogItem) }) } },
  }, async (req) => ({
    items: (await sharing.queryLog(req.actor)).map((r) => ({
      id: r.id, accessRequestId: r.access_request_id, resourceCode: r.resource_code, subjectPersonId: r.subject_person_id, requesterNode: r.requester_node,
      requesterDepartment: r.requester_department, requesterLabel: r.requester_label, purpose: r.purpose, fields: r.fields, queriedAt: r.queried_at.toISOString(),
    })),
  }));

  app.get('/api/v1/me/data-consents', {
    schema: { tags: ['data-sharing'], summary: 'Approved uses of my data that need my consent, and the consents I gave', response: { 200: Obj({ available: Type.Array(Request), given: Type.Array(Consent) }) } },
  }, async (req) => {
    const { available, given } = await sharing.myConsents(req.actor);
    return { available, given: given.map(consentView) };
  });

  app.post('/api/v1/me/data-consents', {
    schema: { tags: ['data-sharing'], summary: 'Consent to one approved use of my data', body: Obj({ accessRequestId: Uuid }), response: { 201: Consent } },
  }, async (req, reply) => reply.status(201).send(consentView(await sharing.giveConsent(req.actor, req.body.accessRequestId))));

  app.post('/api/v1/me/data-consents/:id/revoke', {
    schema: { tags: ['data-sharing'], summary: 'Withdraw my consent; later queries get 403 CONSENT_REQUIRED', params: IdParams, body: Obj({ version: Version }), response: { 200: Consent } },
  }, async (req) => consentView(await sharing.revokeConsent(req.actor, req.params.id, req.body.version)));
}
