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

/** GET /api/v1/me/data-access-log (issue 3 §6): who looked at my data, when, why. */
export interface DataAccessEntry {
  id?: string;
  at: string;
  accessor?: string;
  department?: string;
  fields?: string[];
  purpose?: string;
  node?: string;
}

/** GET /api/v1/me/agent-grants (issue 3 §4): a relative acting for me (代办). */
export interface AgentGrant {
  id: string;
  agentName?: string;
  agentUsername?: string;
  scope?: string[];
  expiresAt?: string;
  createdAt?: string;
  revokedAt?: string | null;
}

export interface AgentGrantRequest {
  agentUsername: string;
  scope: string[];
  expiresAt: string;
}

/** GET /api/v1/supervision/draws (issue 7 §4), public. */
export interface DrawSummary {
  id: string;
  taskName?: string;
  seedCommitment?: string;
  seed?: string;
  revealedAt?: string;
  selected?: unknown[];
}

export interface DrawVerification {
  valid: boolean;
  reasons?: string[];
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
