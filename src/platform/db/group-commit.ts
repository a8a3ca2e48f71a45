/**
 * Group commit: transactions that arrive while one is running share the next one, so N
 * concurrent writers pay one commit (one WAL flush) instead of N. Each piece of work runs in
 * full, in arrival order, inside the shared transaction, and is resolved only after it commits.
 * If any piece fails, the whole batch is rolled back and each piece is run again in a
 * transaction of its own, so one failure never takes the others with it (pieces must therefore
 * keep their effects inside the transaction they are given — as every repository write does).
 */
import type { Transaction } from 'kysely';
import { inTransaction, type Executor } from './database.js';

type Work<T> = (trx: Transaction<any>) => Promise<T>;
interface Item { work: Work<unknown>; resolve(value: unknown): void; reject(err: unknown): void }

export class GroupCommit {
  private queue: Item[] = [];
  private draining = false;

  constructor(private readonly db: Executor, private readonly maxBatch = 64) {}

  run<T>(work: Work<T>): Promise<T> {
    // Inside a caller's transaction there is nothing to group: it commits with the caller.
    if (this.db.isTransaction) return inTransaction(this.db, work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        if (batch.length === 1) {
          await settle(batch[0]!, inTransaction(this.db, batch[0]!.work));
          continue;
        }
        let results: unknown[] | undefined;
        try {
          results = await inTransaction(this.db, async (trx) => {
            const out: unknown[] = [];
            for (const item of batch) out.push(await item.work(trx));
            return out;
          });
        } catch {
          for (const item of batch) await settle(item, inTransaction(this.db, item.work));
          continue;
        }
        batch.forEach((item, i) => item.resolve(results![i]));
      }
    } finally {
      this.draining = false;
    }
  }
}

async function settle(item: Item, outcome: Promise<unknown>): Promise<void> {
  try {
    item.resolve(await outcome);
  } catch (err) {
    item.reject(err);
  }
}
