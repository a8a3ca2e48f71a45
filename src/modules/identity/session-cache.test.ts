/**
 * Two tongban processes on one database, each keeping tokens' actors in memory: a sign-out, a
 * suspension or a lost notification connection must never leave either of them answering a
 * dead token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, testConfig, type TestApp } from '../../../test/support/app.js';
import { openPostgres, type Database } from '../../platform/db/database.js';
import { CHANGES_CHANNEL, type PgChangeFeed } from '../../platform/db/change-feed.js';
import { prepareNode } from '../../node.js';
import { buildApp } from '../../app.js';
import type { HttpServer } from '../../platform/http/server.js';
import { DEMO_PASSWORD } from '../../seed/demo-identity.js';

let a: TestApp; // process A
let dbB: Database;
let b: HttpServer; // process B, on the same database
let feedB: PgChangeFeed;

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  a = await startTestApp();
  // B listens again only 1.5 s after losing its connection: long enough to change things unheard.
  dbB = await openPostgres(a.tdb.url, 5, { listen: { reconnectMs: 1500 } });
  const { platform, services } = await prepareNode(testConfig(a.tdb.url, { TONGBAN_DEMO: '0' }), dbB);
  b = await buildApp(platform, services, false);
  await b.ready();
  feedB = dbB.listen!(CHANGES_CHANNEL) as PgChangeFeed;
  const feedA = a.platform.database.listen!(CHANGES_CHANNEL);
  await until(() => feedA.live && feedB.live, 'both processes to listen');
});
afterAll(async () => {
  await b?.close();
  await dbB?.close();
  await a?.close();
});

const login = async (username: string) => {
  const res = await a.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return res.json().token as string;
};
const me = async (app: HttpServer, token: string) => (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode;
const db = () => a.platform.database.db;

describe('tokens kept in memory by several processes', () => {
  it('B answers a known token from memory (a change made behind the triggers\' back goes unseen)', async () => {
    const token = await login('citizen2');
    expect(await me(b, token)).toBe(200);
    // Triggers off for this one statement (as only a superuser can): no notification is sent.
    await db().transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'citizen2')`.execute(trx);
    });
    expect(await me(b, token)).toBe(200); // from B's memory
    expect(await me(a.app, token)).toBe(401); // A never cached it: read from the database
  });

  it('signed out on A, the token is refused by B on the very next request', async () => {
    const token = await login('citizen1');
    expect(await me(b, token)).toBe(200);
    expect(await me(b, token)).toBe(200);
    const out = await a.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(out.statusCode).toBeLessThan(300);
    expect(await me(b, token)).toBe(401);
    expect(await me(a.app, token)).toBe(401);
  });

  it('a 代办 grant given or revoked on A holds on B from the very next request', async () => {
    const grantor = await login('citizen1');
    const grantee = await login('citizen2');
    const zhang = (await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${grantor}` } })).json().person.id as string;
    const read = () => b.inject({ method: 'GET', url: `/api/v1/persons/${zhang}`, headers: { authorization: `Bearer ${grantee}` } }).then((r) => r.statusCode);
    expect(await read()).toBe(404); // B now holds the grantee's actor, without the grant
    const created = await a.app.inject({
      method: 'POST', url: '/api/v1/me/agent-grants', headers: { authorization: `Bearer ${grantor}` },
      payload: { granteeUsername: 'citizen2', relationship: '女儿', matters: ['*'], purpose: '代办养老金领取资格认证', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), consent: true },
    });
    expect(created.statusCode).toBe(201);
    expect(await read()).toBe(200);
    const grant = created.json();
    const revoked = await a.app.inject({ method: 'POST', url: `/api/v1/me/agent-grants/${grant.id}/revoke`, headers: { authorization: `Bearer ${grantor}` }, payload: { version: grant.version } });
    expect(revoked.statusCode).toBe(200);
    expect(await read()).toBe(404);
  });

  it('an account suspended by anyone (here plain SQL) is refused by B once the change is announced', async () => {
    const token = await login('official1');
    expect(await me(b, token)).toBe(200);
    const { rows: [user] } = await sql<{ id: string }>`SELECT id FROM users WHERE username = 'official1'`.execute(db());
    const announced = feedB.waitFor(`user:${user!.id}`, 5000);
    await sql`UPDATE users SET status = 'disabled' WHERE id = ${user!.id}`.execute(db());
    expect(await announced).toBe(true);
    expect(await me(b, token)).toBe(401);
    await sql`UPDATE users SET status = 'active' WHERE id = ${user!.id}`.execute(db());
  });

  it('while B\'s notification connection is down it reads the database, and what it held before is gone', async () => {
    const revoked = await login('citizen1');
    const kept = await login('citizen1');
    expect(await me(b, revoked)).toBe(200);
    expect(await me(b, kept)).toBe(200);
    await sql`SELECT pg_terminate_backend(${feedB.backendPid!})`.execute(db());
    await until(() => !feedB.live, 'B to notice the lost connection');
    // Signed out while B cannot hear it: the notification is lost to B for good.
    await a.services.identity.logout(revoked, (await a.services.identity.authenticate(revoked))!);
    expect(await me(b, kept)).toBe(200); // still served, from the database
    await until(() => feedB.live, 'B to listen again');
    expect(await me(b, revoked)).toBe(401);
    expect(await me(b, kept)).toBe(200);
  });
});
