/** Group commit keeps each piece of work whole: all commit together, or a failing one fails alone. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.js';
import { GroupCommit } from './group-commit.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(false);
  await sql`CREATE TABLE gc_items (n integer PRIMARY KEY)`.execute(t.database.db);
});
afterAll(async () => { await t?.drop(); });

const rows = async () => (await sql<{ n: number }>`SELECT n FROM gc_items ORDER BY n`.execute(t.database.db)).rows.map((r) => r.n);

describe('GroupCommit', () => {
  it('commits concurrent pieces and answers each with its own result', async () => {
    const gc = new GroupCommit(t.database.db);
    const out = await Promise.all(Array.from({ length: 20 }, (_, n) => gc.run(async (trx) => {
      await trx.insertInto('gc_items').values({ n }).execute();
      return n * 2;
    })));
    expect(out).toEqual(Array.from({ length: 20 }, (_, n) => n * 2));
    expect(await rows()).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('fails only the piece that failed; the others of its batch are committed', async () => {
    const gc = new GroupCommit(t.database.db);
    const results = await Promise.allSettled([100, 101, 5, 102].map((n) => gc.run(async (trx) => {
      await trx.insertInto('gc_items').values({ n }).execute(); // 5 is already there
      return n;
    })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await rows()).filter((n) => n >= 100)).toEqual([100, 101, 102]);
  });
});
