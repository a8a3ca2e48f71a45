/** Supervision for officials, inspectors and entities (signed in); the public part is routes-public.ts. */
import type { HttpServer } from '../../platform/http/server.js';
import { requirePermission } from '../../platform/access/policy.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { SupervisionService } from './service.js';
import * as S from './schemas.js';

const tags = ['supervision'];
const P = '/api/v1/supervision';

export async function supervisionRoutes(app: HttpServer, { supervision: sv }: { supervision: SupervisionService }) {
  // ── registry, platforms, catalogue, grades ──
  app.post(`${P}/entities`, { schema: { tags, summary: 'Register a market entity (incl. 微商, sharing economy, 长租公寓)', body: S.NewEntity, response: { 201: S.Entity } } },
    async (req, reply) => reply.status(201).send(await sv.entities.register(req.actor, req.body)));
  app.get(`${P}/entities`, { schema: { tags, summary: 'Market entities in my region', querystring: S.EntityQuery, response: { 200: S.Items(S.Entity) } } },
    async (req) => ({ items: await sv.entities.list(req.actor, { ...req.query, limit: req.query.limit ?? 100 }) }));
  app.get(`${P}/entities/:id`, { schema: { tags, summary: 'One market entity (officials in scope, or its own agent)', params: IdParams, response: { 200: S.Entity } } },
    async (req) => sv.entities.get(req.actor, req.params.id));
  app.get(`${P}/entities/:id/grade`, { schema: { tags, summary: 'Credit/risk grade with the rules that fired', params: IdParams, response: { 200: S.GradeExplained } } },
    async (req) => sv.grading.explain(req.actor, req.params.id));
  app.post(`${P}/entities/:id/recusals`, { schema: { tags, summary: 'Declare my conflict of interest with an entity (inspectors)', params: IdParams, body: S.Recusal, response: { 201: S.RecusalView } } },
    async (req, reply) => reply.status(201).send(await sv.entities.declareRecusal(req.actor, req.params.id, req.body.reason)));
  app.post(`${P}/platforms`, { schema: { tags, summary: 'Register a reporting platform; returns its API key once', body: S.NewPlatform, response: { 201: S.PlatformCreated } } },
    async (req, reply) => reply.status(201).send(await sv.entities.createPlatform(req.actor, req.body)));
  app.post(`${P}/items`, { schema: { tags, summary: 'Add a supervision item to the catalogue', body: S.NewItem, response: { 201: S.Item } } },
    async (req, reply) => reply.status(201).send(await sv.catalogue.create(req.actor, req.body)));
  app.get(`${P}/grade-policy`, { schema: { tags, summary: 'Ratio, frequency and score band per grade, with the version to send back when changing it', response: { 200: S.VersionedGradePolicy } } },
    async (req) => { requirePermission(req.actor, 'supervision:list'); return sv.grading.versionedPolicy(); });
  app.put(`${P}/grade-policy`, { schema: { tags, summary: 'Change ratio, frequency and score band per grade (admin); a stale version gets 409', body: S.GradePolicySet, response: { 200: S.VersionedGradePolicy } } },
    async (req) => sv.config.setGradePolicy(req.actor, req.body));

  // ── tasks and draws ──
  app.post(`${P}/tasks`, { schema: { tags, summary: 'Plan a (joint) random-inspection task', body: S.NewTask, response: { 201: S.Task } } },
    async (req, reply) => reply.status(201).send(await sv.draws.planTask(req.actor, req.body as never)));
  app.get(`${P}/tasks/:id`, { schema: { tags, summary: 'A task and its draw state', params: IdParams, response: { 200: S.Task } } },
    async (req) => sv.draws.getTask(req.actor, req.params.id));
  app.post(`${P}/tasks/:id/draw`, { schema: { tags, summary: 'Freeze candidates, pool and recusals; publish SM3(seed)', params: IdParams, response: { 201: S.Task } } },
    async (req, reply) => reply.status(201).send(await sv.draws.commit(req.actor, req.params.id)));
  app.post(`${P}/draws/:id/reveal`, { schema: { tags, summary: 'Reveal the seed; select entities and inspectors', params: IdParams, response: { 200: S.PublicDraw } } },
    async (req) => sv.draws.reveal(req.actor, req.params.id));

  app.get(`${P}/schedules`, { schema: { tags, summary: 'Standing schedules of my region and below, newest first', response: { 200: S.Items(S.Schedule) } } },
    async (req) => ({ items: await sv.schedules.list(req.actor) }));
  app.post(`${P}/schedules`, { schema: { tags, summary: 'Set up a standing schedule: one task a period, grades drawn as often as configured', body: S.NewSchedule, response: { 201: S.Schedule } } },
    async (req, reply) => reply.status(201).send(await sv.schedules.create(req.actor, req.body)));
  app.get(`${P}/schedules/:id/plan`, { schema: { tags, summary: "A schedule's year: per grade how often, per period the ratios, expected counts and task", params: IdParams, querystring: S.SchedulePlanQuery, response: { 200: S.SchedulePlan } } },
    async (req) => sv.schedules.plan(req.actor, req.params.id, req.query.year ?? new Date().getUTCFullYear()));
  app.post(`${P}/schedules/:id/run`, { schema: { tags, summary: "Create the current period's task now (the job does it too; never twice)", params: IdParams, response: { 200: S.ScheduleRun } } },
    async (req) => sv.schedules.runNow(req.actor, req.params.id));

  // ── inspections ──
  app.get(`${P}/inspections`, { schema: { tags, summary: 'My assignments (inspectors) or my region (supervisors)', querystring: S.InspectionQuery, response: { 200: S.Items(S.Inspection) } } },
    async (req) => ({ items: await sv.inspections.list(req.actor, { ...req.query, limit: req.query.limit ?? 100 }) }));
  app.get(`${P}/inspections/:id`, { schema: { tags, summary: 'One inspection', params: IdParams, response: { 200: S.Inspection } } },
    async (req) => sv.inspections.get(req.actor, req.params.id));
  app.post(`${P}/inspections/:id/result`, { bodyLimit: S.INSPECTION_RESULT_BODY_LIMIT, schema: { tags, summary: 'Record the on-site result (idempotent by submissionId)', params: IdParams, body: S.InspectionResult, response: { 200: S.Inspection } } },
    async (req) => sv.inspections.submit(req.actor, req.params.id, req.body as never));
  app.post(`${P}/inspections/:id/publish`, { schema: { tags, summary: 'Confirm and publish a penalty result', params: IdParams, body: S.VersionBody, response: { 200: S.Inspection } } },
    async (req) => sv.inspections.publish(req.actor, req.params.id, req.body.version));

  // ── lists, joint discipline, follow-ups, repair ──
  app.post(`${P}/list-entries`, { schema: { tags, summary: 'Put an entity on 经营异常名录 or 严重违法失信名单', body: S.NewListEntry, response: { 201: S.ListEntry } } },
    async (req, reply) => reply.status(201).send(await sv.lists.enter(req.actor, req.body)));
  app.post(`${P}/list-entries/:id/exit`, { schema: { tags, summary: 'Take an entity off a list', params: IdParams, body: S.ListExit, response: { 200: S.ListEntry } } },
    async (req) => sv.lists.exit(req.actor, req.params.id, req.body));
  app.post(`${P}/discipline/check`, { schema: { tags, summary: 'Would joint discipline refuse this fast track for this applicant?', body: S.DisciplineCheck, response: { 200: S.DisciplineAnswer } } },
    async (req) => {
      requirePermission(req.actor, 'supervision:list');
      const r = await sv.fastTrackRestriction(req.body.applicant, req.body.fastTrack, { department: req.body.department, matterCode: req.body.matterCode });
      return r ? { restricted: true, restriction: r.restriction, reason: r.reason, listEntry: r.entry } : { restricted: false };
    });
  app.get(`${P}/followups`, { schema: { tags, summary: '告知承诺 follow-up checks in my region', querystring: S.FollowUpQuery, response: { 200: S.Items(S.FollowUp) } } },
    async (req) => ({ items: await sv.followUps.list(req.actor, { ...req.query, limit: req.query.limit ?? 100 }) }));
  app.post(`${P}/followups/:id/result`, { schema: { tags, summary: 'Record a follow-up check; a false commitment lists the entity', params: IdParams, body: S.FollowUpResult, response: { 200: S.FollowUp } } },
    async (req) => sv.followUps.record(req.actor, req.params.id, req.body));
  app.post(`${P}/repairs`, { schema: { tags, summary: 'Apply for credit repair (信用修复)', body: S.RepairApply, response: { 201: S.Repair } } },
    async (req, reply) => reply.status(201).send(await sv.repair.apply(req.actor, req.body)));
  app.get(`${P}/repairs`, { schema: { tags, summary: 'Pending repair applications routed to my department', response: { 200: S.Items(S.Repair) } } },
    async (req) => ({ items: await sv.repair.queue(req.actor) }));
  app.post(`${P}/repairs/:id/decision`, { schema: { tags, summary: 'Approve or reject a repair application', params: IdParams, body: S.RepairDecision, response: { 200: S.Repair } } },
    async (req) => sv.repair.decide(req.actor, req.params.id, req.body));
}
