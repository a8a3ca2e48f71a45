/** Structured logs carry request ids but no tokens, passwords or personal data; public routes are rate-limited. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { prepareNode } from '../../src/node.js';
import { createTestDatabase, testConfig, type TestDatabase } from '../support/app.js';
import { DEMO_PEOPLE } from '../../src/seed/demo-identity.js';

let tdb: TestDatabase;
beforeAll(async () => { tdb = await createTestDatabase(true); });
afterAll(async () => { await tdb.drop(); });

describe('logs', () => {
  it('have a request id per request and none of the secrets or personal data that passed through', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const config = testConfig(tdb.url, { LOG_LEVEL: 'info' });
    const { platform, services } = await prepareNode(config, tdb.database);
    const logger = pino({ level: 'info', redact: { paths: ['req.headers.authorization'], remove: true } }, sink);
    const app = await buildApp(platform, services, logger);
    try {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'official1', password: 'Tongban#2026' } });
      const token = login.json().token as string;
      const found = await app.inject({
        method: 'POST', url: '/api/v1/persons/search', headers: { authorization: `Bearer ${token}`, 'x-request-id': 'trace-abc-12345' },
        payload: { residentId: DEMO_PEOPLE.zhangsan.residentId, purpose: '窗口核验' },
      });
      expect(found.statusCode).toBe(200);
      expect(found.json().name).toBe('张三');
      const log = lines.join('');
      expect(log).toContain('"reqId":"trace-abc-12345"');
      for (const secret of [token, 'Tongban#2026', DEMO_PEOPLE.zhangsan.residentId, DEMO_PEOPLE.zhangsan.phone, '张三']) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await app.close();
    }
  });
});

describe('rate limits', () => {
  it('answer a burst on a public endpoint with 429 RATE_LIMITED in the error shape', async () => {
    const config = testConfig(tdb.url, { TONGBAN_PUBLIC_RATE_LIMIT: '5' });
    const { platform, services } = await prepareNode(config, tdb.database);
    const app = await buildApp(platform, services, false);
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 7; i++) {
        last = await app.inject({ method: 'POST', url: '/api/v1/identity/check', payload: { kind: 'uscc', value: '91350100M000100Y43' } });
        statuses.push(last.statusCode);
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses[6]).toBe(429);
      expect(last!.json().error.code).toBe('RATE_LIMITED');
      // Signed-in private routes are not limited by the public allowance.
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen1', password: 'Tongban#2026' } });
      expect(login.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
