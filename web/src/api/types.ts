// Response shapes of the public API (/api/v1), as written in CONTRACT.md and issues 3–8.
// The server's own types do not exist yet; once they do, import them from there instead of
// keeping this copy (issue 9 asks for types shared with the server, not retyped).
// Optional fields are the ones the issues do not pin down: the screens show "—" when absent.

/** The contract's error body: every non-2xx response under /api. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown[] };
}

export interface SessionUser {
  id: string;
  username: string;
  roles: string[];
  displayName?: string;
}

/** GET /api/v1/me (server: MeResult). Only the parts the UI uses are typed. */
export interface MeResponse {
  user: SessionUser & { displayName: string; regionCode: string | null; department: string | null };
}

export interface LoginResponse {
  token: string;
  user: SessionUser;
}

export interface ListResponse<T> {
  items: T[];
}

/** GET /api/v1/catalog/search?q= (issue 4 §6). */
export interface CatalogSearchItem {
  code: string;
  name: string;
  score: number;
  department?: string;
  region?: string;
  crossProvinceMode?: string;
}

export interface MatterMaterial {
  name: string;
  required?: boolean;
  /** Which e-licence type or shared material can replace it. */
  replaceableBy?: string[];
  freshnessDays?: number;
}

/** GET /api/v1/catalog/matters/:code (issue 4 §1; path provisional). */
export interface Matter {
  code: string;
  name: string;
  department?: string;
  region?: string;
  legalLimitDays?: number;
  promisedLimitDays?: number;
  fees?: string;
  channels?: string[];
  crossProvinceMode?: string;
  materials?: MatterMaterial[];
}

export interface ApplicationEvent {
  status: string;
  at: string;
  actor?: string;
  reason?: string;
}

/** An application (办件), issue 4 §3. */
export interface Application {
  id: string;
  matterCode: string;
  matterName?: string;
  status: string;
  applicantName?: string;
  submittedAt?: string;
  dueDate?: string;
  overdue?: boolean;
  history?: ApplicationEvent[];
}

/** GET /api/v1/me/licences (issue 5 §4). */
export interface LicenceSummary {
  id: string;
  identifier: string;
  type: string;
  typeName?: string;
  status?: string;
  holderName?: string;
  validFrom?: string;
  validTo?: string;
}

/** GET /api/v1/me/data-access-log (server: src/modules/audit/routes.ts): who read my data. */
export interface DataAccessEntry {
  id: string;
  accessedAt: string;
  actor: string;
  department: string | null;
  node: string;
  purpose: string;
  fields: string[];
}

/** A 代办 grant (server: GrantView in src/modules/identity/schemas.ts). */
export interface AgentGrant {
  id: string;
  grantorPersonId: string;
  granteeUserId: string;
  granteeName: string;
  relationship: string;
  /** Matter codes, or ["*"] for every matter. */
  matters: string[];
  purpose: string;
  consentStatement: string;
  consentChannel: 'online' | 'counter';
  consentedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  active: boolean;
  version: number;
}

/** GET /api/v1/me/agent-grants: grants I gave, and grants others gave me. */
export interface AgentGrantList {
  given: AgentGrant[];
  received: AgentGrant[];
}

/** POST /api/v1/me/agent-grants body (server: GrantBody). */
export interface AgentGrantRequest {
  granteeUsername: string;
  relationship: string;
  matters: string[];
  purpose: string;
  expiresAt: string;
  consent: boolean;
}

/** GET /api/v1/supervision/draws, public (server: DrawSummary in src/modules/supervision/schemas.ts). */
export interface DrawSummary {
  id: string;
  taskName: string;
  regionCode: string;
  departments: string[];
  seedCommitment: string;
  revealedAt: string;
  selectedCount: number;
}

/** GET /api/v1/supervision/draws/:id/verify: the server recomputes the draw, check by check. */
export interface DrawVerification {
  ok: boolean;
  checks: { name: string; ok: boolean; detail?: string }[];
}

/** Governance event categories and reports (issue 8 §3). */
export interface EventCategory {
  code: string;
  name: string;
}

export interface EventReport {
  category: string;
  description: string;
  location: string;
}

export interface ReportedEvent {
  id: string;
  status?: string;
  dueAt?: string;
}

export interface Health {
  status: string;
  db: string;
  node: string;
}
