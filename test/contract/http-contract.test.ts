/** CONTRACT.md: health, API description, the error shape, authentication and demo accounts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const expectError = (res: { statusCode: number; json(): any }, status: number, code: string) => {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+|SELECT |INSERT |stack/i);
  return body;
};

describe('health and API description', () => {
  it('reports status, database kind and node id', async () => {
    const res = await t.call('GET', '/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'postgres', node: 'zj' });
  });

  it('serves an OpenAPI 3 document covering the /api/v1 routes, and a readable reference', async () => {
    const doc = (await t.call('GET', '/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/identity/check', '/api/v1/me']));
    const docs = await t.call('GET', '/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('declares every request body object closed to unknown properties', async () => {
    const doc = (await t.call('GET', '/openapi.json')).json();
    const open: string[] = [];
    const walk = (schema: any, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      if (schema.type === 'object' && schema.additionalProperties !== false && schema.properties) open.push(where);
      for (const [k, v] of Object.entries(schema.properties ?? {})) walk(v, `${where}.${k}`);
      if (schema.items) walk(schema.items, `${where}[]`);
      for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) walk(s, where);
    };
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const body = op.requestBody?.content?.['application/json']?.schema;
        if (body) walk(body, `${method.toUpperCase()} ${path}`);
      }
    }
    expect(open).toEqual([]);
  });
});

describe('errors', () => {
  it('rejects malformed JSON with 400 VALIDATION_FAILED', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": "x",' });
    expectError(res, 400, 'VALIDATION_FAILED');
  });

  it('rejects unknown properties and names each by JSON path', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', { body: { username: 'a', password: 'b', role: 'admin', extra: 1 } });
    const body = expectError(res, 400, 'VALIDATION_FAILED');
    expect(body.error.details.map((d: any) => d.path).sort()).toEqual(['$.extra', '$.role']);
  });

  it('rejects wrong types without coercing them', async () => {
    const res = await t.call('POST', '/api/v1/identity/check', { body: { kind: 'uscc', value: 91350100 } });
    const body = expectError(res, 400, 'VALIDATION_FAILED');
    expect(body.error.details[0].path).toBe('$.value');
  });

  it('answers a number beyond what the database holds with 400, not 500', async () => {
    const res = await t.call('PUT', '/api/v1/me/phone', { as: 'citizen1', body: { phone: '13800000000', version: 9007199254740991 } });
    const body = expectError(res, 400, 'VALIDATION_FAILED');
    expect(body.error.details[0].path).toBe('$.version');
  });

  it('answers a NUL character, which PostgreSQL text cannot hold, with 400, not 500', async () => {
    const res = await t.call('GET', '/api/v1/supervision/items?department=%00', { as: 'supervisor1' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('answers an oversize body with 413', async () => {
    const res = await t.call('POST', '/api/v1/identity/check', { body: { kind: 'uscc', value: 'x'.repeat(1_100_000) } });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers unknown API routes with 404 in the error shape', async () => {
    expectError(await t.call('GET', '/api/v1/no-such-thing'), 404, 'NOT_FOUND');
  });

  it('needs a token for private routes and refuses forged ones', async () => {
    expectError(await t.call('GET', '/api/v1/me'), 401, 'UNAUTHENTICATED');
    expectError(await t.call('GET', '/api/v1/me', { headers: { authorization: 'Bearer forgedforgedforgedforgedforged' } }), 401, 'UNAUTHENTICATED');
    expectError(await t.call('GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } }), 401, 'UNAUTHENTICATED');
  });

  it('treats SQL and HTML injection strings as plain data', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', { body: { username: "' OR 1=1; DROP TABLE users; --", password: '<script>alert(1)</script>' } });
    expectError(res, 401, 'AUTH_INVALID_CREDENTIALS');
    expect((await t.call('POST', '/api/v1/auth/login', { body: { username: 'citizen2', password: 'Tongban#2026' } })).statusCode).toBe(200);
  });

  it('sends security headers', async () => {
    const res = await t.call('GET', '/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

describe('authentication', () => {
  it.each(['citizen1', 'citizen2', 'company1', 'official1', 'official2', 'issuer1', 'inspector1', 'inspector2', 'supervisor1', 'grid1', 'admin'])(
    'demo account %s signs in with the shared demo password',
    async (username) => {
      const res = await t.call('POST', '/api/v1/auth/login', { body: { username, password: 'Tongban#2026' } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(body.user).toMatchObject({ username });
      expect(body.user.roles.length).toBeGreaterThan(0);
    },
  );

  it('refuses a wrong password with 401 AUTH_INVALID_CREDENTIALS', async () => {
    expectError(await t.call('POST', '/api/v1/auth/login', { body: { username: 'citizen1', password: 'wrong' } }), 401, 'AUTH_INVALID_CREDENTIALS');
  });

  it('answers repeated failures for one username with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await t.call('POST', '/api/v1/auth/login', { body: { username: 'inspector2', password: `wrong${i}` } })).statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expectError(await t.call('POST', '/api/v1/auth/login', { body: { username: 'inspector2', password: 'Tongban#2026' } }), 429, 'RATE_LIMITED');
  });

  it('ends a token at once on logout', async () => {
    const login = (await t.call('POST', '/api/v1/auth/login', { body: { username: 'citizen2', password: 'Tongban#2026' } })).json();
    const auth = { authorization: `Bearer ${login.token}` };
    expect((await t.call('GET', '/api/v1/me', { headers: auth })).statusCode).toBe(200);
    expect((await t.call('POST', '/api/v1/auth/logout', { headers: auth })).statusCode).toBe(204);
    expectError(await t.call('GET', '/api/v1/me', { headers: auth }), 401, 'UNAUTHENTICATED');
  });
});

describe('identity check', () => {
  it('validates the standard resident ID example and returns its info', async () => {
    const res = await t.call('POST', '/api/v1/identity/check', { body: { kind: 'resident-id', value: '11010519491231002X' } });
    expect(res.json()).toEqual({ valid: true, errors: [], info: { birthDate: '1949-12-31', sex: 'F', regionCode: '110105' } });
  });

  it('validates the standard USCC example and returns its parts', async () => {
    const res = (await t.call('POST', '/api/v1/identity/check', { body: { kind: 'uscc', value: '91350100M000100Y43' } })).json();
    expect(res.valid).toBe(true);
    expect(res.info).toMatchObject({ registrationAuthority: '9', entityType: '1', regionCode: '350100', organizationCode: 'M000100Y4' });
  });

  it.each([
    ['resident-id', '11010519491231002'],
    ['resident-id', '110105194912310021'],
    ['resident-id', '1101051949123100ZX'],
    ['uscc', '91350100M000100Y44'],
    ['uscc', '91350100M000100YI3'],
    ['uscc', ''],
  ])('says %s %s is invalid with a reason, never a 500', async (kind, value) => {
    const res = await t.call('POST', '/api/v1/identity/check', { body: { kind, value } });
    expect(res.statusCode).toBe(200);
    expect(res.json().valid).toBe(false);
    expect(res.json().errors.length).toBeGreaterThan(0);
  });
});
