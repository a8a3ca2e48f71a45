/**
 * The audit chain: every change recorded, rows cannot be changed through the application's
 * connection, entries written in parallel are all chained exactly once, and `audit verify` finds
 * an edited, deleted, cut-off, unchained or re-signed entry.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { inTransaction } from '../../platform/db/database.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { TEST_MASTER_KEY } from '../../../test/support/pg.js';

const run = promisify(execFile);
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

/** Bypasses the append-only triggers as a database owner could, to play the attacker. */
async function asOwner(app: TestApp, table: 'audit_log' | 'audit_chain', statement: ReturnType<typeof sql>) {
  const db = app.tdb.database.db;
  await sql`ALTER TABLE ${sql.table(table)} DISABLE TRIGGER USER`.execute(db);
  try { await statement.execute(db); } finally { await sql`ALTER TABLE ${sql.table(table)} ENABLE TRIGGER USER`.execute(db); }
}

const entryAt = (chainSeq: number) => sql`(SELECT entry_id FROM audit_chain WHERE chain_seq = ${chainSeq})`;

const cliVerify = async () => {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'audit', 'verify'], {
      env: { ...process.env, DATABASE_URL: t.tdb.url, TONGBAN_MASTER_KEY: TEST_MASTER_KEY, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
};

describe('audit chain', () => {
  it('records sign-ins and changes with actor and action', async () => {
    await t.call('PUT', '/api/v1/me/phone', { as: 'citizen1', body: { phone: '13800000009', version: (await t.call('GET', '/api/v1/me', { as: 'citizen1' })).json().person.version } });
    const entries = (await t.call('GET', '/api/v1/audit?limit=10', { as: 'admin' })).json().items;
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'person.phone.update']));
    expect((await t.call('GET', '/api/v1/audit', { as: 'citizen1' })).statusCode).toBe(403);
  });

  it('verifies intact, with a signed head', async () => {
    expect(await t.services.audit.signHead()).toBeGreaterThan(0);
    const res = (await t.call('GET', '/api/v1/audit/verify', { as: 'admin' })).json();
    expect(res).toMatchObject({ ok: true, signedHeads: 1 });
    expect(res.entries).toBeGreaterThan(2);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows from the application\'s connection', async () => {
    const db = t.tdb.database.db;
    await t.services.audit.chainPending();
    await expect(sql`UPDATE audit_log SET actor = 'x' WHERE id = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE id = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_chain SET hash = 'x' WHERE chain_seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_chain WHERE chain_seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_chain`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM data_access_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('chains every entry written by parallel transactions exactly once, while chainers run alongside', async () => {
    const db = t.tdb.database.db;
    const writers = Array.from({ length: 40 }, (_, i) => inTransaction(db, async (trx) => {
      await sql`SELECT pg_sleep(${(i % 5) / 100})`.execute(trx);
      return t.services.audit.append({ actor: 'test', action: 'test.parallel', entityType: 'test', entityId: String(i) }, trx);
    }));
    const chainers = Array.from({ length: 4 }, () => t.services.audit.chainPending());
    const ids = await Promise.all(writers);
    await Promise.all(chainers);
    expect(new Set(ids).size).toBe(40);

    const result = await t.services.audit.verify();
    expect(result.ok).toBe(true);
    const { rows } = await sql<{ entry_id: number; n: number }>`
      SELECT entry_id, count(*)::int AS n FROM audit_chain WHERE entry_id = ANY(${ids}) GROUP BY entry_id`.execute(db);
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_pending`.execute(db)).rows[0]!.n).toBe(0);

    // The listing shows each entry with its place in the chain.
    const listed = (await t.call('GET', '/api/v1/audit?entityType=test&limit=50', { as: 'admin' })).json().items;
    expect(listed).toHaveLength(40);
    expect(listed.every((e: { seq: number | null; hash: string | null }) => e.seq !== null && /^[0-9a-f]{64}$/.test(e.hash ?? ''))).toBe(true);
  });

  it('lists an entry that is not chained yet without a chain position', async () => {
    const fresh = await startTestApp();
    try {
      await fresh.services.audit.append({ actor: 'test', action: 'test.pending', entityType: 'test', entityId: 'p1' });
      const [item] = (await fresh.call('GET', '/api/v1/audit?entityType=test', { as: 'admin' })).json().items;
      expect(item).toMatchObject({ action: 'test.pending', seq: null, hash: null });
    } finally {
      await fresh.close();
    }
  });

  it('`audit verify` exits 0 on an intact chain and 1 naming the first edited entry', async () => {
    const ok = await cliVerify();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit chain OK/);

    // A database owner could bypass the trigger; the chain still gives it away.
    await asOwner(t, 'audit_log', sql`UPDATE audit_log SET detail = '{"phone":"forged"}'::jsonb WHERE id = ${entryAt(2)}`);

    const broken = await cliVerify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at entry 2: .*edited/);
  });

  it('names a deleted entry and a deleted chain link', async () => {
    const fresh = await startTestApp();
    try {
      await fresh.call('GET', '/api/v1/me', { as: 'citizen1' });
      await fresh.call('GET', '/api/v1/me', { as: 'citizen2' });
      await fresh.services.audit.chainPending();
      await asOwner(fresh, 'audit_log', sql`DELETE FROM audit_log WHERE id = ${entryAt(2)}`);
      const result = await fresh.services.audit.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({ seq: 2 });
      expect(result.firstBroken!.reason).toMatch(/missing/);

      await asOwner(fresh, 'audit_chain', sql`DELETE FROM audit_chain WHERE chain_seq = 1`);
      const gap = await fresh.services.audit.verify();
      expect(gap.firstBroken).toMatchObject({ seq: 1 });
      expect(gap.firstBroken!.reason).toMatch(/missing/);
    } finally {
      await fresh.close();
    }
  });

  it('detects entries cut from the end after a head was signed', async () => {
    const fresh = await startTestApp();
    try {
      await fresh.call('GET', '/api/v1/me', { as: 'citizen1' });
      await fresh.call('GET', '/api/v1/me', { as: 'citizen2' });
      const signed = await fresh.services.audit.signHead();
      await asOwner(fresh, 'audit_log', sql`DELETE FROM audit_log WHERE id = ${entryAt(signed!)}`);
      await asOwner(fresh, 'audit_chain', sql`DELETE FROM audit_chain WHERE chain_seq = ${signed!}`);
      const result = await fresh.services.audit.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken!.reason).toMatch(/deleted from the end/);
    } finally {
      await fresh.close();
    }
  });

  it('detects an entry taken off the chaining queue before it was chained', async () => {
    const fresh = await startTestApp();
    try {
      expect((await fresh.services.audit.verify()).ok).toBe(true);
      const id = await fresh.services.audit.append({ actor: 'test', action: 'test.hidden', entityType: 'test', entityId: 'h1' });
      // The queue is the one audit table rows may be deleted from: no trigger to bypass.
      await sql`DELETE FROM audit_pending WHERE entry_id = ${id}`.execute(fresh.tdb.database.db);
      const result = await fresh.services.audit.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken!.reason).toMatch(new RegExp(`record ${id} .*never chained`));
    } finally {
      await fresh.close();
    }
  });
});
