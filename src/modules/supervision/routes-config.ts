/**
 * Supervision configuration through the API: grading rules and credit-repair periods
 * (administrators), joint-discipline restrictions (administrators, or a department's officials
 * for their own department in their region), and the history that explains every change.
 */
import type { HttpServer } from '../../platform/http/server.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { SupervisionService } from './service.js';
import * as S from './schemas.js';

const tags = ['supervision configuration'];
const P = '/api/v1/supervision';

export async function supervisionConfigRoutes(app: HttpServer, { supervision: sv }: { supervision: SupervisionService }) {
  const { config } = sv;
  app.get(`${P}/grade-rules`, { schema: { tags, summary: 'The grading rules', response: { 200: S.Items(S.GradeRule) } } },
    async (req) => ({ items: await config.rules(req.actor) }));
  app.post(`${P}/grade-rules`, { schema: { tags, summary: 'Add a grading rule (admin); every entity is regraded', body: S.NewGradeRule, response: { 201: S.GradeRuleChanged } } },
    async (req, reply) => reply.status(201).send(await config.createRule(req.actor, req.body)));
  app.patch(`${P}/grade-rules/:code`, { schema: { tags, summary: 'Change a grading rule (admin); every entity is regraded', params: S.RuleCode, body: S.GradeRulePatch, response: { 200: S.GradeRuleChanged } } },
    async (req) => config.updateRule(req.actor, req.params.code, req.body));

  app.get(`${P}/repair-periods`, { schema: { tags, summary: 'Minimum publication periods before credit repair, in months', response: { 200: S.Items(S.RepairPeriod) } } },
    async (req) => ({ items: await config.periods(req.actor) }));
  app.put(`${P}/repair-periods/:subject`, { schema: { tags, summary: 'Change a minimum publication period (admin)', params: S.RepairPeriodParams, body: S.RepairPeriodSet, response: { 200: S.RepairPeriod } } },
    async (req) => config.setPeriod(req.actor, req.params.subject, req.body));

  app.get(`${P}/restrictions`, { schema: { tags, summary: 'Joint-discipline restrictions on listed entities', querystring: S.RestrictionQuery, response: { 200: S.Items(S.Restriction) } } },
    async (req) => ({ items: await config.restrictions(req.actor, req.query) }));
  app.post(`${P}/restrictions`, { schema: { tags, summary: "Declare a restriction on a department's matters for listed entities", body: S.NewRestriction, response: { 201: S.Restriction } } },
    async (req, reply) => reply.status(201).send(await config.createRestriction(req.actor, req.body)));
  app.patch(`${P}/restrictions/:id`, { schema: { tags, summary: 'Switch a restriction off or on', params: IdParams, body: S.RestrictionPatch, response: { 200: S.Restriction } } },
    async (req) => config.updateRestriction(req.actor, req.params.id, req.body));

  app.get(`${P}/config-history`, { schema: { tags, summary: 'Who changed which rule, period or restriction, when and why', querystring: S.ConfigHistoryQuery, response: { 200: S.Items(S.ConfigChange) } } },
    async (req) => ({ items: await config.history(req.actor, { ...req.query, limit: req.query.limit ?? 100 }) }));
}
