/** The catalogue and the smart guide, through the HTTP API on a real PostgreSQL database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const search = async (q: string, region?: string) => {
  const res = await t.call('GET', `/api/v1/catalog/search?q=${encodeURIComponent(q)}${region ? `&region=${region}` : ''}`);
  expect(res.statusCode).toBe(200);
  return res.json().items as { code: string; name: string; score: number; inRegion: boolean; regionCode: string }[];
};

describe('smart guide search (public, no login)', () => {
  it('finds 社保转移 from the pinyin "shebao zhuanyi", the region\'s matter first', async () => {
    const items = await search('shebao zhuanyi', '330106');
    expect(items[0]).toMatchObject({ code: '330106-SB-001', name: '基本养老保险关系转移接续', inRegion: true });
    expect(items.map((i) => i.code)).toContain('310101-SB-001');
    expect(items.findIndex((i) => i.code === '310101-SB-001')).toBeGreaterThan(0);
  });

  it('puts the other region\'s matter first when searching from there', async () => {
    const items = await search('社保转移', '310101');
    expect(items[0]!.code).toBe('310101-SB-001');
  });

  it.each([
    ['sbzy', '330106-SB-001'], // initials
    ['驾照到期', '330106-JT-001'], // colloquial synonym 驾照 → 驾驶证
    ['生孩子', '330106-YJS-001'], // the 一件事 for a newborn
    ['社保专移', '330106-SB-001'], // homophone typo from a pinyin IME
    ['shebao zhuanyl', '330106-SB-001'], // one mistyped letter
    ['异地就医', '330106-YB-001'],
    ['我想办护照', '330106-CRJ-001'],
    ['gongjijin tiqu', '330106-GJJ-002'],
  ])('understands %s', async (q, code) => {
    const items = await search(q, '330106');
    expect(items.slice(0, 3).map((i) => i.code)).toContain(code);
  });

  it('returns nothing for unrelated text, and rejects an empty or overlong query', async () => {
    expect(await search('qwxzv')).toEqual([]);
    expect((await t.call('GET', '/api/v1/catalog/search?q=')).statusCode).toBe(400);
    expect((await t.call('GET', `/api/v1/catalog/search?q=${'a'.repeat(101)}`)).statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/catalog/search?q=x&region=abc')).statusCode).toBe(400);
  });

  it('ranks scores best first within a region tier', async () => {
    const items = await search('医保', '330106');
    const inRegion = items.filter((i) => i.inRegion).map((i) => i.score);
    expect(inRegion).toEqual([...inRegion].sort((a, b) => b - a));
  });
});

describe('catalogue', () => {
  it('holds at least 30 matters across the required departments, with materials and limits', async () => {
    const res = await t.call('GET', '/api/v1/catalog/matters?region=330106');
    const items = res.json().items as { category: string; crossProvince: string | null }[];
    expect(items.length).toBeGreaterThanOrEqual(30);
    const categories = new Set(items.map((i) => i.category));
    for (const c of ['户籍', '社保', '医保', '公积金', '市场监管', '交通', '教育', '民政']) expect(categories).toContain(c);
    const matter = (await t.call('GET', '/api/v1/catalog/matters/330106-CRJ-001')).json();
    expect(matter.materials).toContainEqual(expect.objectContaining({ key: 'id-photo', freshnessDays: 365 }));
    expect(matter.promisedLimitDays).toBeLessThanOrEqual(matter.legalLimitDays);
  });

  it('answers an unknown matter code with 404', async () => {
    expect((await t.call('GET', '/api/v1/catalog/matters/330106-XX-999')).json().error.code).toBe('NOT_FOUND');
  });

  it('lets an official publish a new version of their region\'s matter, keeping the old one', async () => {
    const current = (await t.call('GET', '/api/v1/catalog/matters/330106-SB-006')).json();
    const { code, version, ...matter } = current;
    const res = await t.call('PUT', `/api/v1/catalog/matters/${code}`, { as: 'official1', body: { version, changeNote: '承诺时限压缩为即办', matter: { ...matter, promisedLimitDays: 0, fee: '免费' } } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: version + 1, fee: '免费' });
    const stale = await t.call('PUT', `/api/v1/catalog/matters/${code}`, { as: 'official1', body: { version, changeNote: 'x', matter } });
    expect(stale.statusCode).toBe(409);
    expect((await t.call('GET', `/api/v1/catalog/matters/${code}?version=${version}`)).json().fee).toBe('不收费');
    expect((await t.call('GET', `/api/v1/catalog/matters/${code}/versions`)).json().items.map((v: any) => v.version)).toEqual([version + 1, version]);
  });

  it('keeps officials to their own region, citizens out, and inconsistent matters out', async () => {
    const { code, version, ...matter } = (await t.call('GET', '/api/v1/catalog/matters/330106-SB-005')).json();
    const put = (as: string, m: object) => t.call('PUT', `/api/v1/catalog/matters/${code}`, { as, body: { version, changeNote: 'x', matter: m } });
    expect((await put('official2', matter)).statusCode).toBe(404);
    expect((await put('citizen1', matter)).statusCode).toBe(403);
    const bad = await put('official1', { ...matter, promisedLimitDays: matter.legalLimitDays + 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('$.promisedLimitDays');
    const moved = await t.call('POST', '/api/v1/catalog/matters', { as: 'official1', body: { ...matter, code: '310101-SB-099', regionCode: '310101' } });
    expect(moved.json().error.code).toBe('REGION_OUT_OF_SCOPE');
    expect((await t.call('GET', `/api/v1/catalog/matters/${code}`)).json().version).toBe(version);
  });

  it('lists the 一件事 bundles with their matters', async () => {
    const b = (await t.call('GET', '/api/v1/catalog/bundles/330106-YJS-001')).json();
    expect(b.name).toBe('新生儿出生一件事');
    expect(b.matters.map((m: any) => m.code)).toEqual(['330106-HJ-002', '330106-YB-005', '330106-SB-002']);
  });
});

describe('retiring a matter', () => {
  it('takes it out of search, the list and new applications, keeps filed applications, and records a version', async () => {
    const { code: _c, version: _v, ...base } = (await t.call('GET', '/api/v1/catalog/matters/330106-SB-006')).json();
    const code = '330106-SB-090';
    const created = await t.call('POST', '/api/v1/catalog/matters', { as: 'official1', body: { ...base, code, name: '灵活就业人员退役测试登记', aliases: ['退役测试'] } });
    expect(created.statusCode).toBe(201);
    expect((await search('灵活就业人员退役测试登记', '330106')).map((i) => i.code)).toContain(code);
    const filed = await t.call('POST', '/api/v1/applications', { as: 'citizen1', body: { matterCode: code, form: {}, materials: [] }, headers: { 'idempotency-key': 'before-retire-1' } });
    expect(filed.statusCode).toBe(201);
    const appId = filed.json().application.id;

    const retire = (as: string, body: object) => t.call('POST', `/api/v1/catalog/matters/${code}/retire`, { as, body });
    expect((await retire('citizen1', { version: 1, reason: '事项取消' })).statusCode).toBe(403);
    expect((await retire('official2', { version: 1, reason: '事项取消' })).statusCode).toBe(404);
    expect((await retire('official1', { version: 1, reason: '事项取消', extra: 1 })).statusCode).toBe(400);
    expect((await retire('official1', { version: 1 })).statusCode).toBe(400);
    expect((await retire('official1', { version: 7, reason: '事项取消' })).statusCode).toBe(409);
    const done = await retire('official1', { version: 1, reason: '根据清单调整取消' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ code, version: 2, status: 'retired', reason: '根据清单调整取消' });
    expect((await retire('official1', { version: 2, reason: '再次' })).json().error.code).toBe('MATTER_RETIRED');

    expect((await search('灵活就业人员退役测试登记', '330106')).map((i) => i.code)).not.toContain(code);
    const list = (await t.call('GET', '/api/v1/catalog/matters?region=330106')).json().items.map((m: any) => m.code);
    expect(list).not.toContain(code);
    expect((await t.call('GET', `/api/v1/catalog/matters/${code}`)).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/catalog/matters/${code}?version=1`)).json().name).toBe('灵活就业人员退役测试登记');
    const versions = (await t.call('GET', `/api/v1/catalog/matters/${code}/versions`)).json().items;
    expect(versions.map((v: any) => [v.version, v.changeNote])).toEqual([[2, '退役: 根据清单调整取消'], [1, 'created']]);
    const { version: _cur, ...again } = (await t.call('GET', `/api/v1/catalog/matters/${code}?version=1`)).json();
    const edit = await t.call('PUT', `/api/v1/catalog/matters/${code}`, { as: 'official1', body: { version: 2, changeNote: 'x', matter: { ...again, code: undefined } } });
    expect(edit.json().error.code).toBe('MATTER_RETIRED');

    const late = await t.call('POST', '/api/v1/applications', { as: 'citizen1', body: { matterCode: code, form: {}, materials: [] }, headers: { 'idempotency-key': 'after-retire-1' } });
    expect(late.statusCode).toBe(422);
    expect(late.json().error.code).toBe('MATTER_RETIRED');
    // The application filed before keeps going under the version it was filed under.
    const accepted = await t.call('POST', `/api/v1/applications/${appId}/actions`, { as: 'official1', body: { action: 'accept', version: filed.json().application.version } });
    expect(accepted.statusCode).toBe(200);
    expect((await t.call('GET', `/api/v1/applications/${appId}`, { as: 'citizen1' })).json()).toMatchObject({ status: 'accepted', matterVersion: 1 });
  });
});
