/** Identity through the API: personal data protection, official reads with purpose, 代办 grants, scope. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_PEOPLE } from '../../seed/demo-identity.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const zhang = DEMO_PEOPLE.zhangsan;
const me = async (as: string) => (await t.call('GET', '/api/v1/me', { as })).json();

describe('personal data at rest and in responses', () => {
  it('stores resident IDs and phones only encrypted', async () => {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM persons`.execute(t.tdb.database.db);
    const dump = JSON.stringify(rows.rows);
    for (const p of Object.values(DEMO_PEOPLE)) {
      expect(dump).not.toContain(p.residentId);
      expect(dump).not.toContain(p.phone);
    }
  });

  it('shows the person their own identifiers unmasked', async () => {
    const body = await me('citizen1');
    expect(body.person).toMatchObject({ name: '张三', residentId: zhang.residentId, phone: zhang.phone, birthDate: '1949-05-12', assuranceLevel: 2 });
  });

  it('shows an official of the region a masked record and logs the read for the person', async () => {
    const personId = (await me('citizen1')).person.id;
    const res = await t.call('GET', `/api/v1/persons/${personId}?purpose=${encodeURIComponent('办理社保转移核验身份')}`, { as: 'official1' });
    expect(res.statusCode).toBe(200);
    expect(res.json().residentId).toBe(`${zhang.residentId.slice(0, 6)}********${zhang.residentId.slice(14)}`);
    expect(res.json().phone).toBe(`${zhang.phone.slice(0, 3)}****${zhang.phone.slice(-4)}`);
    const log = (await t.call('GET', '/api/v1/me/data-access-log', { as: 'citizen1' })).json();
    expect(log.items[0]).toMatchObject({ purpose: '办理社保转移核验身份', node: 'zj', department: '西湖区行政审批局' });
    expect(log.items[0].fields).toContain('residentId');
  });

  it('requires officials to state a purpose', async () => {
    const personId = (await me('citizen1')).person.id;
    const res = await t.call('GET', `/api/v1/persons/${personId}`, { as: 'official1' });
    expect(res.statusCode).toBe(400);
  });

  it('hides a person outside the official\'s region as not found', async () => {
    const personId = (await me('citizen1')).person.id;
    const res = await t.call('GET', `/api/v1/persons/${personId}?purpose=x`, { as: 'official2' });
    expect(res.statusCode).toBe(404);
    const unknown = await t.call('GET', '/api/v1/persons/00000000-0000-4000-8000-000000000000?purpose=x', { as: 'official2' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual(res.json());
  });

  it('lets an official find a person by resident ID sent in the body', async () => {
    const res = await t.call('POST', '/api/v1/persons/search', { as: 'official1', body: { residentId: zhang.residentId, purpose: '窗口核验' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('张三');
    expect((await t.call('POST', '/api/v1/persons/search', { as: 'citizen2', body: { residentId: zhang.residentId, purpose: '好奇' } })).statusCode).toBe(403);
  });
});

describe('optimistic concurrency', () => {
  it('answers a stale version with 409 and keeps the newer write', async () => {
    const version = (await me('citizen2')).person.version;
    const first = await t.call('PUT', '/api/v1/me/phone', { as: 'citizen2', body: { phone: '13900000001', version } });
    expect(first.statusCode).toBe(200);
    const second = await t.call('PUT', '/api/v1/me/phone', { as: 'citizen2', body: { phone: '13900000002', version } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('CONFLICT');
    expect((await me('citizen2')).person.phone).toBe('13900000001');
  });
});

describe('registration and real-name verification', () => {
  it('registers a resident at L1; an official of the region raises it to L2', async () => {
    const reg = await t.call('POST', '/api/v1/auth/register', { body: { username: 'newcomer', password: 'Secret123', name: '钱七', residentId: '11010519491231002X' } });
    expect(reg.statusCode).toBe(201);
    expect(reg.json().person.assuranceLevel).toBe(1);
    const personId = reg.json().person.id;
    // 110105 is Beijing: a Hangzhou official cannot see the person at all.
    expect((await t.call('POST', `/api/v1/persons/${personId}/verify`, { as: 'official1', body: { version: 1, method: 'counter' } })).statusCode).toBe(404);
    expect((await t.call('POST', `/api/v1/persons/${personId}/verify`, { as: 'admin', body: { version: 1, method: 'counter' } })).json().assuranceLevel).toBe(2);
  });

  it('refuses an invalid resident ID and a duplicate one, creating nothing', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(t.tdb.database.db);
    const bad = await t.call('POST', '/api/v1/auth/register', { body: { username: 'badid', password: 'Secret123', name: 'x', residentId: '110105194912310021' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('IDENTIFIER_INVALID');
    const dup = await t.call('POST', '/api/v1/auth/register', { body: { username: 'dupid', password: 'Secret123', name: 'x', residentId: zhang.residentId } });
    expect(dup.statusCode).toBe(409);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(t.tdb.database.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});

describe('代办 grants', () => {
  const in30days = () => new Date(Date.now() + 30 * 86400_000).toISOString();

  it('lets a person authorise a relative, who can then read the person\'s record; revoking ends it at once', async () => {
    const zhangId = (await me('citizen1')).person.id;
    const create = await t.call('POST', '/api/v1/me/agent-grants', {
      as: 'citizen1',
      body: { granteeUsername: 'citizen2', relationship: '女儿', matters: ['*'], purpose: '代办养老金领取资格认证', expiresAt: in30days(), consent: true },
    });
    expect(create.statusCode).toBe(201);
    const grant = create.json();
    expect(grant.consentStatement).toContain('张三 授权 李四');
    // Tokens carry grants loaded at sign-in of each request: the grantee now reaches the record.
    expect((await t.call('GET', `/api/v1/persons/${zhangId}`, { as: 'citizen2' })).statusCode).toBe(200);
    // The relative sees whom they may act for: the name and a masked resident id, never the full one.
    const received = (await t.call('GET', '/api/v1/me/agent-grants', { as: 'citizen2' })).json().received;
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ grantorPersonId: zhangId, grantorName: '张三', granteeName: '李四' });
    expect(received[0].grantorIdMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(received)).not.toContain(DEMO_PEOPLE.zhangsan.residentId);

    const revoke = await t.call('POST', `/api/v1/me/agent-grants/${grant.id}/revoke`, { as: 'citizen1', body: { version: grant.version } });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().active).toBe(false);
    expect((await t.call('GET', `/api/v1/persons/${zhangId}`, { as: 'citizen2' })).statusCode).toBe(404);
  });

  it('only the grantor can revoke, and consent must be explicit', async () => {
    const noConsent = await t.call('POST', '/api/v1/me/agent-grants', {
      as: 'citizen1', body: { granteeUsername: 'citizen2', relationship: '女儿', matters: ['*'], purpose: '代办', expiresAt: in30days(), consent: false },
    });
    expect(noConsent.statusCode).toBe(422);
    const g = (await t.call('POST', '/api/v1/me/agent-grants', {
      as: 'citizen1', body: { granteeUsername: 'company1', relationship: '邻居', matters: ['M-001'], purpose: '代办', expiresAt: in30days(), consent: true },
    })).json();
    expect((await t.call('POST', `/api/v1/me/agent-grants/${g.id}/revoke`, { as: 'citizen2', body: { version: g.version } })).statusCode).toBe(404);
  });

  it('a counter official records consent for a person of their region, not of another', async () => {
    const zhangId = (await me('citizen1')).person.id;
    const body = { grantorPersonId: zhangId, granteeUsername: 'company1', relationship: '儿子', matters: ['*'], purpose: '窗口代办', expiresAt: in30days(), consent: true };
    const ok = await t.call('POST', '/api/v1/me/agent-grants', { as: 'official1', body });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().consentChannel).toBe('counter');
    expect((await t.call('POST', '/api/v1/me/agent-grants', { as: 'official2', body })).statusCode).toBe(404);
    expect((await t.call('POST', '/api/v1/me/agent-grants', { as: 'citizen2', body })).statusCode).toBe(403);
  });
});

describe('regions', () => {
  it('lists the official tree down to 社区 and hides grid units from the public', async () => {
    const towns = (await t.call('GET', '/api/v1/regions/330106/children')).json().items;
    expect(towns).toEqual(expect.arrayContaining([expect.objectContaining({ code: '330106002', name: '北山街道', level: 'township' })]));
    const communities = (await t.call('GET', '/api/v1/regions/330106002/children')).json().items;
    expect(communities.length).toBeGreaterThan(3);
    expect(communities[0].level).toBe('community');
    expect((await t.call('GET', '/api/v1/regions/330106002051/children')).statusCode).toBe(401);
    const grids = (await t.call('GET', '/api/v1/regions/330106002051/children', { as: 'grid1' })).json().items;
    expect(grids[0]).toMatchObject({ code: '330106002051G01', level: 'grid' });
  });
});
