/**
 * Adapters that let one module use another through the small "port" interfaces the using
 * module declares. They belong to the composition root: neither module knows the other.
 */
import type { LicenceWallet, HeldLicence, Holder } from './modules/materials/ports.js';
import type { ApplicantRestrictions, ResultLicences } from './modules/applications/ports.js';
import type { LicenceServices } from './modules/licences/index.js';
import { LICENCE_TYPES } from './modules/licences/types.js';
import type { SupervisionService } from './modules/supervision/service.js';
import type { ExchangeService } from './modules/exchange/service.js';

/** The e-licence wallet seen by materials: every currently usable licence the holder has. */
export function licenceWalletFrom(licences: LicenceServices): LicenceWallet {
  return {
    async listHolderLicences(holder: Holder): Promise<HeldLicence[]> {
      const perType = await Promise.all(LICENCE_TYPES.map((t) => licences.licences.validLicencesOf(holder, t.code)));
      return perType.flat().map((l) => ({
        licenceId: l.id, typeName: l.typeName, typeCode: l.type, status: l.status,
        issuedOn: l.issuedAt.slice(0, 10), validUntil: l.validTo,
      }));
    },
  };
}

/** 联合惩戒 at submission: a listed applicant asking for 告知承诺 is refused with the list entry. */
export function restrictionsFrom(supervision: SupervisionService): ApplicantRestrictions {
  return {
    async check(applicant, matter, fastTrack) {
      if (!fastTrack) return { allowed: true };
      const who = applicant.kind === 'company' ? { companyId: applicant.companyId } : { personId: applicant.personId };
      const hit = await supervision.lists.fastTrackRestriction(who, 'commitment', { matterCode: matter.code });
      if (!hit) return { allowed: true };
      return {
        allowed: false,
        reason: `${hit.reason}（${hit.entry.listName}：${hit.entry.reason}；依据：${hit.entry.legalBasis}；列入机关：${hit.entry.department}）`,
        details: [{ message: hit.reason, restriction: hit.restriction, listEntry: hit.entry }],
      };
    },
  };
}

/** 审批即发证: an approval issues the matter's result licence, inside the approval's transaction. */
export function resultLicencesFrom(licences: LicenceServices): ResultLicences {
  return { issueFor: (application, trx) => licences.results.issue(application, trx) };
}

/**
 * For the status-list job: a node's current signed list for one authority, fetched from the
 * node's address on the exchange peer list (undefined when the node is not an active peer).
 * The answer is only trusted after the licences module checks its seal against the trust list.
 */
export function peerStatusLists(exchange: ExchangeService, timeoutMs = 5_000): (nodeId: string, uscc: string) => Promise<unknown> {
  return async (nodeId, uscc) => {
    const peer = (await exchange.trust.peers()).find((p) => p.node_id === nodeId && p.status === 'active');
    if (!peer) return undefined;
    const res = await fetch(`${peer.base_url.replace(/\/+$/, '')}/api/v1/licences/status-lists/${encodeURIComponent(uscc)}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`${peer.base_url} answered HTTP ${res.status}`);
    return res.json();
  };
}
