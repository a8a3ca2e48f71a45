/**
 * While PostgreSQL is unreachable the API answers 503 SERVICE_UNAVAILABLE (never 500), and once
 * it is back the same process serves again by itself. The database "goes away" by stopping a TCP
 * proxy in front of it, so the shared PostgreSQL server other tests use is never restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/platform/db/database.js';
import { prepareNode } from '../../src/node.js';
import { buildApp } from '../../src/app.js';
import type { HttpServer } from '../../src/platform/http/server.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-identity.js';
import { createTestDatabase, testConfig, type TestDatabase } from '../support/app.js';
import { TcpProxy } from './support.js';

let tdb: TestDatabase;
let proxy: TcpProxy;
let database: Database;
let app: HttpServer;
let token: string;

beforeAll(async () => {
  tdb = await createTestDatabase(true);
  const target = new URL(tdb.url);
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
  const url = proxy.rewrite(tdb.url);
  database = await openPostgres(url, 5);
  const { platform, services } = await prepareNode(testConfig(url), database);
  app = await buildApp(platform, services, false);
  await app.ready();
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen1', password: DEMO_PASSWORD } });
  token = res.json().token;
});

afterAll(async () => {
  await app?.close();
  await database?.close().catch(() => {});
  await proxy?.stop();
  await tdb?.drop();
});

const me = () => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
const loginAttempt = () => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen2', password: DEMO_PASSWORD } });
const grants = () => app.inject({ method: 'GET', url: '/api/v1/me/agent-grants', headers: { authorization: `Bearer ${token}` } });

describe('database unreachable', () => {
  it('serves normally through the proxy, and reports itself ready', async () => {
    expect((await me()).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', db: 'postgres', node: 'zj' });
  });

  it('answers 503 SERVICE_UNAVAILABLE, in the contract shape, while the database is away', async () => {
    await proxy.stop();
    for (const call of [me, loginAttempt, grants, me]) {
      const res = await call();
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
    }
    // A load balancer sees the node as not ready, while liveness stays green: restarting the
    // process would not bring the database back.
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().error.code).toBe('SERVICE_UNAVAILABLE');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Routes that need no database keep working.
    const check = await app.inject({ method: 'POST', url: '/api/v1/identity/check', payload: { kind: 'uscc', value: '91330106MA2H7Q3C2J' } });
    expect(check.statusCode).toBe(200);
  });

  it('recovers by itself once the database is reachable again', async () => {
    await proxy.start();
    let res = await me();
    // The pool may hand out one connection that died with the proxy; a fresh one follows at once.
    for (let i = 0; i < 5 && res.statusCode !== 200; i++) res = await me();
    expect(res.statusCode, res.body).toBe(200);
    expect((await loginAttempt()).statusCode).toBe(200);
    expect((await grants()).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('answers 503 again for a second outage in the middle of use, and recovers again', async () => {
    await proxy.stop();
    expect((await grants()).statusCode).toBe(503);
    await proxy.start();
    let res = await grants();
    for (let i = 0; i < 5 && res.statusCode !== 200; i++) res = await grants();
    expect(res.statusCode).toBe(200);
  });
});
