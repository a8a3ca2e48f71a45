/**
 * The licences module's public face: the services other modules and app.ts use.
 * For the materials/one-stop modules:
 *  - `licences.validLicencesOf({ personId } | { companyId }, typeCodeOrName)` — usable licences of a type;
 *  - `lending.lendToApplication(actor, licenceId, { applicationRef, matterCode, matterName, purpose,
 *     recipientRegionCode, recipientDepartment?, consent: true })` — the holder's consented loan,
 *     returning the sealed 加注件;
 *  - `licences.issueForApplication(authorityUscc, applicationRef, input)` — an approved
 *     application's result licence (idempotent per applicationRef);
 *  - `results.issue(approvedApplication, trx)` — the same, from a catalogue matter's result-licence
 *     mapping, and `resultLicenceProblems(spec, matter)` to check such a mapping when it is saved.
 */
import type { Executor } from '../../platform/db/database.js';
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import { LicenceService } from './service.js';
import { TrustService } from './trust.js';
import { PresentationService } from './presentations.js';
import { LendingService } from './lending.js';
import { ResultLicenceIssuer } from './result-licences.js';

export interface LicenceServices {
  licences: LicenceService;
  trust: TrustService;
  presentations: PresentationService;
  lending: LendingService;
  results: ResultLicenceIssuer;
}

export function createLicenceServices(deps: {
  db: Executor; nodeId: string; keys: NodeKeyStore; fieldKeyHex: string; tokenKey: Uint8Array;
  identity: IdentityService; audit: AuditService; publicUrl?: string;
}): LicenceServices {
  const trust = new TrustService(deps.db, deps.keys, deps.audit, deps.nodeId);
  const licences = new LicenceService(deps.db, deps.nodeId, deps.fieldKeyHex, deps.identity, deps.audit, trust);
  const presentations = new PresentationService(deps.db, deps.tokenKey, licences, trust, deps.identity, deps.audit, deps.publicUrl);
  const lending = new LendingService(deps.db, licences, trust, deps.audit);
  const results = new ResultLicenceIssuer(licences, deps.identity);
  return { licences, trust, presentations, lending, results };
}

export { licenceRoutes } from './routes.js';
export { resultLicenceProblems } from './result-licences.js';
