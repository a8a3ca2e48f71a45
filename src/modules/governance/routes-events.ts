/** HTTP for events: categories and their time limits, reporting, steps, escalation, duplicates, photos, overdue lists. */
import { decodeKeyset, encodeKeyset } from '../../platform/db/keyset.js';
import type { HttpServer } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { EventAction } from './lifecycle.js';
import type { GovernanceService } from './service.js';
import * as S from './schemas.js';
import { categoryView, eventView } from './views.js';

const BASE = '/api/v1/governance';
const tags = ['governance'];

export async function governanceEventRoutes(app: HttpServer, { governance }: { governance: GovernanceService }) {
  const { events, photos, dashboards } = governance;

  app.get(`${BASE}/categories`, {
    schema: { tags, summary: 'Event categories with their time limits', response: { 200: S.CategoryList } },
  }, async () => ({ items: (await events.categories()).map(categoryView) }));

  app.put(`${BASE}/categories/:code`, {
    schema: { tags, summary: "Change a category's time limits (administrators)", params: S.CategoryParams, body: S.CategoryUpdate, response: { 200: S.Category } },
  }, async (req) => categoryView(await events.updateCategory(req.actor, req.params.code, req.body)));

  app.post(`${BASE}/events`, {
    schema: { tags, summary: 'Report an event (resident, grid worker or hotline operator)', body: S.ReportBody, response: { 201: S.EventView } },
  }, async (req, reply) => reply.status(201).send(eventView(await events.report(req.actor, req.body))));

  app.get(`${BASE}/events`, {
    schema: { tags, summary: 'Events I may see, newest first; filter by region, status, category, overdue, warning', querystring: S.EventQuery, response: { 200: S.EventList } },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 50;
    const before = decodeKeyset(q.after);
    const rows = await events.list(req.actor, {
      region: q.region, statuses: q.status ? [q.status] : undefined, categories: q.category ? [q.category] : undefined,
      overdue: q.overdue, warning: q.warning, department: q.department, limit: limit + 1, before,
    });
    const page = rows.slice(0, limit);
    return { items: page.map((e) => eventView(e)), ...(rows.length > limit ? { nextCursor: encodeKeyset({ micros: page[page.length - 1]!.keyset_us!, id: page[page.length - 1]!.id }) } : {}) };
  });

  app.get(`${BASE}/events/:id`, {
    schema: { tags, summary: 'One event with every step and its photos, and the promised time', params: IdParams, response: { 200: S.EventView } },
  }, async (req) => {
    const e = await events.visibleEvent(req.actor, req.params.id);
    const [steps, list] = await Promise.all([events.steps(e.id), events.photos(e.id)]);
    return eventView(e, { steps, photos: list });
  });

  app.post(`${BASE}/events/:id/:action`, {
    schema: { tags, summary: 'Take a life-cycle step: accept, verify, file, dispatch, handle, check-pass, check-fail (rework), close, rate, reject, merge', params: S.StepParams, body: S.StepBody, response: { 200: S.EventView } },
  }, async (req) => {
    const action = req.params.action.replace('-', '_') as EventAction;
    return eventView(await events.act(req.actor, req.params.id, action, req.body));
  });

  app.post(`${BASE}/events/:id/escalate`, {
    schema: { tags, summary: 'Hand the event one level up the tree', params: IdParams, body: S.EscalateBody, response: { 200: S.EventView } },
  }, async (req) => eventView(await events.escalate(req.actor, req.params.id, req.body)));

  app.get(`${BASE}/events/:id/duplicates`, {
    schema: { tags, summary: 'Open events of the same category, nearby and recent: candidates to merge', params: IdParams, response: { 200: S.EventList } },
  }, async (req) => ({ items: (await events.duplicates(req.actor, req.params.id)).map((e) => eventView(e)) }));

  app.get(`${BASE}/overdue`, {
    schema: { tags, summary: 'Open, warning and overdue events per department or grid', querystring: S.OverdueQuery, response: { 200: S.OverdueGroups } },
  }, async (req) => dashboards.overdueGroups(req.actor, req.query));

  // Photos travel as raw image bytes; their type is read from the bytes, never trusted from the header.
  await app.register(async (scope) => {
    scope.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: photos.maxBytes }, (_req, body, done) => done(null, body));
    scope.post(`${BASE}/photos`, {
      bodyLimit: photos.maxBytes,
      schema: { tags, summary: 'Upload a photo (raw JPEG/PNG/WebP body) to attach to a report or step', response: { 201: S.PhotoCreated } },
    }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the photo as image/jpeg, image/png or image/webp');
      const p = await photos.upload(req.actor, req.body);
      return reply.status(201).send({ id: p.id, mime: p.mime, sizeBytes: p.size_bytes });
    });
  });

  app.get(`${BASE}/photos/:id`, {
    schema: { tags, summary: 'A photo of an event I may see', params: IdParams },
  }, async (req, reply) => {
    const p = await photos.content(req.actor, req.params.id);
    return reply.type(p.mime).header('cache-control', 'private, max-age=300').send(p.content);
  });
}
