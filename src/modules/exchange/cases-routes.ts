/** HTTP for 跨省通办 cases on this node (until the applications module takes them over). */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { IdParams, Nullable, Obj, RegionCode, Version } from '../../platform/http/schemas.js';
import type { CrossProvinceCases } from './cases-service.js';

const Mode = Type.Union([Type.Literal('全程网办'), Type.Literal('异地代收代办'), Type.Literal('多地联办')]);
const Part = Obj({
  node: Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' }), matterCode: Type.String({ minLength: 1, maxLength: 64 }),
  matterName: Type.String({ minLength: 1, maxLength: 200 }), matterRegion: RegionCode,
});
const Material = Obj({
  name: Type.String({ minLength: 1, maxLength: 200 }), mediaType: Type.String({ minLength: 1, maxLength: 100 }),
  contentBase64: Type.String({ minLength: 1, maxLength: 420_000, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
});
const SubmitBody = Obj({
  mode: Mode,
  parts: Type.Array(Part, { minItems: 1, maxItems: 10 }),
  applicantResidentId: Type.Optional(Type.String({ minLength: 15, maxLength: 18 })),
  applicantName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  form: Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100, description: 'form fields of the matter' }),
  materials: Type.Array(Material, { maxItems: 20 }),
});
const Event = Obj({ at: Type.String(), node: Type.String(), event: Type.String(), note: Type.Optional(Type.String()) });
const Result = Obj({
  decision: Type.String(), opinion: Type.String(), decidedAt: Type.String(), decidedBy: Type.String(),
  licence: Type.Optional(Obj({ id: Type.String(), name: Type.String() })),
});
const CaseView = Obj({
  id: Type.String(), direction: Type.String(), mode: Type.String(), peerNode: Type.String(), remoteCaseId: Nullable(Type.String()),
  matterCode: Type.String(), matterName: Type.String(), applicantName: Type.String(), applicantResidentId: Type.String(),
  status: Type.String(), result: Nullable(Result), timeline: Type.Array(Event), jointGroup: Nullable(Type.String()),
  version: Type.Integer(), createdAt: Type.String(), remoteStatusUnavailable: Type.Optional(Type.Boolean()),
});
const DecideBody = Obj({
  decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]), opinion: Type.String({ minLength: 1, maxLength: 1000 }),
  version: Version, licence: Type.Optional(Obj({ id: Type.String({ minLength: 1, maxLength: 200 }), name: Type.String({ minLength: 1, maxLength: 100 }) })),
});

export async function crossProvinceCaseRoutes(app: HttpServer, { cases }: { cases: CrossProvinceCases }) {
  app.post('/api/v1/exchange/cases', {
    schema: { tags: ['exchange'], summary: '跨省通办: apply online for, or forward from the counter, a matter owned by another node', body: SubmitBody, response: { 201: Obj({ items: Type.Array(CaseView) }) } },
  }, async (req, reply) => reply.status(201).send({ items: await cases.submit(req.actor, { ...req.body, form: req.body.form as Record<string, unknown> }) }));

  app.get('/api/v1/exchange/cases', {
    schema: { tags: ['exchange'], summary: 'My cross-node cases (applicants) or those of my region (officials)', response: { 200: Obj({ items: Type.Array(CaseView) }) } },
  }, async (req) => ({ items: await cases.list(req.actor) }));

  app.get('/api/v1/exchange/cases/:id', {
    schema: { tags: ['exchange'], summary: 'One case, with the owning node\'s live status merged in', params: IdParams, response: { 200: CaseView } },
  }, async (req) => cases.get(req.actor, req.params.id));

  app.post('/api/v1/exchange/cases/:id/decide', {
    schema: { tags: ['exchange'], summary: 'Owning node: decide a forwarded case; the result goes back to the applicant\'s node', params: IdParams, body: DecideBody, response: { 200: CaseView } },
  }, async (req) => cases.decide(req.actor, req.params.id, req.body));
}
