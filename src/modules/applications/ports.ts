/**
 * What applications need from modules built elsewhere. The lead wires real adapters in app.ts.
 */
import type { MatterDefinitionT } from '../catalog/schemas.js';
import type { Executor } from '../../platform/db/database.js';

export type ApplicantRef = { kind: 'person'; personId: string } | { kind: 'company'; companyId: string };

import type { ErrorDetail } from '../../platform/errors.js';

/** A refusal names its reason and, in `details`, the list entry behind it. */
export type RestrictionResult = { allowed: true } | { allowed: false; reason: string; details?: ErrorDetail[] };

/**
 * 联合惩戒: entities on a discipline list (经营异常名录, 严重违法失信名单) meet restrictions
 * elsewhere — e.g. no 告知承诺 fast track. Asked at every submission (module `supervision`).
 */
export interface ApplicantRestrictions {
  check(applicant: ApplicantRef, matter: Pick<MatterDefinitionT, 'code' | 'name' | 'category' | 'regionCode'>, fastTrack: boolean): Promise<RestrictionResult>;
}

/** Until supervision is wired: nobody is restricted. */
export const noApplicantRestrictions: ApplicantRestrictions = {
  async check() { return { allowed: true }; },
};

/** An application being approved, as the result-licence port sees it. */
export interface ApprovedApplication {
  id: string; matter: MatterDefinitionT; applicant: ApplicantRef; form: Record<string, string>; approvedOn: string;
}
export type ResultLicenceOutcome = { licenceId: string; identifier: string; typeName: string } | { skipped: string };

/**
 * 审批结果证照 (module `licences`): an approval of a matter that names a result licence issues
 * it to the applicant. Called inside the approval's transaction `trx`, so the approval and the
 * licence commit together or not at all; a throw refuses the approval. Idempotent per
 * application. Undefined when the matter names no result licence.
 */
export interface ResultLicences {
  issueFor(application: ApprovedApplication, trx: Executor): Promise<ResultLicenceOutcome | undefined>;
}
