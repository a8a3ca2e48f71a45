// API calls of the officials' consoles, through the one request function of client.ts (so errors,
// 401 handling and the bearer token behave exactly as on the citizen pages).
import { getSession } from '../auth/session';
import { ApiError, NETWORK_ERROR, request } from './client';
import type * as C from './console-types';

const enc = encodeURIComponent;
type Query = Record<string, string | number | boolean | undefined>;
const q = (query: Query) => Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));

export const consoleApi = {
  me: () => request<C.Me>('GET', '/me'),

  // ── workbench ──
  queue: (query: { status?: string; due?: 'overdue' | 'near' }) => request<C.QueueList>('GET', '/applications/queue', { query: q(query) }),
  application: (id: string) => request<C.ApplicationDetail>('GET', `/applications/${enc(id)}`),
  act: (id: string, body: C.ActionBody) => request<C.ApplicationDetail>('POST', `/applications/${enc(id)}/actions`, { body }),
  licenceTypes: () => request<C.LicenceTypeList>('GET', '/licences/types'),
  issueLicence: (body: C.IssueBody) => request<C.SealedLicence>('POST', '/licences', { body }),
  matters: (region?: string) => request<C.MatterList>('GET', '/catalog/matters', { query: q({ region }) }),
  matter: (code: string) => request<C.MatterDefinition>('GET', `/catalog/matters/${enc(code)}`),
  createMatter: (body: C.CreateMatterBody) => request<C.MatterDefinition>('POST', '/catalog/matters', { body }),
  updateMatter: (code: string, body: C.UpdateMatterBody) => request<C.MatterDefinition>('PUT', `/catalog/matters/${enc(code)}`, { body }),

  // ── supervision ──
  entities: (query: Omit<C.EntityQuery, 'after'>) => request<C.Items<C.Entity>>('GET', '/supervision/entities', { query: q(query) }),
  grade: (id: string) => request<C.GradeExplained>('GET', `/supervision/entities/${enc(id)}/grade`),
  supervisionItems: (regionCode?: string) => request<C.Items<C.SupervisionItem>>('GET', '/supervision/items', { query: q({ regionCode }) }),
  planTask: (body: C.NewTask) => request<C.Task>('POST', '/supervision/tasks', { body }),
  task: (id: string) => request<C.Task>('GET', `/supervision/tasks/${enc(id)}`),
  commitDraw: (taskId: string) => request<C.Task>('POST', `/supervision/tasks/${enc(taskId)}/draw`),
  revealDraw: (drawId: string) => request<C.PublicDraw>('POST', `/supervision/draws/${enc(drawId)}/reveal`),
  publicDraws: () => request<C.Items<C.DrawSummary>>('GET', '/supervision/draws'),
  publicDraw: (id: string) => request<C.PublicDraw>('GET', `/supervision/draws/${enc(id)}`),
  verifyDraw: (id: string) => request<C.DrawVerify>('GET', `/supervision/draws/${enc(id)}/verify`),
  inspections: (status?: string) => request<C.Items<C.Inspection>>('GET', '/supervision/inspections', { query: q({ status }) }),
  recordInspection: (id: string, body: C.InspectionResult) => request<C.Inspection>('POST', `/supervision/inspections/${enc(id)}/result`, { body }),
  publishInspection: (id: string, version: number) => request<C.Inspection>('POST', `/supervision/inspections/${enc(id)}/publish`, { body: { version } }),
  publicResults: () => request<C.Items<C.PublicResult>>('GET', '/supervision/results'),
  publicLists: () => request<C.Items<C.ListEntry>>('GET', '/supervision/lists'),
  inspectionEvidence: (id: string) => request<C.Items<C.EvidenceItem>>('GET', `/supervision/inspections/${enc(id)}/evidence`),
  repairs: () => request<C.Items<C.Repair>>('GET', '/supervision/repairs'),
  decideRepair: (id: string, body: C.RepairDecision) => request<C.Repair>('POST', `/supervision/repairs/${enc(id)}/decision`, { body }),

  // ── supervision configuration: each edit sends the version it was based on (stale → 409) and a reason ──
  gradeRules: () => request<C.Items<C.GradeRule>>('GET', '/supervision/grade-rules'),
  createGradeRule: (body: C.NewGradeRule) => request<C.GradeRuleChanged>('POST', '/supervision/grade-rules', { body }),
  updateGradeRule: (code: string, body: C.GradeRulePatch) => request<C.GradeRuleChanged>('PATCH', `/supervision/grade-rules/${enc(code)}`, { body }),
  gradePolicy: () => request<C.VersionedGradePolicy>('GET', '/supervision/grade-policy'),
  setGradePolicy: (body: C.GradePolicySet) => request<C.VersionedGradePolicy>('PUT', '/supervision/grade-policy', { body }),
  repairPeriods: () => request<C.Items<C.RepairPeriod>>('GET', '/supervision/repair-periods'),
  setRepairPeriod: (subject: C.RepairSubject, body: C.RepairPeriodSet) =>
    request<C.RepairPeriod>('PUT', `/supervision/repair-periods/${enc(subject)}`, { body }),
  restrictions: () => request<C.Items<C.Restriction>>('GET', '/supervision/restrictions'),
  createRestriction: (body: C.NewRestriction) => request<C.Restriction>('POST', '/supervision/restrictions', { body }),
  updateRestriction: (id: string, body: C.RestrictionPatch) => request<C.Restriction>('PATCH', `/supervision/restrictions/${enc(id)}`, { body }),
  configHistory: (query: Omit<C.ConfigHistoryQuery, 'limit'>) =>
    request<C.Items<C.ConfigChange>>('GET', '/supervision/config-history', { query: q({ ...query, limit: 200 }) }),

  // ── standing schedules (the API has no list of schedules: see SchedulesPage) ──
  schedules: () => request<C.Items<C.Schedule>>('GET', '/supervision/schedules'),
  createSchedule: (body: C.NewSchedule) => request<C.Schedule>('POST', '/supervision/schedules', { body }),
  schedulePlan: (id: string, year: number) => request<C.SchedulePlan>('GET', `/supervision/schedules/${enc(id)}/plan`, { query: q({ year }) }),
  runSchedule: (id: string) => request<C.ScheduleRun>('POST', `/supervision/schedules/${enc(id)}/run`),

  // ── governance ──
  categories: () => request<C.Items<C.EventCategory>>('GET', '/governance/categories'),
  events: (query: Omit<C.EventQuery, 'after'>) => request<C.Items<C.GovEvent>>('GET', '/governance/events', { query: q(query) }),
  event: (id: string) => request<C.GovEvent>('GET', `/governance/events/${enc(id)}`),
  reportEvent: (body: C.ReportBody) => request<C.GovEvent>('POST', '/governance/events', { body }),
  step: (id: string, action: C.StepPath, body: C.StepBody) => request<C.GovEvent>('POST', `/governance/events/${enc(id)}/${action}`, { body }),
  dashboard: (region?: string) => request<C.Dashboard>('GET', '/governance/dashboard', { query: q({ region }) }),
  householdStats: (region: string, by: 'building' | 'grid' | 'community') =>
    request<C.HouseholdStats>('GET', '/governance/stats/households', { query: q({ region, by }) }),
  // Below a 社区 the children are the local grids, buildings and households (grid staff only).
  regionChildren: (code: string) => request<C.Items<C.RegionItem>>('GET', `/regions/${enc(code)}/children`),
};

