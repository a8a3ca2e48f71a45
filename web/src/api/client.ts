// The one typed client for the public API (/api/v1). Every screen calls the API through here,
// so path or shape changes on the server are fixed in one place.
import { expireSession, getSession } from '../auth/session';
import type {
  AgentGrant, AgentGrantList, AgentGrantRequest, Application, ApplicationSummary, ApiErrorBody, CatalogSearchItem, DataAccessEntry,
  DrawSummary, DrawVerification, EventCategory, EventReport, Health, LicenceSummary, LicenceType, ListResponse, PresentationCheck,
  HouseholdPrivacy, HouseholdPrivacyChoice, LoginResponse, Matter, MeResponse, QueueItem, ReportedEvent, ReportedEventList,
} from './types';

/** A failed call, carrying the contract's error code so the UI can explain it in the user's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// Codes the client invents for failures that never reached a contract error body.
export const NETWORK_ERROR = 'NETWORK_ERROR';
export const API_NOT_AVAILABLE = 'API_NOT_AVAILABLE';
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

function isErrorBody(body: unknown): body is ApiErrorBody {
  const error = (body as ApiErrorBody | null)?.error;
  return !!error && typeof error.code === 'string' && typeof error.message === 'string';
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
}

/** Exported for api/citizen.ts and the officials' consoles (console-client.ts), which keep their calls apart. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, value);
  }
  const session = getSession();
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (session) headers.Authorization = `Bearer ${session.token}`;

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : String(cause));
  }

  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  const body: unknown = isJson ? await response.json().catch(() => undefined) : undefined;

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    if (!isJson) throw new ApiError(response.status, UNEXPECTED_RESPONSE, 'response was not JSON');
    return body as T;
  }

  if (response.status === 401 && session) {
    // The token expired or was revoked: drop it. Pages that need a session (RequireAuth) then
    // send the person to sign in, with a note saying why; one navigation, not two racing.
    expireSession();
  }
  if (isErrorBody(body)) {
    throw new ApiError(response.status, body.error.code, body.error.message, body.error.details ?? []);
  }
  // No contract body: the route is not there (yet), or a proxy answered instead of the server.
  if (response.status === 404 || response.status === 405) {
    throw new ApiError(response.status, API_NOT_AVAILABLE, `${method} ${path} is not available`);
  }
  if (response.status >= 500) {
    throw new ApiError(response.status, SERVICE_UNAVAILABLE, `server answered ${response.status}`);
  }
  throw new ApiError(response.status, UNEXPECTED_RESPONSE, `server answered ${response.status}`);
}

export const enc = encodeURIComponent;

export const api = {
  health: () => fetch('/healthz').then((r) => r.json() as Promise<Health>),

  login: (username: string, password: string) =>
    request<LoginResponse>('POST', '/auth/login', { body: { username, password } }),
  logout: () => request<void>('POST', '/auth/logout'),
  me: () => request<MeResponse>('GET', '/me'),

  searchCatalog: (q: string, region?: string) =>
    request<ListResponse<CatalogSearchItem>>('GET', '/catalog/search', { query: { q, region } }),
  getMatter: (code: string) => request<Matter>('GET', `/catalog/matters/${enc(code)}`),

  myApplications: () => request<ListResponse<ApplicationSummary>>('GET', '/applications'),
  /** A company agent's list of the company's applications. */
  companyApplications: () => request<ListResponse<ApplicationSummary>>('GET', '/applications', { query: { forCompany: 'true' } }),
  /** What I filed for persons who authorised me (代办), each naming the person. */
  applicationsFiledForOthers: () => request<ListResponse<ApplicationSummary>>('GET', '/applications', { query: { filed: 'for-others' } }),
  getApplication: (id: string) => request<Application>('GET', `/applications/${enc(id)}`),
  officialQueue: () => request<ListResponse<QueueItem>>('GET', '/applications/queue'),

  myLicences: () => request<ListResponse<LicenceSummary>>('GET', '/me/licences'),
  myDataAccessLog: () => request<ListResponse<DataAccessEntry>>('GET', '/me/data-access-log'),

  myAgentGrants: () => request<AgentGrantList>('GET', '/me/agent-grants'),
  createAgentGrant: (grant: AgentGrantRequest) =>
    request<AgentGrant>('POST', '/me/agent-grants', { body: grant }),
  // The version guards against revoking a grant that changed meanwhile (409 CONFLICT).
  revokeAgentGrant: (grant: Pick<AgentGrant, 'id' | 'version'>) =>
    request<AgentGrant>('POST', `/me/agent-grants/${enc(grant.id)}/revoke`, { body: { version: grant.version } }),

  /** 亮证 check and the licence types' field titles: public, for the page a scanned code opens. */
  presentation: (token: string) => request<PresentationCheck>('GET', `/presentations/${enc(token)}`),
  licenceTypes: () => request<ListResponse<LicenceType>>('GET', '/licences/types'),

  publicDraws: () => request<ListResponse<DrawSummary>>('GET', '/supervision/draws'),
  verifyDraw: (id: string) => request<DrawVerification>('GET', `/supervision/draws/${enc(id)}/verify`),

  eventCategories: () => request<ListResponse<EventCategory>>('GET', '/governance/categories'),
  reportEvent: (report: EventReport) =>
    request<ReportedEvent>('POST', '/governance/events', { body: report }),
  // For a resident the server lists only the events they reported or that affect their household.
  myEvents: () => request<ReportedEventList>('GET', '/governance/events', { query: { limit: '50' } }),
  myEvent: (id: string) => request<ReportedEvent>('GET', `/governance/events/${enc(id)}`),
  myHouseholds: () => request<ListResponse<HouseholdPrivacy>>('GET', '/me/households'),
  // The version guards against overwriting a choice another household member changed meanwhile (409).
  setHouseholdPrivacy: (code: string, choice: HouseholdPrivacyChoice) =>
    request<HouseholdPrivacy>('PUT', `/governance/households/${enc(code)}/privacy`, { body: choice }),
};
