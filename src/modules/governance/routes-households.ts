/** HTTP for households' privacy choices, what a grid may read of a household, statistics and dashboards. */
import type { HttpServer } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import type { PrivacyRow } from './households-repository.js';
import type { GovernanceService } from './service.js';
import * as S from './schemas.js';

const BASE = '/api/v1/governance';
const tags = ['governance'];

const privacyView = (p: PrivacyRow) => ({
  householdCode: p.household_code, minUnit: p.min_unit, elderlyCareVisits: p.elderly_care_visits, phoneCalls: p.phone_calls,
  doorVisits: p.door_visits, note: p.note, version: p.version, updatedAt: p.updated_at.toISOString(),
});

export async function governanceHouseholdRoutes(app: HttpServer, { governance, personIdByResidentId }: {
  governance: GovernanceService; personIdByResidentId(residentId: string): Promise<string | undefined>;
}) {
  const { households, dashboards } = governance;

  app.get('/api/v1/me/households', {
    schema: { tags, summary: 'My households and what each lets the grid know', response: { 200: S.HouseholdList } },
  }, async (req) => ({ items: (await households.mine(req.actor)).map(privacyView) }));

  app.put(`${BASE}/households/:code/privacy`, {
    schema: { tags, summary: "Set my household's privacy: smallest unit shown, contact preferences", params: S.HouseholdParams, body: S.PrivacyBody, response: { 200: S.HouseholdPrivacy } },
  }, async (req) => {
    const { version, ...choice } = req.body;
    return privacyView(await households.setPrivacy(req.actor, req.params.code, version, choice));
  });

  app.get(`${BASE}/households/:code`, {
    schema: { tags, summary: "A household's contact choices, for grid staff of its grid (the read is logged for its members)", params: S.HouseholdParams, querystring: S.PurposeQuery, response: { 200: S.HouseholdForGrid } },
  }, async (req) => {
    const r = await households.readForGrid(req.actor, req.params.code, req.query.purpose);
    return { privacy: privacyView(r.privacy), memberCount: r.memberCount };
  });

  app.post(`${BASE}/households/:code/members`, {
    schema: { tags, summary: 'Record that a person lives in a household (officials of the region)', params: S.HouseholdParams, body: S.MemberBody, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    const personId = await personIdByResidentId(req.body.residentId);
    if (!personId) throw new AppError('NOT_FOUND', 'No person has that resident ID');
    await households.addMember(req.actor, req.params.code, personId);
    return reply.status(204).send(null);
  });

  app.get(`${BASE}/stats/households`, {
    schema: { tags, summary: 'Households per unit, as finely as each household allows, with cells under k=5 suppressed', querystring: S.StatsQuery, response: { 200: S.HouseholdStats } },
  }, async (req) => {
    const stats = await households.householdStats(req.actor, req.query.region, req.query.by);
    return { ...stats, cells: stats.cells.map((c) => ({ ...c, measures: { elderlyCareVisits: c.measures.elderlyCareVisits ?? null } })) };
  });

  app.get(`${BASE}/dashboard`, {
    schema: { tags, summary: 'Events by category, status and grid; overdue rate; time to close; satisfaction', querystring: S.DashboardQuery, response: { 200: S.DashboardView } },
  }, async (req) => dashboards.dashboard(req.actor, req.query));
}
