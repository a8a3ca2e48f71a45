/** HTTP for the audit trail (auditors) and each person's own data-access log. */
import { Type } from 'typebox';
import { decodeKeyset, encodeKeyset } from '../../platform/db/keyset.js';
import type { HttpServer } from '../../platform/http/server.js';
import { requireActor, requirePermission } from '../../platform/access/policy.js';
import { AppError } from '../../platform/errors.js';
import { Nullable, Obj, Page, PageQuery } from '../../platform/http/schemas.js';
import type { AuditService } from './service.js';
import { DataAccessPage } from './schemas.js';

// seq and hash are the entry's place in the chain: null for the moment between writing and chaining.
const AuditItem = Obj({
  seq: Nullable(Type.Integer()), at: Type.String(), node: Type.String(), actor: Type.String(), action: Type.String(),
  entityType: Type.String(), entityId: Type.String(), detail: Type.Object({}, { additionalProperties: true }), hash: Nullable(Type.String()),
});
const AuditQuery = Obj({ ...PageQuery, entityType: Type.Optional(Type.String({ maxLength: 64 })), entityId: Type.Optional(Type.String({ maxLength: 128 })) });
const VerifyResult = Obj({
  ok: Type.Boolean(), entries: Type.Integer(), signedHeads: Type.Integer(),
  firstBroken: Type.Optional(Obj({ seq: Type.Integer(), reason: Type.String() })),
});

export async function auditRoutes(app: HttpServer, { audit }: { audit: AuditService }) {
  app.get('/api/v1/me/data-access-log', {
    schema: { tags: ['audit'], summary: 'Who read my data, when, why, from which node', querystring: Obj(PageQuery), response: { 200: DataAccessPage } },
  }, async (req) => {
    const actor = requireActor(req.actor);
    if (!actor.personId) return { items: [] };
    const limit = req.query.limit ?? 50;
    const rows = await audit.listDataAccess(actor.personId, limit + 1, decodeKeyset(req.query.after));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id, accessedAt: r.accessed_at.toISOString(), actor: r.actor_label, department: r.actor_department,
        node: r.actor_node, purpose: r.purpose, fields: r.fields,
      })),
      ...(rows.length > limit && last ? { nextCursor: encodeKeyset({ micros: last.keyset_us, id: last.id }) } : {}),
    };
  });

  app.get('/api/v1/audit', {
    schema: { tags: ['audit'], summary: 'Audit entries, newest first (auditors)', querystring: AuditQuery, response: { 200: Page(AuditItem) } },
  }, async (req) => {
    requirePermission(req.actor, 'audit:read');
    const limit = req.query.limit ?? 50;
    // The cursor is the entry id (arrival order): a pending entry has no chain position yet.
    const beforeId = req.query.after ? Number(req.query.after) : undefined;
    if (beforeId !== undefined && !Number.isInteger(beforeId)) throw new AppError('VALIDATION_FAILED', 'The cursor is not valid');
    const rows = await audit.list({ entityType: req.query.entityType, entityId: req.query.entityId, beforeId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        seq: r.seq, at: r.at.toISOString(), node: r.node_id, actor: r.actor, action: r.action,
        entityType: r.entity_type, entityId: r.entity_id, detail: r.detail as Record<string, unknown>, hash: r.hash,
      })),
      ...(rows.length > limit ? { nextCursor: String(page[page.length - 1]!.id) } : {}),
    };
  });

  app.get('/api/v1/audit/verify', {
    schema: { tags: ['audit'], summary: 'Recompute the audit chain and check the signed heads', response: { 200: VerifyResult } },
  }, async (req) => {
    requirePermission(req.actor, 'audit:read');
    return audit.verify();
  });
}
