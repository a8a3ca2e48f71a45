/**
 * The audit trail: every change and every privileged read, hash-chained with SM3 so that an
 * edited or deleted row breaks the chain, and the chain head signed with the node's SM2 key
 * at intervals. Writers only insert the entry and queue it (no lock, so audited writes run in
 * parallel); one chainer at a time links queued entries into the chain in batches
 * (`chainPending`, a scheduler job every 250 ms, and first thing in `verify`/`signHead`).
 */
import type { RawBuilder } from 'kysely';
import type { Keyset } from '../../platform/db/keyset.js';
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { sm2Verify, sm3Hex } from '../../platform/crypto/sm.js';
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import type { Actor } from '../../platform/access/policy.js';
import { AuditRepository, type AuditEntryRow, type DataAccessRow } from './repository.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Entries chained per transaction: large enough to amortise a commit, small enough to stay short. */
const CHAIN_BATCH = 1000;

export interface AuditEntry {
  /** User id, or a system name such as `system:scheduler` or `node:sh`. */
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  detail?: Record<string, unknown>;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  signedHeads: number;
  firstBroken?: { seq: number; reason: string };
}

export interface DataAccessRecord {
  subjectPersonId: string;
  actor: Pick<Actor, 'userId' | 'label' | 'department'> | { userId: null; label: string; department?: string };
  purpose: string;
  fields: string[];
  /** Node the reader sits on (this node unless the read came over the exchange). */
  node?: string;
}

/** The chain's hash of an entry at chain position `row.seq` (the formula predates decoupled chaining). */
export function entryHash(prevHash: string, row: Omit<AuditEntryRow, 'id'> & { seq: number }): string {
  return sm3Hex(prevHash + canonicalJson({
    seq: row.seq, at: row.at.toISOString(), node: row.node_id, actor: row.actor, action: row.action,
    entityType: row.entity_type, entityId: row.entity_id, detail: row.detail,
  }));
}

export class AuditService {
  private readonly repo = new AuditRepository();

  constructor(
    private readonly db: Executor,
    private readonly nodeId: string,
    private readonly keys: NodeKeyStore,
  ) {}

  /**
   * Writes one entry and queues it for chaining; returns the entry's id (its chain position is
   * assigned later). Pass the caller's transaction so the entry commits with the change.
   */
  async append(entry: AuditEntry, trx: Executor = this.db): Promise<number> {
    return this.repo.insertPending(trx, this.row(entry));
  }

  /**
   * The same entry as `append` writes, as SQL for a `WITH` clause of the caller's own statement
   * (two named CTEs, `audit_entry` and `audit_queued`): the entry commits with that statement,
   * and a write that is one statement needs no transaction and costs one round trip.
   */
  appendCtes(entry: AuditEntry): RawBuilder<unknown> {
    return this.repo.pendingInsertCtes(this.row(entry));
  }

  private row(entry: AuditEntry) {
    return {
      at: new Date(),
      node_id: this.nodeId,
      actor: entry.actor,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      detail: entry.detail ?? {},
    };
  }

  /** Several entries in one statement, all in the caller's transaction (a batch of filings). */
  async appendMany(entries: readonly AuditEntry[], trx: Executor): Promise<void> {
    const at = new Date();
    await this.repo.insertPendingMany(trx, entries.map((e) => ({
      at, node_id: this.nodeId, actor: e.actor, action: e.action, entity_type: e.entityType, entity_id: e.entityId, detail: e.detail ?? {},
    })));
  }

  /**
   * Links every committed queued entry into the chain, in entry-id order, a batch per
   * transaction; returns how many were chained. Safe to call from several processes at once:
   * the chain lock lets one extend the chain at a time (writers never take it).
   */
  async chainPending(): Promise<number> {
    let chained = 0;
    for (;;) {
      const n = await inTransaction(this.db, async (t) => {
        await this.repo.lockChain(t);
        const batch = await this.repo.pendingBatch(t, CHAIN_BATCH);
        if (batch.length === 0) return 0;
        const head = await this.repo.head(t);
        let seq = head?.seq ?? 0;
        let prev = head?.hash ?? GENESIS_HASH;
        const links = batch.map((entry) => {
          seq += 1;
          const hash = entryHash(prev, { ...entry, seq });
          const link = { chain_seq: seq, entry_id: entry.id, prev_hash: prev, hash };
          prev = hash;
          return link;
        });
        await this.repo.insertLinks(t, links);
        return links.length;
      });
      chained += n;
      if (n < CHAIN_BATCH) return chained;
    }
  }

