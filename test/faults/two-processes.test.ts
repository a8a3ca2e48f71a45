/**
 * Two server processes on one PostgreSQL: a session made on one works on the other (and ends on
 * both at logout), and a scheduled job never runs in two processes at the same time. (Each process
 * still runs a cluster job on its own timer, one after the other: such jobs must be idempotent;
 * a once-per-interval job runs once per interval for both together; a process job in each.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/platform/db/database.js';
import { Scheduler } from '../../src/platform/jobs/scheduler.js';
import { createTestDatabase, type TestDatabase } from '../support/app.js';
import { login, startServer, type ServerProcess } from './support.js';

let tdb: TestDatabase;
const servers: ServerProcess[] = [];

beforeAll(async () => { tdb = await createTestDatabase(true); });
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGTERM')));
  await tdb?.drop();
});

describe('two server processes on one database', () => {
  it('accepts a token from one process on the other, and a logout on either ends it on both', async () => {
    const env = { TONGBAN_AUDIT_SIGN_INTERVAL: '1' };
    const [a, b] = await Promise.all([startServer(tdb.url, env), startServer(tdb.url, env)]);
    servers.push(a!, b!);
    const token = await login(a!.url, 'citizen1');
    const me = (url: string) => fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me(b!.url)).status).toBe(200);
    expect((await me(a!.url)).status).toBe(200);
    // Writes through both while both sign the audit head every second.
    for (let i = 0; i < 5; i++) await login(i % 2 ? a!.url : b!.url, 'official1');
    await new Promise((r) => setTimeout(r, 2500));
    const out = await fetch(`${b!.url}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    expect((await me(a!.url)).status).toBe(401);
    expect((await me(b!.url)).status).toBe(401);
    // Neither process logged a failed background job (a doubly signed head would be one).
    for (const s of [a!, b!]) expect(s.output()).not.toMatch(/background job failed/);
  }, 180_000);

  it('runs a job in one process at a time, never in both at once', async () => {
    // Two schedulers on two pools behave as two processes do towards PostgreSQL's advisory locks.
    const pools: Database[] = [await openPostgres(tdb.url, 2), await openPostgres(tdb.url, 2)];
    const runs: Array<{ at: number; process: number }> = [];
    let running = 0;
    let overlap = 0;
    const schedulers = pools.map((db, i) => {
      const s = new Scheduler(db, { error: () => {} });
      s.every('test.probe', 400, async () => {
        running += 1;
        if (running > 1) overlap += 1;
        runs.push({ at: Date.now(), process: i });
        await new Promise((r) => setTimeout(r, 150));
        running -= 1;
      });
      return s;
    });
    
    for (const s of schedulers) s.start();
    await new Promise((r) => setTimeout(r, 4000));
    await Promise.all(schedulers.map((s) => s.stop()));
    
    await Promise.all(pools.map((p) => p.close()));
    expect(overlap).toBe(0);
    // The job kept running: the lock excludes a second run, it does not block the job.
    expect(runs.length).toBeGreaterThan(3);
  }, 60_000);

  it('runs a once-per-interval job once per interval across both processes, and a process job in each', async () => {
    const pools: Database[] = [await openPostgres(tdb.url, 2), await openPostgres(tdb.url, 2)];
    const intervalMs = 1000;
    let periodic = 0;
    const reloadedIn = new Set<number>();
    const schedulers = pools.map((db, i) => {
      const s = new Scheduler(db, { error: () => {} });
      s.every('test.periodic', intervalMs, async () => { periodic += 1; }, 'once-per-interval');
      s.every('test.reload', intervalMs, async () => { reloadedIn.add(i); }, 'process');
      return s;
    });
    const started = Date.now();
    for (const s of schedulers) s.start();
    await new Promise((r) => setTimeout(r, 4200));
    await Promise.all(schedulers.map((s) => s.stop()));
    const elapsed = Date.now() - started;
    await Promise.all(pools.map((p) => p.close()));
    // Two processes each ticking every second would run it about 8 times; once per interval
    // for the pair allows at most one run per elapsed second.
    expect(periodic).toBeGreaterThanOrEqual(2);
    expect(periodic).toBeLessThanOrEqual(Math.floor(elapsed / intervalMs));
    expect([...reloadedIn].sort()).toEqual([0, 1]);
  }, 60_000);
});
