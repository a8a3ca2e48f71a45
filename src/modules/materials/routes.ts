/** HTTP for a person's (or company's) material library. */
import { requireActor } from '../../platform/access/policy.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { HttpServer } from '../../platform/http/server.js';
import { MATERIAL_TYPES, type MaterialType } from './material-types.js';
import type { MaterialsService } from './service.js';
import * as S from './schemas.js';

/** Base64 of the largest accepted file (10 MB) plus the JSON around it. */
const UPLOAD_BODY_LIMIT = 14 * 1_048_576;

export async function materialRoutes(app: HttpServer, { materials }: { materials: MaterialsService }) {
  app.get('/api/v1/materials/types', {
    config: { public: true },
    schema: { tags: ['materials'], summary: 'Kinds of material, with accepted file types and sizes', response: { 200: S.MaterialTypeList } },
  }, async () => ({
    items: Object.entries(MATERIAL_TYPES as Record<string, MaterialType>).map(([code, t]) => ({ code, name: t.name, kind: t.kind, mediaTypes: t.mediaTypes ?? [], maxBytes: t.maxBytes })),
  }));

  app.post('/api/v1/materials', {
    bodyLimit: UPLOAD_BODY_LIMIT,
    schema: { tags: ['materials'], summary: 'Add a material to my library (stored once by SM3; the same content twice is one entry)', body: S.UploadBody, response: { 201: S.MaterialView } },
  }, async (req, reply) => reply.status(201).send(await materials.upload(req.actor, req.body)));

  app.get('/api/v1/materials', {
    schema: { tags: ['materials'], summary: 'My material library, newest first', querystring: S.LibraryQuery, response: { 200: S.MaterialList } },
  }, async (req) => ({ items: await materials.library(requireActor(req.actor), req.query.forCompany, req.query.materialType) }));

  app.get('/api/v1/materials/licences', {
    schema: { tags: ['materials'], summary: 'My e-licences that can stand in for materials', querystring: S.LibraryQuery, response: { 200: S.LicenceList } },
  }, async (req) => {
    const actor = requireActor(req.actor);
    return { available: materials.licencesAvailable, items: await materials.licences(materials.holderOf(actor, req.query.forCompany)) };
  });

  app.get('/api/v1/materials/:id', {
    schema: { tags: ['materials'], summary: 'One material of my library', params: IdParams, response: { 200: S.MaterialView } },
  }, async (req) => materials.get(requireActor(req.actor), req.params.id));

  app.get('/api/v1/materials/:id/content', {
    schema: { tags: ['materials'], summary: 'The file of one material of my library', params: IdParams },
  }, async (req, reply) => {
    const { mediaType, content } = await materials.content(requireActor(req.actor), req.params.id);
    return reply.type(mediaType).header('cache-control', 'private, no-store').send(content);
  });
}
