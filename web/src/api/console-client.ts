// API calls of the officials' consoles, through the one request function of client.ts (so errors,
// 401 handling and the bearer token behave exactly as on the citizen pages).
import { getSession } from '../auth/session';
import { ApiError, request } from './client';
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
  repairs: () => request<C.Items<C.Repair>>('GET', '/supervision/repairs'),
  decideRepair: (id: string, body: C.RepairDecision) => request<C.Repair>('POST', `/supervision/repairs/${enc(id)}/decision`, { body }),

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

/**
 * A material's file for preview. It needs the bearer token, so it cannot be a plain link: fetch it
 * and hand back an object URL (the caller revokes it).
 */
export async function fetchMaterialFile(applicationId: string, key: string): Promise<{ url: string; type: string }> {
  const session = getSession();
  const response = await fetch(`/api/v1/applications/${enc(applicationId)}/materials/${enc(key)}/content`, {
    headers: session ? { Authorization: `Bearer ${session.token}` } : {},
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(response.status, body?.error?.code ?? 'NOT_FOUND', body?.error?.message ?? `server answered ${response.status}`);
  }
  const blob = await response.blob();
  return { url: URL.createObjectURL(blob), type: blob.type };
}
