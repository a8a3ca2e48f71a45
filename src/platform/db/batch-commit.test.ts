/** Batch commit: concurrent items share a write, each answered with its own result or error. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.js';
import { BatchCommit, rolledBack } from './batch-commit.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(false);
  await sql`CREATE TABLE bc_items (n integer PRIMARY KEY, label text NOT NULL)`.execute(t.database.db);
});
afterAll(async () => { await t?.drop(); });

const rows = async () => (await sql<{ n: number }>`SELECT n FROM bc_items ORDER BY n`.execute(t.database.db)).rows.map((r) => r.n);

/** One multi-row INSERT per batch; a taken number is skipped (answered null), like an idempotency key. */
const skipping = (db = t.database.db, writes: number[] = []) => new BatchCommit<number, number | null>(db, async (trx, items) => {
  writes.push(items.length);
  const { rows: done } = await sql<{ n: number }>`
    INSERT INTO bc_items (n, label) SELECT n, 'x' FROM unnest(${items}::int[]) AS n ON CONFLICT (n) DO NOTHING RETURNING n`.execute(trx);
  const filed = new Set(done.map((r) => r.n));
  return items.map((n) => (filed.has(n) ? n * 10 : null));
});

describe('BatchCommit', () => {
  it('writes concurrent items together and answers each with its own result', async () => {
    const writes: number[] = [];
    const bc = skipping(t.database.db, writes);
    const out = await Promise.all(Array.from({ length: 30 }, (_, i) => bc.run(i)));
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * 10));
    expect(await rows()).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // Shared: far fewer writes than items (the first goes alone, the rest wait for it together).
    expect(writes.length).toBeLessThan(30);
  });

  it('an item the write skips (a taken key) is answered as such; its batch is committed', async () => {
    const bc = skipping();
    expect(await Promise.all([100, 5, 101, 100].map((n) => bc.run(n)))).toEqual([1000, null, 1010, null]);
    expect((await rows()).filter((n) => n >= 100)).toEqual([100, 101]);
  });

  it('an item that fails the statement fails alone: the others are written again and committed', async () => {
    // A label of NULL violates NOT NULL: PostgreSQL refuses the whole multi-row statement.
    const bc = new BatchCommit<{ n: number; label: string | null }, number>(t.database.db, async (trx, items) => {
      await sql`INSERT INTO bc_items (n, label) SELECT * FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS x(n int, label text)`.execute(trx);
      return items.map((i) => i.n);
    });
    const results = await Promise.allSettled([200, 201, 202, 203].map((n) => bc.run({ n, label: n === 202 ? null : 'ok' })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(((results[2] as PromiseRejectedResult).reason as { code: string }).code).toBe('23502');
    expect((await rows()).filter((n) => n >= 200)).toEqual([200, 201, 203]);
  });

  it('after a lost connection nothing is written twice: every item of the batch gets the error', async () => {
    let calls = 0;
    const bc = new BatchCommit<number, number>(t.database.db, async (trx, items) => {
      calls++;
      if (items.length > 1) {
        // The server ends this session mid-batch, as a restart or a network cut would.
        await sql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(trx);
      }
      return [...items];
    });
    const first = bc.run(1); // alone: written at once
    const batch = [2, 3, 4].map((n) => bc.run(n)); // together, while the first is in flight
    expect(await first).toBe(1);
    const settled = await Promise.allSettled(batch);
    expect(settled.every((r) => r.status === 'rejected')).toBe(true);
    expect(rolledBack((settled[0] as PromiseRejectedResult).reason)).toBe(false);
    expect(calls).toBe(2);
  });
});
