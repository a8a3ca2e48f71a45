/**
 * The public face of supervision (no sign-in): revealed 双随机 draws and their server-side
 * verification, published inspection results, the lists and penalties in 公示, the item
 * catalogue, and the platform data intake authenticated by the platform's own API key.
 */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { SupervisionService } from './service.js';
import * as S from './schemas.js';
import { attachment } from './evidence.js';

const tags = ['supervision (public)'];
const open = { public: true };

export async function supervisionPublicRoutes(app: HttpServer, { supervision: sv }: { supervision: SupervisionService }) {
  app.get('/api/v1/supervision/draws', {
    config: open, schema: { tags, summary: 'Revealed 双随机 draws, newest first', querystring: S.DrawListQuery, response: { 200: S.Items(S.DrawSummary) } },
  }, async (req) => ({ items: await sv.draws.listPublic(req.query.limit ?? 100, req.query.before) }));

  app.get('/api/v1/supervision/draws/:id', {
    config: open, schema: { tags, summary: 'A revealed draw: everything needed to recompute it', params: IdParams, response: { 200: S.PublicDraw } },
  }, async (req) => sv.draws.getPublic(req.params.id));

  app.get('/api/v1/supervision/draws/:id/verify', {
    config: open, schema: { tags, summary: 'Recompute a revealed draw on the server and compare', params: IdParams, response: { 200: S.DrawVerify } },
  }, async (req) => sv.draws.verify(req.params.id));

  app.get('/api/v1/supervision/results', {
    config: open, schema: { tags, summary: 'Published inspection results (late publications marked)', querystring: S.ResultQuery, response: { 200: S.Items(S.PublicResult) } },
  }, async (req) => ({ items: await sv.inspections.publicResults({ entityId: req.query.entityId, limit: req.query.limit ?? 100 }) }));

  // Evidence: public for non-personal files of published results; a signed-in inspector or
  // supervisor of the inspection sees the rest (the token, when sent, is honoured here too).
  app.get('/api/v1/supervision/inspections/:id/evidence', {
    config: open, schema: { tags, summary: 'Evidence of an inspection that the caller may download', params: IdParams, response: { 200: S.Items(S.EvidenceItem) } },
  }, async (req) => ({ items: await sv.evidence.list(req.actor, req.params.id) }));

  app.get('/api/v1/supervision/evidence/:id', {
    config: open,
    schema: { tags, summary: 'Download one piece of evidence (its SM3 in x-content-sm3, checked before sending)', params: IdParams },
  }, async (req, reply) => {
    const file = await sv.evidence.download(req.actor, req.params.id);
    return reply.type(file.mediaType).header('content-disposition', attachment(file.name)).header('x-content-sm3', file.sm3)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store').send(file.content);
  });

  app.get('/api/v1/supervision/lists', {
    config: open, schema: { tags, summary: 'Entities on 经营异常名录 / 严重违法失信名单 now', querystring: S.ListQuery, response: { 200: S.Items(S.ListEntry) } },
  }, async (req) => ({ items: await sv.lists.publicEntries({ list: req.query.list, limit: req.query.limit ?? 100 }) }));

  app.get('/api/v1/supervision/penalties', {
    config: open, schema: { tags, summary: 'Administrative penalties still in publication', querystring: S.ResultQuery, response: { 200: S.Items(S.PublicPenalty) } },
  }, async (req) => ({ items: await sv.repair.publicPenalties(req.query.entityId, req.query.limit ?? 100) }));

  app.get('/api/v1/supervision/items', {
    config: open, schema: { tags, summary: '监管事项目录', querystring: S.ItemQuery, response: { 200: S.Items(S.Item) } },
  }, async (req) => ({ items: await sv.catalogue.list(req.query) }));

  app.post('/api/v1/supervision/platform-reports', {
    config: open,
    schema: {
      tags, summary: 'A platform reports listings, complaints and sales of the shops it hosts (x-api-key)',
      headers: Type.Object({ 'x-api-key': Type.Optional(Type.String({ maxLength: 200 })) }), body: S.PlatformBatch, response: { 201: S.BatchAccepted },
    },
  }, async (req, reply) => reply.status(201).send(await sv.entities.report(req.headers['x-api-key'], req.body)));
}
