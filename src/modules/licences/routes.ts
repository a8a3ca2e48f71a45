/** HTTP for e-licences, their status lists, presentations (亮证), loans (用证) and the trust list. */
import type { HttpServer } from '../../platform/http/server.js';
import { IdParams } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/errors.js';
import type { LicenceServices } from './index.js';
import type { StatusCode } from './repository.js';
import { parseIdentifier } from './identifier.js';
import type { Seal } from './seal.js';
import * as S from './schemas.js';

export async function licenceRoutes(app: HttpServer, { licences, trust, presentations, lending }: LicenceServices) {
  const tags = ['licences'];

  app.get('/api/v1/licences/types', {
    config: { public: true },
    schema: { tags, summary: 'Licence types and the JSON Schema of each one\'s fields', response: { 200: S.LicenceTypeList } },
  }, async () => ({ items: licences.types() }));

  app.post('/api/v1/licences', {
    schema: { tags, summary: 'Issue a sealed licence to a person or company (issuers)', body: S.IssueBody, response: { 201: S.SealedLicence } },
  }, async (req, reply) => reply.status(201).send(await licences.issue(req.actor, { ...req.body, fields: req.body.fields as Record<string, unknown> })));

  app.get('/api/v1/licences/:id', {
    schema: { tags, summary: 'A licence with its seal, status and history (holder, issuer, or an official it was lent to)', params: IdParams, response: { 200: S.LicenceDetail } },
  }, async (req) => licences.read(req.actor, req.params.id));

  app.get('/api/v1/me/licences', {
    schema: { tags, summary: 'My licence wallet (and my company\'s, for its agent)', querystring: S.WalletQuery, response: { 200: S.WalletList } },
  }, async (req) => ({ items: await licences.wallet(req.actor, req.query.type) }));

  app.post('/api/v1/licences/:id/status', {
    schema: { tags, summary: 'Change a licence\'s status (issuers); kept in its history', params: IdParams, body: S.StatusBody, response: { 200: S.StatusResult } },
  }, async (req) => licences.changeStatus(req.actor, req.params.id, { ...req.body, status: req.body.status as StatusCode }));

  app.post('/api/v1/licences/verify', {
    config: { public: true },
    schema: { tags, summary: 'Verify a sealed licence: seal, key, status and validity (public)', body: S.VerifyBody, response: { 200: S.VerifyResult } },
  }, async (req) => licences.verify(req.body.licence, req.body.seal as Seal));

  app.post('/api/v1/licences/identifiers/check', {
    config: { public: true },
    schema: { tags, summary: 'Parse and check a GB/T 36904 licence identifier', body: S.IdentifierCheckBody, response: { 200: S.IdentifierCheckResult } },
  }, async (req) => parseIdentifier(req.body.identifier));

  app.get('/api/v1/licences/status-lists/:uscc', {
    config: { public: true },
    schema: { tags, summary: 'The authority\'s signed, compressed status list (1 bit per licence, 1 = not valid)', params: S.StatusListParams, response: { 200: S.SignedStatusList } },
  }, async (req) => {
    const list = await licences.statusLists.get(trust.nodeId, req.params.uscc);
    if (!list) throw new AppError('NOT_FOUND', 'This node has no status list for that authority');
    return list;
  });

  // ── 亮证 ────────────────────────────────────────────────────────────────────────────────
  app.post('/api/v1/licences/:id/presentations', {
    schema: { tags, summary: 'Show a licence by QR code: a short-lived token disclosing only the chosen fields (holder)', params: IdParams, body: S.PresentationBody, response: { 201: S.PresentationCreated } },
  }, async (req, reply) => reply.status(201).send(await presentations.create(req.actor, req.params.id, req.body, `${req.protocol}://${req.host}`)));

  app.get('/api/v1/presentations/:token', {
    config: { public: true },
    schema: { tags, summary: 'What a scanned QR code shows, checked live and sealed by the node (no login)', params: S.TokenParams, response: { 200: S.PresentationView } },
  }, async (req) => presentations.view(req.params.token));

  // ── 用证 ────────────────────────────────────────────────────────────────────────────────
  app.post('/api/v1/licences/:id/loans', {
    schema: { tags, summary: 'Consent to one application using the licence; returns the sealed 加注件', params: IdParams, body: S.LoanBody, response: { 201: S.LoanResult } },
  }, async (req, reply) => reply.status(201).send(await lending.lendToApplication(req.actor, req.params.id, req.body)));

  app.get('/api/v1/me/licence-loans', {
    schema: { tags, summary: 'Consents I gave to use my licences', response: { 200: S.LoanList } },
  }, async (req) => ({ items: await lending.myLoans(req.actor) }));

  app.get('/api/v1/licence-loans/:id', {
    schema: { tags, summary: 'A 加注件 (holder, or an official of the recipient while the consent lasts)', params: IdParams, response: { 200: S.LoanResult } },
  }, async (req) => lending.annotatedCopy(req.actor, req.params.id));

  app.post('/api/v1/licence-loans/:id/withdraw', {
    schema: { tags, summary: 'Withdraw a consent: the recipient loses access at once (holder)', params: IdParams, body: S.WithdrawBody, response: { 200: S.LoanResult.properties.loan } },
  }, async (req) => lending.withdraw(req.actor, req.params.id, req.body.version));

  // ── Keys and the trust list ─────────────────────────────────────────────────────────────
  const trustTags = ['trust'];
  app.get('/api/v1/trust/keys', {
    config: { public: true },
    schema: { tags: trustTags, summary: 'This node\'s sealing keys (SM2 SubjectPublicKeyInfo PEM)', response: { 200: S.KeyList } },
  }, async () => ({ keys: await trust.publishedKeys() }));

  app.post('/api/v1/trust/keys/rotate', {
    schema: { tags: trustTags, summary: 'New active sealing key; the old one is retired and still verifies (administrators)', body: S.RotateBody, response: { 201: S.KeyList.properties.keys.items } },
  }, async (req, reply) => reply.status(201).send(await trust.rotate(req.actor, req.body.reason)));

  app.post('/api/v1/trust/keys/:keyId/revoke', {
    schema: { tags: trustTags, summary: 'Revoke a compromised key: seals made from revokedAt on fail (administrators)', params: S.KeyIdParams, body: S.RevokeKeyBody, response: { 200: S.KeyList.properties.keys.items } },
  }, async (req) => trust.revoke(req.actor, req.params.keyId, req.body.revokedAt ? new Date(req.body.revokedAt) : new Date(), req.body.reason));

  app.get('/api/v1/trust/list', {
    config: { public: true },
    schema: { tags: trustTags, summary: 'Other nodes\' keys this node recognises (互通互认)', response: { 200: S.TrustList } },
  }, async () => ({ keys: await trust.trustList() }));

  app.post('/api/v1/trust/nodes', {
    schema: { tags: trustTags, summary: 'Trust another node\'s keys, given or fetched from its /api/v1/trust/keys, pinned by fingerprint (administrators)', body: S.TrustImportBody, response: { 200: S.TrustImportResult } },
  }, async (req) => trust.importNode(req.actor, req.body));

  app.post('/api/v1/trust/nodes/:nodeId/remove', {
    schema: { tags: trustTags, summary: 'Stop trusting a node (administrators)', params: S.NodeIdParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await trust.removeNode(req.actor, req.params.nodeId);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/trust/status-lists', {
    schema: { tags: trustTags, summary: 'Import a trusted node\'s signed status list for offline revocation checks (administrators)', body: S.StatusListImportBody, response: { 200: S.StatusListImportResult } },
  }, async (req) => licences.statusLists.importList(req.actor, req.body));
}
