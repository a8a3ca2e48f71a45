/**
 * A whole tongban node for one test file: its own PostgreSQL database cloned from this run's
 * template, the real services and the real HTTP stack (driven with `inject`, or listening on
 * a port when a test needs a socket).
 */
import { inject } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { openPostgres, type Database } from '../../src/platform/db/database.js';
import { prepareNode } from '../../src/node.js';
import { buildApp, type Platform, type Services } from '../../src/app.js';
import type { HttpServer } from '../../src/platform/http/server.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-identity.js';
import { adminQuery, dbUrl, dropDatabase, TEST_MASTER_KEY, uniqueName } from './pg.js';

export interface TestDatabase { name: string; url: string; database: Database; drop(): Promise<void> }

export async function createTestDatabase(demo = true): Promise<TestDatabase> {
  const name = uniqueName('tb_test');
  const template = demo ? inject('templateDemo') : inject('templateBare');
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = dbUrl(name);
  const database = await openPostgres(url, 5);
  return {
    name, url, database,
    async drop() {
      await database.close().catch(() => {});
      await dropDatabase(name);
    },
  };
}

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl, TONGBAN_MASTER_KEY: TEST_MASTER_KEY, LOG_LEVEL: 'silent',
    TONGBAN_PUBLIC_RATE_LIMIT: '100000', TONGBAN_DATA_DIR: '/tmp/tongban-test-data', ...env,
  });
}

export interface TestApp {
  app: HttpServer;
  platform: Platform;
  services: Services;
  tdb: TestDatabase;
  /** Signs in a demo user (password Tongban#2026) and returns the bearer token, cached. */
  token(username: string): Promise<string>;
  /** JSON request as `username` (or anonymous when null). */
  call(method: string, url: string, opts?: { as?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestApp(opts: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const tdb = await createTestDatabase(opts.demo ?? true);
  const config = testConfig(tdb.url, { TONGBAN_DEMO: '0', ...opts.env });
  const { platform, services } = await prepareNode(config, tdb.database);
  const app = await buildApp(platform, services, false);
  await app.ready();
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const t = res.json().token as string;
    tokens.set(username, t);
    return t;
  };
  return {
    app, platform, services, tdb, token,
    async call(method, url, { as = null, body, headers = {} } = {}) {
      const auth = as ? { authorization: `Bearer ${await token(as)}` } : {};
      return app.inject({ method: method as 'GET', url, headers: { ...auth, ...headers }, ...(body !== undefined ? { payload: body as object } : {}) });
    },
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
}