/** A file fetched with the bearer token; the server's error body is turned into an ApiError as request() does. */
async function fetchWithToken(path: string): Promise<Response> {
  const session = getSession();
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { headers: session ? { Authorization: `Bearer ${session.token}` } : {} });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(response.status, body?.error?.code ?? 'NOT_FOUND', body?.error?.message ?? `server answered ${response.status}`);
  }
  return response;
}

/**
 * One piece of inspection evidence, for download. The server refuses a file whose SM3 no longer
 * matches the one recorded at upload (INTEGRITY_FAILED) and answers 404 to anyone who may not see it.
 */
export async function fetchEvidenceFile(id: string): Promise<{ blob: Blob; sm3: string | null }> {
  const response = await fetchWithToken(`/supervision/evidence/${enc(id)}`);
  return { blob: await response.blob(), sm3: response.headers.get('x-content-sm3') };
}

/**
 * A material's file for preview. It needs the bearer token, so it cannot be a plain link: fetch it
 * and hand back an object URL (the caller revokes it).
 */
export async function fetchMaterialFile(applicationId: string, key: string): Promise<{ url: string; type: string }> {
  const response = await fetchWithToken(`/applications/${enc(applicationId)}/materials/${enc(key)}/content`);
  const blob = await response.blob();
  return { url: URL.createObjectURL(blob), type: blob.type };
}
