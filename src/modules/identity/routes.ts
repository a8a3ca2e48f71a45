/** HTTP for identity: checks, sign-in, the person's own profile, official reads, 代办 grants, regions. */
import type { HttpServer } from '../../platform/http/server.js';
import { requireActor, requirePermission } from '../../platform/access/policy.js';
import { AppError } from '../../platform/errors.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { IdentityService } from './service.js';
import { checkResidentId } from './resident-id.js';
import { checkUscc } from './uscc.js';
import { childRegions, findRegion, topRegions } from './regions.js';
import * as S from './schemas.js';

export interface IdentityRouteDeps { identity: IdentityService; loginRateLimitPerMinute: number }

export async function identityRoutes(app: HttpServer, { identity, loginRateLimitPerMinute }: IdentityRouteDeps) {
  app.post('/api/v1/identity/check', {
    config: { public: true },
    schema: { tags: ['identity'], summary: 'Check a resident ID (GB 11643) or USCC (GB 32100)', body: S.IdentityCheckBody, response: { 200: S.IdentityCheckResult } },
  }, async (req) => {
    const result = req.body.kind === 'resident-id' ? checkResidentId(req.body.value) : checkUscc(req.body.value);
    return { valid: result.valid, errors: result.errors, ...(result.info ? { info: { ...result.info } } : {}) };
  });

  app.post('/api/v1/auth/login', {
    config: { public: true, rateLimitPerMinute: loginRateLimitPerMinute },
    schema: { tags: ['auth'], summary: 'Sign in with username and password', body: S.LoginBody, response: { 200: S.LoginResult } },
  }, async (req) => identity.login(req.body.username, req.body.password, req.ip));

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: 'End this token at once', response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await identity.logout(req.bearerToken!, requireActor(req.actor));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/auth/register', {
    config: { public: true, rateLimitPerMinute: loginRateLimitPerMinute },
    schema: { tags: ['auth'], summary: 'Register as a resident (assurance L1 until verified)', body: S.RegisterBody, response: { 201: S.MeResult } },
  }, async (req, reply) => {
    const { user, person } = await identity.registerCitizen(req.body);
    return reply.status(201).send({
      user: { id: user.id, username: user.username, roles: user.roles, displayName: user.display_name, regionCode: null, department: null },
      person, company: null,
    });
  });

  app.get('/api/v1/me', {
    schema: { tags: ['identity'], summary: 'My account and identity (unmasked)', response: { 200: S.MeResult } },
  }, async (req) => identity.me(requireActor(req.actor)));

  app.put('/api/v1/me/phone', {
    schema: { tags: ['identity'], summary: 'Change my phone number', body: S.PhoneUpdateBody, response: { 200: S.PersonView } },
  }, async (req) => identity.updateMyPhone(requireActor(req.actor), req.body.phone, req.body.version));

  app.get('/api/v1/persons/:id', {
    schema: { tags: ['identity'], summary: "Read a person's record (officials state a purpose; it is logged for the person)", params: IdParams, querystring: S.PurposeQuery, response: { 200: S.PersonView } },
  }, async (req) => identity.readPerson(req.actor, req.params.id, req.query.purpose));

  app.post('/api/v1/persons/search', {
    schema: { tags: ['identity'], summary: 'Find a person by resident ID (the ID travels in the body, not the URL)', body: S.PersonSearchBody, response: { 200: S.PersonView } },
  }, async (req) => identity.findPersonByResidentId(req.actor, req.body.residentId, req.body.purpose));

  app.post('/api/v1/persons/:id/verify', {
    schema: { tags: ['identity'], summary: 'Confirm a real-name identity at the counter (assurance L2)', params: IdParams, body: S.VerifyBody, response: { 200: S.PersonView } },
  }, async (req) => identity.verifyRealName(req.actor, req.params.id, req.body.version, req.body.method));

  app.get('/api/v1/me/agent-grants', {
    schema: { tags: ['identity'], summary: '代办 authorisations I gave and received', response: { 200: S.GrantList } },
  }, async (req) => identity.grants.myGrants(requireActor(req.actor)));

  app.post('/api/v1/me/agent-grants', {
    schema: { tags: ['identity'], summary: 'Let a relative (or, at a counter, record that a person lets someone) act for a person', body: S.GrantBody, response: { 201: S.GrantView } },
  }, async (req, reply) => reply.status(201).send(await identity.grants.createGrant(req.actor, req.body)));

  app.post('/api/v1/me/agent-grants/:id/revoke', {
    schema: { tags: ['identity'], summary: 'Revoke an authorisation I gave', params: IdParams, body: S.RevokeBody, response: { 200: S.GrantView } },
  }, async (req) => identity.grants.revokeGrant(requireActor(req.actor), req.params.id, req.body.version));

  app.get('/api/v1/regions', {
    config: { public: true },
    schema: { tags: ['regions'], summary: 'Provinces', response: { 200: S.RegionList } },
  }, async () => ({ items: topRegions() }));

  app.get('/api/v1/regions/:code/children', {
    config: { public: true },
    schema: { tags: ['regions'], summary: 'Regions directly below a region, down to 社区 and local grid units', params: S.RegionParams, response: { 200: S.RegionList } },
  }, async (req) => {
    const { code } = req.params;
    const official = await findRegion(code);
    const unit = official ? undefined : await identity.unitByCode(code);
    if (!official && !unit) throw new AppError('NOT_FOUND', `No region ${code}`);
    // Below a 社区 the units are grids, buildings and households: only grid staff may list them.
    if (/^\d{12}/.test(code)) requirePermission(req.actor, 'governance:handle');
    const children = /^\d{12}/.test(code)
      ? (await identity.unitsUnder(code)).map((u) => ({ code: u.code, name: u.name, level: u.level, parentCode: u.parent_code }))
      : await childRegions(code);
    return { items: children };
  });
}
