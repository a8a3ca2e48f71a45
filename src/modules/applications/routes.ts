/** HTTP for applications: prepare, submit (idempotent), follow, correct, withdraw, decide, rate. */
import { decodeKeyset, encodeKeyset, type Keyset } from '../../platform/db/keyset.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { ApplicationsService } from './service.js';
import type { RatingsService } from './ratings.js';
import * as S from './schemas.js';

/** A page of a keyset list: the items without their keysets, and the next page's cursor. */
function page<T extends { keyset: Keyset }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(({ keyset: _keyset, ...item }) => item), ...(rows.length > limit && last ? { nextCursor: encodeKeyset(last.keyset) } : {}) };
}

export async function applicationRoutes(app: HttpServer, { applications, ratings }: { applications: ApplicationsService; ratings: RatingsService }) {
  app.get('/api/v1/applications/prepare', {
    schema: { tags: ['applications'], summary: 'Before applying: the matter, fields prefilled from my verified identity (not stored), and what I can reuse', querystring: S.PrepareQuery, response: { 200: S.PrepareResult } },
  }, async (req) => applications.prepare(req.actor, req.query.matterCode, req.query));

  app.post('/api/v1/applications', {
    schema: {
      tags: ['applications'], summary: 'Apply (or save a draft); a retry with the same Idempotency-Key returns the same application',
      headers: S.IdempotencyHeaders, body: S.SubmitBody, response: { 200: S.SubmitResult, 201: S.SubmitResult },
    },
  }, async (req, reply) => {
    const result = await applications.submit(req.actor, req.body, req.headers['idempotency-key']);
    return reply.status(result.replayed ? 200 : 201).send(result);
  });

  app.get('/api/v1/applications', {
    schema: { tags: ['applications'], summary: 'My applications (or my company\'s), newest first', querystring: S.MineQuery, response: { 200: S.MineList } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const filter = { forCompany: req.query.forCompany ?? false, filedForOthers: req.query.filed === 'for-others' };
    return page(await applications.mine(req.actor, filter, limit + 1, decodeKeyset(req.query.after)), limit);
  });

  app.get('/api/v1/applications/queue', {
    schema: { tags: ['applications'], summary: 'Officials: applications of my region and department, oldest first; overdue or near-due on request', querystring: S.QueueQuery, response: { 200: S.QueueList } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const rows = await applications.queue(req.actor, { status: req.query.status, due: req.query.due, limit: limit + 1, after: decodeKeyset(req.query.after) });
    return page(rows, limit);
  });

  app.get('/api/v1/applications/:id', {
    schema: { tags: ['applications'], summary: 'One application with its timeline, deadline and rating', params: IdParams, response: { 200: S.ApplicationDetail } },
  }, async (req) => applications.get(req.actor, req.params.id));

  app.get('/api/v1/applications/:id/materials/:key/content', {
    schema: { tags: ['applications'], summary: 'The file of one material of an application (applicant, or the reviewing official: logged for the person)', params: S.MaterialKeyParams },
  }, async (req, reply) => {
    const { mediaType, content } = await applications.materialContent(req.actor, req.params.id, req.params.key);
    return reply.type(mediaType).header('cache-control', 'private, no-store').send(content);
  });

  app.post('/api/v1/applications/:id/submit', {
    schema: { tags: ['applications'], summary: 'Submit a draft, optionally with changed fields or materials', params: IdParams, body: S.ChangeBody, response: { 200: S.ApplicationDetail } },
  }, async (req) => applications.submitDraft(req.actor, req.params.id, req.body.version, req.body));

  app.post('/api/v1/applications/:id/correct', {
    schema: { tags: ['applications'], summary: 'Answer a correction request (补正); the deadline clock restarts', params: IdParams, body: S.ChangeBody, response: { 200: S.ApplicationDetail } },
  }, async (req) => applications.correct(req.actor, req.params.id, req.body.version, req.body));

  app.post('/api/v1/applications/:id/withdraw', {
    schema: { tags: ['applications'], summary: 'Withdraw my application while it is not decided', params: IdParams, body: S.WithdrawBody, response: { 200: S.ApplicationDetail } },
  }, async (req) => applications.withdraw(req.actor, req.params.id, req.body.version, req.body.reason));

  app.post('/api/v1/applications/:id/actions', {
    schema: { tags: ['applications'], summary: 'Officials: accept, not accept, request correction, approve, refuse, deliver the result', params: IdParams, body: S.ActionBody, response: { 200: S.ApplicationDetail } },
  }, async (req) => applications.act(req.actor, req.params.id, req.body));

  app.post('/api/v1/applications/:id/rating', {
    schema: { tags: ['好差评'], summary: 'Rate a handled application 1–5; 1–2 opens a rectification task', params: IdParams, body: S.RatingBody, response: { 201: S.ApplicationDetail } },
  }, async (req, reply) => reply.status(201).send(await ratings.rate(req.actor, req.params.id, req.body.score, req.body.comment)));

  app.get('/api/v1/rectifications', {
    schema: { tags: ['好差评'], summary: 'Officials: rectification tasks from poor ratings, soonest due first', querystring: S.TaskQuery, response: { 200: S.TaskList } },
  }, async (req) => ({ items: await ratings.tasks(req.actor, req.query.status, req.query.limit ?? 50) }));

  app.post('/api/v1/rectifications/:id/reply', {
    schema: { tags: ['好差评'], summary: 'Officials: answer a poor rating with what was rectified', params: IdParams, body: S.ReplyBody, response: { 200: S.TaskView } },
  }, async (req) => ratings.reply(req.actor, req.params.id, req.body.version, req.body.reply));

  app.get('/api/v1/ratings/stats', {
    config: { public: true },
    schema: { tags: ['好差评'], summary: 'Satisfaction per department (public)', querystring: S.StatsQuery, response: { 200: S.StatsResult } },
  }, async (req) => ({ items: await ratings.stats(req.query.region) }));

}
