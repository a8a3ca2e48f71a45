/**
 * What applications need from modules built elsewhere. The lead wires real adapters in app.ts.
 */
import type { MatterDefinitionT } from '../catalog/schemas.js';

export type ApplicantRef = { kind: 'person'; personId: string } | { kind: 'company'; companyId: string };

export type RestrictionResult = { allowed: true } | { allowed: false; reason: string };

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
