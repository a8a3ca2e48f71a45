/**
 * The audit chain: every change recorded, rows cannot be changed through the application's
 * connection, and `audit verify` finds an edited, deleted or re-signed entry.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { TEST_MASTER_KEY } from '../../../test/support/pg.js';

const run = promisify(execFile);
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

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
    await expect(sql`UPDATE audit_log SET actor = 'x' WHERE seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM data_access_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('`audit verify` exits 0 on an intact chain and 1 naming the first edited entry', async () => {
    const ok = await cliVerify();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit chain OK/);

    // A database owner could bypass the trigger; the chain still gives it away.
    const db = t.tdb.database.db;
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(db);
    await sql`UPDATE audit_log SET detail = '{"phone":"forged"}'::jsonb WHERE seq = 2`.execute(db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(db);

    const broken = await cliVerify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at entry 2: .*edited/);
  });

  it('names a deleted entry', async () => {
    const db = t.tdb.database.db;
    const fresh = await startTestApp();
    try {
      await fresh.call('GET', '/api/v1/me', { as: 'citizen1' });
      await fresh.call('GET', '/api/v1/me', { as: 'citizen2' });
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(fresh.tdb.database.db);
      await sql`DELETE FROM audit_log WHERE seq = 1`.execute(fresh.tdb.database.db);
      const result = await fresh.services.audit.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({ seq: 1 });
      expect(result.firstBroken!.reason).toMatch(/missing/);
    } finally {
      await fresh.close();
    }
    expect(db).toBeDefined();
  });

  it('detects entries cut from the end after a head was signed', async () => {
    const fresh = await startTestApp();
    try {
      await fresh.call('GET', '/api/v1/me', { as: 'citizen1' });
      await fresh.call('GET', '/api/v1/me', { as: 'citizen2' });
      const signed = await fresh.services.audit.signHead();
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(fresh.tdb.database.db);
      await sql`DELETE FROM audit_log WHERE seq = ${signed!}`.execute(fresh.tdb.database.db);
      const result = await fresh.services.audit.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken!.reason).toMatch(/deleted from the end/);
    } finally {
      await fresh.close();
    }
  });
});
