/** HTTP for the catalogue: public reading and search, officials' maintenance with versions. */
import type { HttpServer } from '../../platform/http/server.js';
import type { CatalogService } from './service.js';
import { summary } from './service.js';
import * as S from './schemas.js';

export async function catalogRoutes(app: HttpServer, { catalog }: { catalog: CatalogService }) {
  app.get('/api/v1/catalog/search', {
    config: { public: true },
    schema: { tags: ['catalog'], summary: '智能导办: find matters in everyday words, pinyin or initials; the region\'s matters first', querystring: S.SearchQuery, response: { 200: S.SearchResult } },
  }, async (req) => ({
    items: (await catalog.search(req.query.q, req.query.region, req.query.limit ?? 10)).map((h) => ({
      code: h.code, name: h.name, score: h.score, kind: h.kind, regionCode: h.regionCode, department: h.department, category: h.category, inRegion: h.inRegion,
    })),
  }));

  app.get('/api/v1/catalog/matters', {
    config: { public: true },
    schema: { tags: ['catalog'], summary: 'Matters serving a region (its own and the levels above)', querystring: S.MatterListQuery, response: { 200: S.MatterList } },
  }, async (req) => ({ items: await catalog.listMatters(req.query) }));

  app.get('/api/v1/catalog/matters/:code', {
    config: { public: true },
    schema: { tags: ['catalog'], summary: 'A matter\'s current definition, or an earlier version', params: S.MatterParams, querystring: S.VersionQuery, response: { 200: S.MatterDefinition } },
  }, async (req) => catalog.getMatter(req.params.code, req.query.version));

  app.get('/api/v1/catalog/matters/:code/versions', {
    config: { public: true },
    schema: { tags: ['catalog'], summary: 'Every version of a matter, newest first', params: S.MatterParams, response: { 200: S.VersionList } },
  }, async (req) => ({ items: await catalog.versions(req.params.code) }));

  app.post('/api/v1/catalog/matters', {
    schema: { tags: ['catalog'], summary: 'Add a matter to your region\'s catalogue', body: S.CreateMatterBody, response: { 201: S.MatterDefinition } },
  }, async (req, reply) => {
    const { code, ...body } = req.body;
    return reply.status(201).send(await catalog.createMatter(req.actor, code, body));
  });

  app.put('/api/v1/catalog/matters/:code', {
    schema: { tags: ['catalog'], summary: 'Publish a new version of a matter (filed applications keep theirs)', params: S.MatterParams, body: S.UpdateMatterBody, response: { 200: S.MatterDefinition } },
  }, async (req) => catalog.updateMatter(req.actor, req.params.code, req.body.version, req.body.changeNote, req.body.matter));

  app.post('/api/v1/catalog/matters/:code/retire', {
    schema: { tags: ['catalog'], summary: 'Withdraw a matter: gone from search, list and new applications; filed ones keep their version', params: S.MatterParams, body: S.RetireMatterBody, response: { 200: S.RetiredMatter } },
  }, async (req) => catalog.retireMatter(req.actor, req.params.code, req.body.version, req.body.reason));

  app.get('/api/v1/catalog/bundles', {
    config: { public: true },
    schema: { tags: ['catalog'], summary: '一件事: life events bundling several matters', response: { 200: S.BundleList } },
  }, async () => ({ items: await catalog.listBundles() }));

  app.get('/api/v1/catalog/bundles/:code', {
    config: { public: true },
    schema: { tags: ['catalog'], summary: 'One 一件事 with its matters', params: S.BundleParams, response: { 200: S.Bundle } },
  }, async (req) => {
    const b = await catalog.getBundle(req.params.code);
    return { ...b, matters: b.matters.map(summary) };
  });
}
