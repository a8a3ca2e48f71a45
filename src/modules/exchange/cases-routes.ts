/** HTTP for the 跨省通办 cases this node forwards (each one is decided as an application at its owning node). */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { IdParams, Nullable, Obj, RegionCode } from '../../platform/http/schemas.js';
import type { CrossProvinceCases } from './cases-service.js';

const Mode = Type.Union([Type.Literal('全程网办'), Type.Literal('异地代收代办'), Type.Literal('多地联办')]);
const Part = Obj({
  node: Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' }), matterCode: Type.String({ minLength: 1, maxLength: 64 }),
  matterName: Type.String({ minLength: 1, maxLength: 200 }), matterRegion: RegionCode,
});
const Material = Obj({
  key: Type.String({ minLength: 1, maxLength: 64, description: 'the requirement of the owning node\'s matter this material meets' }),
  name: Type.String({ minLength: 1, maxLength: 200 }), mediaType: Type.String({ minLength: 1, maxLength: 100 }),
  contentBase64: Type.String({ minLength: 1, maxLength: 420_000, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
});
const SubmitBody = Obj({
  mode: Mode,
  parts: Type.Array(Part, { minItems: 1, maxItems: 10 }),
  applicantResidentId: Type.Optional(Type.String({ minLength: 15, maxLength: 18 })),
  applicantName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  form: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 2000 }), { maxProperties: 100, description: 'form fields of the owning node\'s matter' }),
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
export async function crossProvinceCaseRoutes(app: HttpServer, { cases }: { cases: CrossProvinceCases }) {
  app.post('/api/v1/exchange/cases', {
    schema: { tags: ['exchange'], summary: '跨省通办: apply online for, or forward from the counter, a matter owned by another node', body: SubmitBody, response: { 201: Obj({ items: Type.Array(CaseView) }) } },
  }, async (req, reply) => reply.status(201).send({ items: await cases.submit(req.actor, req.body) }));

  app.get('/api/v1/exchange/cases', {
    schema: { tags: ['exchange'], summary: 'My cross-node cases (applicants) or those of my region (officials)', response: { 200: Obj({ items: Type.Array(CaseView) }) } },
  }, async (req) => ({ items: await cases.list(req.actor) }));

  app.get('/api/v1/exchange/cases/:id', {
    schema: { tags: ['exchange'], summary: 'One case, with the owning node\'s live status merged in', params: IdParams, response: { 200: CaseView } },
  }, async (req) => cases.get(req.actor, req.params.id));
}