  /** Records a read of a person's data for the person to see, and chains it into the audit log. */
  async recordDataAccess(record: DataAccessRecord, trx: Executor = this.db): Promise<void> {
    await inTransaction(trx, async (t) => {
      await this.repo.insertDataAccess(t, {
        subject_person_id: record.subjectPersonId,
        actor_user_id: record.actor.userId,
        actor_label: record.actor.label,
        actor_department: record.actor.department ?? null,
        actor_node: record.node ?? this.nodeId,
        purpose: record.purpose,
        fields: record.fields,
      });
      await this.append({
        actor: record.actor.userId ?? record.actor.label,
        action: 'person.data.read',
        entityType: 'person',
        entityId: record.subjectPersonId,
        detail: { purpose: record.purpose, fields: record.fields, node: record.node ?? this.nodeId },
      }, t);
    });
  }

  listDataAccess(personId: string, limit: number, before?: Keyset) {
    return this.repo.listDataAccess(this.db, personId, limit, before);
  }

  list(filter: { entityType?: string; entityId?: string; beforeId?: number; limit: number }) {
    return this.repo.list(this.db, filter);
  }

  /** Chains what is queued, then signs the head unless it is already signed; returns the signed seq, if any. */
  async signHead(): Promise<number | undefined> {
    await this.chainPending();
    const head = await this.repo.head(this.db);
    if (!head) return undefined;
    const last = await this.repo.lastSignedHead(this.db);
    if (last && last.seq >= head.seq) return last.seq;
    const { keyId, signatureHex } = await this.keys.sign('audit', headMessage(this.nodeId, head.seq, head.hash));
    await this.repo.insertHead(this.db, { seq: head.seq, hash: head.hash, key_id: keyId, signature: signatureHex });
    return head.seq;
  }

  /**
   * Chains what is queued, then recomputes the whole chain from the entries; names the first
   * chain position whose entry was changed or removed, a link that is missing, signed heads the
   * chain no longer reaches, and entries that were taken off the queue without being chained.
   */
  async verify(batchSize = 5000): Promise<VerifyResult> {
    await this.chainPending();
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    const hashes = new Map<number, string>();
    const heads = await this.repo.heads(this.db);
    const headSeqs = new Set(heads.map((h) => h.seq));
    const broken = (seq: number, reason: string): VerifyResult =>
      ({ ok: false, entries: expectedSeq - 1, signedHeads: heads.length, firstBroken: { seq, reason } });
    for (;;) {
      const links = await this.repo.linksAfter(this.db, expectedSeq - 1, batchSize);
      if (links.length === 0) break;
      for (const link of links) {
        if (link.chain_seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing (next present is ${link.chain_seq})`);
        if (!link.entry) return broken(expectedSeq, `entry ${expectedSeq} is missing (its record ${link.entry_id} was deleted)`);
        if (link.prev_hash !== prev) return broken(expectedSeq, 'previous-hash link does not match the entry before it');
        if (entryHash(prev, { ...link.entry, seq: link.chain_seq }) !== link.hash) {
          return broken(expectedSeq, 'content does not match its hash (the row was edited)');
        }
        if (headSeqs.has(link.chain_seq)) hashes.set(link.chain_seq, link.hash);
        prev = link.hash;
        expectedSeq += 1;
      }
    }
    const entries = expectedSeq - 1;
    for (const h of heads) {
      if (h.seq > entries) {
        return broken(entries + 1, `signed head ${h.seq} is beyond the last entry: entries were deleted from the end`);
      }
      const key = await this.keys.findKey(h.key_id);
      const sigOk = key && sm2Verify(headMessage(key.nodeId, h.seq, h.hash), h.signature, key.publicKeyHex);
      if (!sigOk || hashes.get(h.seq) !== h.hash) return broken(h.seq, 'signed chain head does not match the chain');
    }
    const orphan = await this.repo.firstOrphan(this.db);
    if (orphan) {
      return broken(entries + 1, `entry record ${orphan.id} (${orphan.at.toISOString()}) was never chained and is no longer queued`);
    }
    return { ok: true, entries, signedHeads: heads.length };
  }
}

function headMessage(nodeId: string, seq: number, hash: string): string {
  return canonicalJson({ type: 'tongban.audit-head', node: nodeId, seq, hash });
}
