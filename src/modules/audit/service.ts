/**
 * The audit trail: every change and every privileged read, hash-chained with SM3 so that an
 * edited or deleted row breaks the chain, and the chain head signed with the node's SM2 key
 * at intervals. Appends take a transaction-level lock so the chain has one order; callers
 * append inside their own transaction, as late as possible, so the lock is held briefly.
 */
import type { Executor } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/database.js';
import { canonicalJson } from '../../platform/crypto/canonical.js';
import { sm2Verify, sm3Hex } from '../../platform/crypto/sm.js';
import type { NodeKeyStore } from '../../platform/crypto/node-keys.js';
import type { Actor } from '../../platform/access/policy.js';
import { AuditRepository, type AuditRow, type DataAccessRow } from './repository.js';

export const GENESIS_HASH = '0'.repeat(64);

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

export function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
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

  /** Appends one entry; pass the caller's transaction so the entry commits with the change. */
  async append(entry: AuditEntry, trx: Executor = this.db): Promise<number> {
    return inTransaction(trx, async (t) => {
      await this.repo.lockChain(t);
      const head = await this.repo.head(t);
      const base = {
        seq: (head?.seq ?? 0) + 1,
        at: new Date(),
        node_id: this.nodeId,
        actor: entry.actor,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        detail: entry.detail ?? {},
      };
      const prev = head?.hash ?? GENESIS_HASH;
      await this.repo.insert(t, { ...base, prev_hash: prev, hash: entryHash(prev, base) });
      return base.seq;
    });
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

  listDataAccess(personId: string, limit: number, before?: { at: Date; id: string }): Promise<DataAccessRow[]> {
    return this.repo.listDataAccess(this.db, personId, limit, before);
  }

  list(filter: { entityType?: string; entityId?: string; beforeSeq?: number; limit: number }) {
    return this.repo.list(this.db, filter);
  }

  /** Signs the current head unless it is already signed; returns the signed seq, if any. */
  async signHead(): Promise<number | undefined> {
    const head = await this.repo.head(this.db);
    if (!head) return undefined;
    const last = await this.repo.lastSignedHead(this.db);
    if (last && last.seq >= head.seq) return last.seq;
    const { keyId, signatureHex } = await this.keys.sign('audit', headMessage(this.nodeId, head.seq, head.hash));
    await this.repo.insertHead(this.db, { seq: head.seq, hash: head.hash, key_id: keyId, signature: signatureHex });
    return head.seq;
  }

  /** Recomputes the whole chain; names the first entry that was changed, removed or inserted. */
  async verify(batchSize = 5000): Promise<VerifyResult> {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    const hashes = new Map<number, string>();
    const heads = await this.repo.heads(this.db);
    const headSeqs = new Set(heads.map((h) => h.seq));
    for (;;) {
      const rows = await this.repo.batchAfter(this.db, expectedSeq - 1, batchSize);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.seq !== expectedSeq) {
          return { ok: false, entries: expectedSeq - 1, signedHeads: heads.length, firstBroken: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing (next present is ${row.seq})` } };
        }
        if (row.prev_hash !== prev) {
          return { ok: false, entries: expectedSeq - 1, signedHeads: heads.length, firstBroken: { seq: row.seq, reason: 'previous-hash link does not match the entry before it' } };
        }
        if (entryHash(prev, row) !== row.hash) {
          return { ok: false, entries: expectedSeq - 1, signedHeads: heads.length, firstBroken: { seq: row.seq, reason: 'content does not match its hash (the row was edited)' } };
        }
        if (headSeqs.has(row.seq)) hashes.set(row.seq, row.hash);
        prev = row.hash;
        expectedSeq += 1;
      }
    }
    const entries = expectedSeq - 1;
    for (const h of heads) {
      if (h.seq > entries) {
        return { ok: false, entries, signedHeads: heads.length, firstBroken: { seq: entries + 1, reason: `signed head ${h.seq} is beyond the last entry: entries were deleted from the end` } };
      }
      const key = await this.keys.findKey(h.key_id);
      const sigOk = key && sm2Verify(headMessage(key.nodeId, h.seq, h.hash), h.signature, key.publicKeyHex);
      if (!sigOk || hashes.get(h.seq) !== h.hash) {
        return { ok: false, entries, signedHeads: heads.length, firstBroken: { seq: h.seq, reason: 'signed chain head does not match the chain' } };
      }
    }
    return { ok: true, entries, signedHeads: heads.length };
  }
}

function headMessage(nodeId: string, seq: number, hash: string): string {
  return canonicalJson({ type: 'tongban.audit-head', node: nodeId, seq, hash });
}
