// Shapes of the public API (/api/v1), derived from the server's own TypeBox route schemas: the
// schema that validates a request or serialises a response on the server is the type here, so a
// change on either side breaks `tsc -p web/tsconfig.json` instead of a screen at run time.
// `import type` only: nothing of the server is bundled into the web app.
import type { Static, TSchema } from 'typebox';
import type * as Http from '../../../src/platform/http/schemas';
import type * as Identity from '../../../src/modules/identity/schemas';
import type * as Catalog from '../../../src/modules/catalog/schemas';
import type * as Materials from '../../../src/modules/materials/schemas';
import type * as Applications from '../../../src/modules/applications/schemas';
import type * as Licences from '../../../src/modules/licences/schemas';
import type * as Audit from '../../../src/modules/audit/schemas';
import type * as Supervision from '../../../src/modules/supervision/schemas';
import type * as Governance from '../../../src/modules/governance/schemas';

type Of<T extends TSchema> = Static<T>;
type Item<T extends { items: unknown[] }> = T['items'][number];

/** The contract's error body: every non-2xx response under /api. */
export type ApiErrorBody = Of<typeof Http.ErrorBody>;

export interface ListResponse<T> {
  items: T[];
  nextCursor?: string;
}

// ── Identity ────────────────────────────────────────────────────────────────────────────────
export type LoginResponse = Of<typeof Identity.LoginResult>;
/** GET /api/v1/me */
export type MeResponse = Of<typeof Identity.MeResult>;
/** The signed-in user as kept in the browser: the login answer, plus the name /me gave. */
export type SessionUser = LoginResponse['user'] & { displayName?: string };
export type AgentGrant = Of<typeof Identity.GrantView>;
export type AgentGrantList = Of<typeof Identity.GrantList>;
export type AgentGrantRequest = Of<typeof Identity.GrantBody>;
export type CompanyView = Of<typeof Identity.CompanyView>;

// ── Catalogue ───────────────────────────────────────────────────────────────────────────────
export type CatalogSearchItem = Item<Of<typeof Catalog.SearchResult>>;
/** GET /api/v1/catalog/matters/:code */
export type Matter = Of<typeof Catalog.MatterDefinition>;
export type MatterMaterial = Matter['materials'][number];
export type MatterFormField = Matter['formFields'][number];
export type CrossProvinceMode = Of<typeof Catalog.CrossProvinceMode>;

// ── Materials (my library) ──────────────────────────────────────────────────────────────────
export type MaterialView = Of<typeof Materials.MaterialView>;
export type MaterialUpload = Of<typeof Materials.UploadBody>;
export type MaterialType = Item<Of<typeof Materials.MaterialTypeList>>;
export type HeldLicence = Of<typeof Materials.HeldLicence>;

// ── Applications ────────────────────────────────────────────────────────────────────────────
/** GET /api/v1/applications/prepare: the matter, my verified prefill and what I can reuse. */
export type PrepareResult = Of<typeof Applications.PrepareResult>;
export type MaterialOffer = PrepareResult['materials'][number];
export type MaterialChoice = Of<typeof Applications.MaterialChoice>;
export type SubmitBody = Of<typeof Applications.SubmitBody>;
/** Whom an application is for: nobody given = myself; `onBehalfOf` = a person who granted me 代办; `forCompany` = my company. */
export type ApplicantChoice = Pick<SubmitBody, 'onBehalfOf' | 'forCompany'>;
export type SubmitResult = Of<typeof Applications.SubmitResult>;
/** One line of my applications (GET /api/v1/applications). */
export type ApplicationSummary = Item<Of<typeof Applications.MineList>>;
/** One line of an official's queue (GET /api/v1/applications/queue). */
export type QueueItem = Item<Of<typeof Applications.QueueList>>;
/** GET /api/v1/applications/:id: with its timeline, deadline and rating. */
export type Application = Of<typeof Applications.ApplicationDetail>;
export type ApplicationStatus = Application['status'];
export type RatingBody = Of<typeof Applications.RatingBody>;

// ── Licences: wallet, 亮证, 用证 ─────────────────────────────────────────────────────────────
export type LicenceSummary = Item<Of<typeof Licences.WalletList>>;
export type LicenceDetail = Of<typeof Licences.LicenceDetail>;
export type LicenceType = Item<Of<typeof Licences.LicenceTypeList>>;
export type PresentationRequest = Of<typeof Licences.PresentationBody>;
export type Presentation = Of<typeof Licences.PresentationCreated>;
export type LoanRequest = Of<typeof Licences.LoanBody>;
export type LoanResult = Of<typeof Licences.LoanResult>;
export type Loan = LoanResult['loan'];
/**
 * GET /api/v1/presentations/:token, what a scanned 亮证 code shows. The server sends the sealed
 * document as it was signed (a response schema would re-serialise it, and the seal covers every
 * member), so its shape is written out here rather than taken from a schema.
 */
export interface PresentationCheck {
  presentation: {
    presentationId: string;
    identifier: string;
    licenceType: { code: string; name: string };
    issuer: { name: string; node: string; uscc: string };
    /** Only what the holder chose: field name → value; `ageAtLeastN` → true/false. */
    disclosed: Record<string, unknown>;
    validFrom: string;
    validTo: string | null;
    status: string;
    valid: boolean;
    reasons: string[];
    checkedAt: string;
    expiresAt: string;
  };
  seal: Of<typeof Licences.SealT>;
}

// ── Audit ───────────────────────────────────────────────────────────────────────────────────
export type DataAccessEntry = Of<typeof Audit.DataAccessItem>;

// ── Supervision (public pages) ──────────────────────────────────────────────────────────────
export type DrawSummary = Of<typeof Supervision.DrawSummary>;
export type DrawVerification = Of<typeof Supervision.DrawVerify>;

// ── Governance ──────────────────────────────────────────────────────────────────────────────
export type EventCategory = Of<typeof Governance.Category>;
export type EventReport = Of<typeof Governance.ReportBody>;
export type ReportedEvent = Of<typeof Governance.EventView>;
export type ReportedEventList = Of<typeof Governance.EventList>;
/** What one household lets the grid know and how it may be contacted (GET /me/households). */
export type HouseholdPrivacy = Of<typeof Governance.HouseholdPrivacy>;
export type HouseholdPrivacyChoice = Of<typeof Governance.PrivacyBody>;
export type HouseholdMinUnit = HouseholdPrivacy['minUnit'];

/** GET /healthz (CONTRACT.md; outside /api/v1, so it has no route schema to derive from). */
export interface Health {
  status: string;
  db: 'pglite' | 'postgres';
  node: string;
}
