/**
 * HTTP of the exchange: the node-to-node protocol under /exchange/v1 (signed envelopes in and
 * out, every answer signed, even refusals of bodies that never parsed) and the administrators'
 * API under /api/v1/exchange (peers, key rotation, outbox and refusals).
 */
import type { FastifyError } from 'fastify';
import type { HttpServer } from '../../platform/http/server.js';
import { requirePermission } from '../../platform/access/policy.js';
import { toErrorBody } from '../../platform/http/error-handler.js';
import type { ErrorCode } from '../../platform/errors.js';
import type { PeerKeyRow, PeerRow } from './repository.js';
import type { ExchangeService } from './service.js';
import * as S from './schemas.js';
import { crossProvinceCaseRoutes } from './cases-routes.js';
import { dataSharingRoutes } from './data-sharing-routes.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function exchangeProtocolRoutes(app: HttpServer, { exchange }: { exchange: ExchangeService }) {
  // Own error handler for this plugin: a body too large, not JSON or of the wrong type still
  // gets a signed error envelope, so a peer can always tell a refusal from a broken network.
  app.setErrorHandler(async (err: FastifyError, _req, reply) => {
    const { body } = toErrorBody(err);
    if (!['PAYLOAD_TOO_LARGE', 'VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE'].includes(body.error.code)) throw err;
    const result = await exchange.inbound.refuseUnparsed(body.error.code as ErrorCode, body.error.message, `(${err.code ?? 'unparsed body'})`);
    return reply.status(result.httpStatus).type('application/json').send(JSON.stringify(result.envelope));
  });

  app.get('/exchange/v1/node', {
    config: { public: true },
    schema: { hide: true },
  }, async (_req, reply) => reply.type('application/json').send(JSON.stringify(await exchange.trust.describe())));

  app.post('/exchange/v1/messages', {
    // Peers deliver in bursts (an outbox catching up), so the per-address allowance is high; it
    // still stops an unauthenticated flood from filling the audit chain with refusals.
    config: { public: true, rateLimitPerMinute: 60_000 },
    bodyLimit: exchange.settings.maxEnvelopeBytes,
    schema: { hide: true },
  }, async (req, reply) => {
    const result = await exchange.inbound.receive(req.body);
    return reply.status(result.httpStatus).type('application/json').send(JSON.stringify(result.envelope));
  });

  // Batch envelopes (docs/exchange.md §2.1): many messages under one signature. A node that
  // does not accept them answers 404 here, as a node that predates them does.
  app.post('/exchange/v1/batches', {
    config: { public: true, rateLimitPerMinute: 60_000 },
    bodyLimit: exchange.settings.maxBatchBytes,
    schema: { hide: true },
  }, async (req, reply) => {
    if (!exchange.settings.acceptBatches) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Route POST:/exchange/v1/batches not found' } });
    const result = await exchange.batches.receive(req.body);
    return reply.status(result.httpStatus).type('application/json').send(JSON.stringify(result.body));
  });
}

function peerView(p: PeerRow, keys: PeerKeyRow[]) {
  return {
    nodeId: p.node_id, name: p.name, baseUrl: p.base_url, pinnedFingerprint: p.pinned_fingerprint, allowedServices: p.allowed_services,
    status: p.status, addedAt: p.added_at.toISOString(), version: p.version,
    keys: keys.map((k) => ({ keyId: k.key_id, fingerprint: k.fingerprint, endorsedBy: k.endorsed_by, supersededAt: iso(k.superseded_at), revokedAt: iso(k.revoked_at), learnedAt: k.learned_at.toISOString() })),
  };
}

export async function exchangeAdminRoutes(app: HttpServer, { exchange }: { exchange: ExchangeService }) {
  await app.register(crossProvinceCaseRoutes, { cases: exchange.cases });
  await app.register(dataSharingRoutes, { sharing: exchange.sharing });
  const withKeys = async (p: PeerRow) => peerView(p, await exchange.trust.peerKeys(p.node_id));

  app.get('/api/v1/exchange/peers', {
    schema: { tags: ['exchange'], summary: 'Trusted peer nodes, their keys and access rights', response: { 200: S.PeerList } },
  }, async (req) => {
    requirePermission(req.actor, 'platform:admin');
    return { items: await Promise.all((await exchange.trust.peers()).map(withKeys)) };
  });

  app.post('/api/v1/exchange/peers', {
    schema: { tags: ['exchange'], summary: "Trust a peer node: its URL and the pinned fingerprint of its node key", body: S.AddPeerBody, response: { 201: S.PeerView } },
  }, async (req, reply) => {
    const actor = requirePermission(req.actor, 'platform:admin');
    return reply.status(201).send(await withKeys(await exchange.trust.addPeer(actor.userId, req.body)));
  });

  app.patch('/api/v1/exchange/peers/:nodeId', {
    schema: { tags: ['exchange'], summary: "Change a peer's access rights, status or URL", params: S.NodeIdParam, body: S.UpdatePeerBody, response: { 200: S.PeerView } },
  }, async (req) => {
    const actor = requirePermission(req.actor, 'platform:admin');
    const { version, ...patch } = req.body;
    return withKeys(await exchange.trust.updatePeer(actor.userId, req.params.nodeId, version, patch));
  });

  app.post('/api/v1/exchange/peers/:nodeId/ping', {
    schema: { tags: ['exchange'], summary: 'Send a signed ping to a peer and verify its signed answer', params: S.NodeIdParam, response: { 200: S.PingResult } },
  }, async (req) => {
    requirePermission(req.actor, 'platform:admin');
    const { response } = await exchange.ask(req.params.nodeId, 'ping', { at: new Date().toISOString() });
    return { node: req.params.nodeId, ok: true, responseId: response.id };
  });

  app.post('/api/v1/exchange/node-key/rotate', {
    schema: { tags: ['exchange'], summary: "Rotate this node's exchange key (the old one endorses the new one)", response: { 200: S.RotateResult } },
  }, async (req) => {
    const actor = requirePermission(req.actor, 'platform:admin');
    return exchange.trust.rotateOwnKey(actor.userId);
  });

  app.get('/api/v1/exchange/outbox', {
    schema: { tags: ['exchange'], summary: 'Outbox messages by status', response: { 200: S.OutboxStatus } },
  }, async (req) => {
    requirePermission(req.actor, 'platform:admin');
    const counts = await exchange.outbox.counts();
    return { pending: counts.pending ?? 0, delivered: counts.delivered ?? 0, failed: counts.failed ?? 0 };
  });

  app.get('/api/v1/exchange/refusals', {
    schema: { tags: ['exchange'], summary: 'Inbound messages this node refused, newest first', response: { 200: S.RefusalList } },
  }, async (req) => {
    requirePermission(req.actor, 'platform:admin');
    const rows = await exchange.trust.refusals(100);
    return { items: rows.map((r) => ({ sender: r.claimed_sender, messageId: r.message_id, service: r.service, code: r.code, refusedAt: r.refused_at.toISOString() })) };
  });
}
