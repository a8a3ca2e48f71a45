/**
 * Group commit for writes of one kind: items that arrive while a batch is being written share
 * the next one, written by the caller's `write` (typically one multi-row statement per table)
 * in one transaction with one commit. Under load N concurrent writers then pay a handful of
 * round trips and one WAL flush between them instead of N times as many; alone, an item is
 * written at once (nothing waits for company).
 *
 * Each item gets its own outcome:
 * - `write` answers one result per item, in order; an item it could not write without failing
 *   the statement (a duplicate key under ON CONFLICT DO NOTHING, say) is that item's result to
 *   describe, not an error.
 * - A result is handed out only after the commit: an acknowledged item is never lost.
 * - If the batch fails with an error PostgreSQL raised (the transaction is then rolled back,
 *   nothing of it survives), each item is written again in a transaction of its own, so one bad
 *   item fails alone.
 * - If the connection is lost, whether the commit happened is unknown: every item of the batch
 *   gets the error (a 503; a client retrying with its Idempotency-Key gets its answer) rather
 *   than a second write that could file twice.
 */
import type { Transaction } from 'kysely';
import { inTransaction, type Executor } from './database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BatchWrite<I, R> = (trx: Transaction<any>, items: readonly I[]) => Promise<R[]>;

interface Pending<I, R> { item: I; resolve(value: R): void; reject(err: unknown): void }

export interface BatchCommitOptions {
  /** Most items written in one batch. */
  maxBatch?: number;
  /** Batches written at once (each holds one pooled connection). */
  concurrency?: number;
}

export class BatchCommit<I, R> {
  private readonly queue: Pending<I, R>[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(private readonly db: Executor, private readonly write: BatchWrite<I, R>, opts: BatchCommitOptions = {}) {
    this.maxBatch = opts.maxBatch ?? 64;
    this.concurrency = opts.concurrency ?? 1;
  }

  run(item: I): Promise<R> {
    // Inside a caller's transaction there is nothing to group: it commits with the caller.
    if (this.db.isTransaction) return inTransaction(this.db, (trx) => this.write(trx, [item])).then(only);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async commit(batch: Pending<I, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await inTransaction(this.db, (trx) => this.write(trx, batch.map((p) => p.item)));
      if (results.length !== batch.length) throw new Error(`batch write answered ${results.length} results for ${batch.length} items`);
    } catch (err) {
      if (batch.length === 1 || !rolledBack(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      // Rolled back as a whole: each item again on its own, so only the failing one fails.
      for (const p of batch) {
        try {
          p.resolve(only(await inTransaction(this.db, (trx) => this.write(trx, [p.item]))));
        } catch (e) {
          p.reject(e);
        }
      }
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }
}

function only<R>(results: R[]): R {
  if (results.length !== 1) throw new Error(`batch write answered ${results.length} results for 1 item`);
  return results[0]!;
}

/**
 * True when PostgreSQL itself refused a statement (a SQLSTATE), so the transaction was rolled
 * back for certain; false for a lost connection (class 08, an administrator's shutdown or
 * termination, or a driver error without a SQLSTATE), after which the commit may or may not
 * have happened.
 */
export function rolledBack(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return !code.startsWith('08') && !['57P01', '57P02', '57P03'].includes(code);
}
