/**
 * PostgreSQL itself restarted under load: while it is down the server answers 503 (never 500),
 * and afterwards it serves again without a restart of its own. Restarting the shared server breaks
 * every other test running on the machine, so this runs only when asked:
 *   TONGBAN_FAULTS_PG_RESTART=1 npx vitest run test/faults/pg-restart.test.ts
 * (as a user allowed to run `pg_ctlcluster`; TONGBAN_PG_RESTART_CMD overrides the command).
 * test/faults/db-unavailable.test.ts covers the same behaviour in `npm test` through a proxy.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/app.js';
import { login, startServer, type ServerProcess } from './support.js';

const ENABLED = process.env.TONGBAN_FAULTS_PG_RESTART === '1';

function restartCommand(): string {
  if (process.env.TONGBAN_PG_RESTART_CMD) return process.env.TONGBAN_PG_RESTART_CMD;
  const version = fs.readdirSync('/etc/postgresql').sort().at(-1);
  return `pg_ctlcluster --skip-systemctl-redirect ${version} main restart -m fast`;
}

let tdb: TestDatabase;
let server: ServerProcess | undefined;

describe.skipIf(!ENABLED)('PostgreSQL restarted under load', () => {
  beforeAll(async () => { tdb = await createTestDatabase(true); });
  afterAll(async () => {
    await server?.stop('SIGTERM');
    await tdb?.drop();
  });

  it('answers only 2xx or 503 throughout, and recovers by itself', async () => {
    server = await startServer(tdb.url);
    const token = await login(server.url, 'citizen1');
    const statuses = new Map<number, number>();
    let stop = false;
    const lane = async () => {
      while (!stop) {
        const res = await fetch(`${server!.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
        if (res) {
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 400) expect((await res.json()).error.code).toBe('SERVICE_UNAVAILABLE');
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, lane));
    await new Promise((r) => setTimeout(r, 1000));
    execSync(restartCommand(), { stdio: 'inherit' });
    // Recovery: the same process serves /api/v1/me again within 30 s.
    const deadline = Date.now() + 30_000;
    let ok = false;
    while (!ok && Date.now() < deadline) {
      ok = (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status === 200;
      if (!ok) await new Promise((r) => setTimeout(r, 250));
    }
    stop = true;
    await load;
    expect(ok).toBe(true);
    expect([...statuses.keys()].every((s) => s === 200 || s === 503), JSON.stringify([...statuses])).toBe(true);
    expect(server.proc.exitCode).toBeNull();
  }, 120_000);
});
