/**
 * Signed status lists for offline verifiers: per issuing authority, one bit per licence
 * (1 = not valid), gzip-compressed and sealed, re-signed in the same transaction as every
 * change. Lists from trusted nodes are imported (their seal checked against the trust list)
 * so that their licences' revocation is checked here without calling back.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { requirePermission, type Actor } from '../../platform/access/policy.js';
import type { AuditService } from '../audit/service.js';
import { LicenceRepository, type AuthorityRow } from './repository.js';
import { base64ToDerHex, decodeStatusBits, derHexToBase64, encodeStatusBits, MIN_STATUS_LIST_BITS, statusBit, type Seal } from './seal.js';
import type { TrustService } from './trust.js';
import { STATUS_LIST_DOC_TYPE, type StatusListDocument } from './document.js';

export interface SignedStatusList { list: StatusListDocument; seal: Seal }

const STATUS_CACHE_MS = 2_000;

export class StatusLists {
  private readonly repo = new LicenceRepository();
  /**
   * Decoded bitstrings by node/authority (undefined: no list held). Verification is hot, so
   * lists are read from the database at most every STATUS_CACHE_MS; a change made by this
   * process drops its entry at once, one made by another process is seen within that time.
   */
  private decoded = new Map<string, { bits: Uint8Array | undefined; until: number }>();

  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly audit: AuditService,
    private readonly trust: TrustService,
  ) {}

  /** Rebuilds and re-signs the authority's list; call inside the transaction that changed a status. */
  async refresh(trx: Executor, authority: AuthorityRow): Promise<void> {
    const allocated = await this.repo.lockAuthority(trx, authority.uscc);
    const size = Math.max(MIN_STATUS_LIST_BITS, Math.ceil(allocated / MIN_STATUS_LIST_BITS) * MIN_STATUS_LIST_BITS);
    const list: StatusListDocument = {
      type: STATUS_LIST_DOC_TYPE, node: this.nodeId, issuer: { uscc: authority.uscc, name: authority.name }, size,
      encoding: 'gzip-base64', bits: encodeStatusBits(await this.repo.notValidIndexes(trx, authority.uscc), size), updatedAt: new Date().toISOString(),
    };
    const seal = await this.trust.seal(list, trx);
    this.decoded.delete(`${this.nodeId}/${authority.uscc}`);
    await this.repo.upsertStatusList(trx, {
      node_id: this.nodeId, authority_uscc: authority.uscc, list_json: JSON.stringify(list), key_id: seal.keyId, signature: base64ToDerHex(seal.signature)!,
    });
  }

  async get(nodeId: string, uscc: string): Promise<SignedStatusList | undefined> {
    const row = await this.repo.statusList(this.db, nodeId, uscc);
    return row && { list: JSON.parse(row.list_json) as StatusListDocument, seal: { alg: 'SM2-SM3', keyId: row.key_id, signature: derHexToBase64(row.signature) } };
  }

  /** The licence's bit in a list held here (own or imported), or undefined when no list is held. */
  async bitFor(nodeId: string, uscc: string, index: number): Promise<boolean | undefined> {
    const cacheKey = `${nodeId}/${uscc}`;
    let entry = this.decoded.get(cacheKey);
    if (!entry || entry.until <= Date.now()) {
      const row = await this.repo.statusList(this.db, nodeId, uscc);
      entry = { bits: row ? decodeStatusBits((JSON.parse(row.list_json) as StatusListDocument).bits) : undefined, until: Date.now() + STATUS_CACHE_MS };
      this.decoded.set(cacheKey, entry);
    }
    return entry.bits && statusBit(entry.bits, index);
  }

  /** Imports another node's signed list (administrators), after checking its seal and freshness. */
  async importList(actor: Actor | undefined, signed: { list: unknown; seal: Seal }): Promise<{ node: string; issuer: string; updatedAt: string }> {
    const a = requirePermission(actor, 'platform:admin');
    const list = await this.checkForeign(signed);
    const held = await this.get(list.node, list.issuer.uscc);
    if (held && held.list.updatedAt >= list.updatedAt) throw new AppError('KEY_INVALID', 'A list at least as new is already held (an older list would undo revocations)');
    await this.store(list, signed.seal, a.userId);
    return { node: list.node, issuer: list.issuer.uscc, updatedAt: list.updatedAt };
  }

  /**
   * Job `licences.status-lists.fetch`: asks each node whose list is held here for its current
   * list (through `fetchList`, which knows the peers' addresses) and keeps any newer one whose
   * seal holds. Only lists already held are followed — an administrator imports the first list
   * of an authority. A node that cannot be reached or answers badly is reported, not fatal.
   */
  async refreshForeign(fetchList: (nodeId: string, uscc: string) => Promise<unknown>): Promise<{ updated: string[]; failed: { list: string; reason: string }[] }> {
    const result: { updated: string[]; failed: { list: string; reason: string }[] } = { updated: [], failed: [] };
    for (const held of await this.repo.foreignStatusLists(this.db, this.nodeId)) {
      const name = `${held.node_id}/${held.authority_uscc}`;
      try {
        const fetched = await fetchList(held.node_id, held.authority_uscc) as { list: unknown; seal: Seal } | undefined;
        if (fetched === undefined) continue; // not a peer (any more): nothing to ask
        const list = await this.checkForeign(fetched);
        if (list.node !== held.node_id || list.issuer.uscc !== held.authority_uscc) throw new AppError('KEY_INVALID', `answered with the list of ${list.node}/${list.issuer.uscc}`);
        const current = await this.get(held.node_id, held.authority_uscc);
        if (current && current.list.updatedAt >= list.updatedAt) continue;
        await this.store(list, fetched.seal, 'system:status-lists');
        result.updated.push(name);
      } catch (err) {
        result.failed.push({ list: name, reason: (err as Error).message });
      }
    }
    return result;
  }

  /** The foreign list document, when it is one and its seal holds on the trust list. */
  private async checkForeign(signed: { list: unknown; seal: Seal } | null): Promise<StatusListDocument & { node: string; issuer: { uscc: string } }> {
    const list = signed?.list as Partial<StatusListDocument> | null;
    if (!signed || !list || list.type !== STATUS_LIST_DOC_TYPE || typeof list.node !== 'string' || typeof list.issuer?.uscc !== 'string' || typeof list.updatedAt !== 'string' || typeof list.bits !== 'string') {
      throw new AppError('KEY_INVALID', `The document is not a ${STATUS_LIST_DOC_TYPE}`);
    }
    if (list.node === this.nodeId) throw new AppError('KEY_INVALID', "This node's own lists are not imported");
    const check = await this.trust.sealProblems(list, signed.seal ?? {}, new Date(list.updatedAt), list.node);
    if (check.reasons.length) throw new AppError('KEY_INVALID', `The status list's seal does not hold: ${check.reasons.join('; ')}`);
    try { decodeStatusBits(list.bits); } catch { throw new AppError('KEY_INVALID', 'The status list bits are not gzip-compressed base64'); }
    return list as StatusListDocument & { node: string; issuer: { uscc: string } };
  }

  private async store(list: StatusListDocument, seal: Seal, actorId: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await this.repo.upsertStatusList(trx, {
        node_id: list.node, authority_uscc: list.issuer.uscc, list_json: JSON.stringify(list), key_id: seal.keyId, signature: base64ToDerHex(seal.signature)!,
      });
      this.decoded.delete(`${list.node}/${list.issuer.uscc}`);
      await this.audit.append({ actor: actorId, action: 'trust.status-list.import', entityType: 'status-list', entityId: `${list.node}/${list.issuer.uscc}`, detail: { updatedAt: list.updatedAt } }, trx);
    });
  }
}
