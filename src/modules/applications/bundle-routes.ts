/** HTTP for 一件事: one form and one submission for a life event, followed as one bundle. */
import { IdParams } from '../../platform/http/schemas.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { BundleApplicationsService } from './bundles.js';
import * as S from './schemas.js';

export async function bundleRoutes(app: HttpServer, { bundles }: { bundles: BundleApplicationsService }) {
  app.get('/api/v1/bundles/:code/prepare', {
    schema: { tags: ['一件事'], summary: 'The merged form (shared fields once), prefill and reusable materials of a 一件事', params: S.BundleCodeParams, querystring: S.BundlePrepareQuery, response: { 200: S.BundlePrepareResult } },
  }, async (req) => bundles.prepare(req.actor, req.params.code, req.query));

  app.post('/api/v1/bundles/:code/applications', {
    schema: {
      tags: ['一件事'], summary: 'Submit a 一件事 once: it fans out to each department\'s matter',
      params: S.BundleCodeParams, headers: S.IdempotencyHeaders, body: S.BundleSubmitBody, response: { 200: S.BundleSubmitResult, 201: S.BundleSubmitResult },
    },
  }, async (req, reply) => {
    const result = await bundles.submit(req.actor, req.params.code, req.body, req.headers['idempotency-key']);
    return reply.status(result.replayed ? 200 : 201).send(result);
  });

  app.get('/api/v1/application-bundles/:id', {
    schema: { tags: ['一件事'], summary: 'Track my 一件事 and each of its applications', params: IdParams, response: { 200: S.BundleApplications } },
  }, async (req) => bundles.get(req.actor, req.params.id));
}
