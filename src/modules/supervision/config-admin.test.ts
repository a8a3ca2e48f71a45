/** Supervision configuration through the API: grading rules, repair periods, restrictions, and their history. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_COMPANY, DEPARTMENTS } from '../../seed/demo-identity.js';
import { demoUscc } from '../../seed/demo-supervision.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const json = (res: { json(): any }) => res.json();
const rule = async (code: string) => json(await t.call('GET', '/api/v1/supervision/grade-rules', { as: 'supervisor1' })).items.find((r: any) => r.code === code);
const grade = async (id: string) => json(await t.call('GET', `/api/v1/supervision/entities/${id}/grade`, { as: 'supervisor1' }));
const history = async (kind: string, key: string) => json(await t.call('GET', `/api/v1/supervision/config-history?kind=${kind}&key=${encodeURIComponent(key)}`, { as: 'supervisor1' })).items;

describe('grading rules', () => {
  it('regrades every entity when the administrator changes a rule, and the grade names the rule version that fired', async () => {
    const sv = t.services.supervision;
    const shop = await sv.entities.insert('test', { kind: 'individual', name: '西湖区赵记面馆', uscc: demoUscc(911, '2'), regionCode: '330106' });
    await sv.entities.addComplaint(shop.id, '12345', '面条分量不足');
    expect(await grade(shop.id)).toMatchObject({ grade: 'A', fired: [] });

    const before = await rule('complaints');
    expect(before).toMatchObject({ threshold: 5, points: 10, version: 1 });
    const body = { threshold: 1, version: before.version, reason: '12345 热线投诉一次即计入风险' };
    expect((await t.call('PATCH', '/api/v1/supervision/grade-rules/complaints', { as: 'supervisor1', body })).statusCode).toBe(403);
    expect((await t.call('PATCH', '/api/v1/supervision/grade-rules/complaints', { as: 'admin', body: { ...body, weight: 3 } })).statusCode).toBe(400);
    expect((await t.call('PATCH', '/api/v1/supervision/grade-rules/complaints', { as: 'admin', body: { version: 1, reason: 'nothing' } })).statusCode).toBe(400);
    expect(await rule('complaints')).toMatchObject({ threshold: 5, version: 1 });

    const changed = await t.call('PATCH', '/api/v1/supervision/grade-rules/complaints', { as: 'admin', body });
    expect(changed.statusCode).toBe(200);
    expect(json(changed).rule).toMatchObject({ code: 'complaints', threshold: 1, version: 2 });
    expect(json(changed).regraded).toBeGreaterThan(1);
    expect(await grade(shop.id)).toMatchObject({ grade: 'B', score: 10, fired: [{ code: 'complaints', ruleVersion: 2, value: 1, points: 10 }] });

    // A stale edit changes nothing.
    const stale = await t.call('PATCH', '/api/v1/supervision/grade-rules/complaints', { as: 'admin', body: { enabled: false, version: 1, reason: '重复' } });
    expect(stale.statusCode).toBe(409);
    const off = await t.call('PATCH', '/api/v1/supervision/grade-rules/complaints', { as: 'admin', body: { enabled: false, version: 2, reason: '改由平台投诉规则覆盖' } });
    expect(json(off).rule).toMatchObject({ enabled: false, version: 3 });
    expect(await grade(shop.id)).toMatchObject({ grade: 'A', fired: [] });

    const changes = await history('grade_rule', 'complaints');
    expect(changes.map((c: any) => [c.version, c.reason])).toEqual([[3, '改由平台投诉规则覆盖'], [2, '12345 热线投诉一次即计入风险'], [1, 'project default (migration 0401)']]);
    expect(changes[1]).toMatchObject({ before: { threshold: 5, enabled: true }, after: { threshold: 1, enabled: true } });
    // Who, by name as well as id; the project default is the system's.
    expect(changes[0]).toMatchObject({ changedByName: '平台管理员' });
    expect(changes[2]).toMatchObject({ changedBy: 'system:migration', changedByName: null });
    const audit = await t.tdb.database.db.selectFrom('audit_log').select('action').where('action', '=', 'supervision.config.grade_rule').execute();
    expect(audit).toHaveLength(2);
  });

  it('adds a rule (admin only), refusing a duplicate code or an unknown signal', async () => {
    const body = { code: 'any-platform-complaint', signal: 'platform_complaints', threshold: 1, points: 5, description: '平台报送任一投诉', reason: '平台经济重点监管' };
    expect((await t.call('POST', '/api/v1/supervision/grade-rules', { as: 'official1', body })).statusCode).toBe(403);
    expect((await t.call('POST', '/api/v1/supervision/grade-rules', { as: 'admin', body: { ...body, signal: 'rumours' } })).statusCode).toBe(400);
    const created = await t.call('POST', '/api/v1/supervision/grade-rules', { as: 'admin', body });
    expect(created.statusCode).toBe(201);
    expect(json(created).rule).toMatchObject({ code: body.code, enabled: true, version: 1 });
    expect((await t.call('POST', '/api/v1/supervision/grade-rules', { as: 'admin', body })).statusCode).toBe(409);
    expect(await history('grade_rule', body.code)).toMatchObject([{ version: 1, before: null, reason: '平台经济重点监管' }]);
  });
});

describe('credit-repair minimum publication periods', () => {
  it('lets the administrator lengthen a period, which the next repair application meets', async () => {
    const periods = json(await t.call('GET', '/api/v1/supervision/repair-periods', { as: 'supervisor1' })).items;
    expect(periods.map((p: any) => [p.subject, p.months])).toEqual([['list:abnormal', 0], ['list:serious', 36], ['penalty:minor', 0], ['penalty:ordinary', 3], ['penalty:serious', 12]]);
    const body = { months: 6, version: 1, reason: '本地实践：经营异常名录至少公示六个月' };
    expect((await t.call('PUT', '/api/v1/supervision/repair-periods/list:abnormal', { as: 'supervisor1', body })).statusCode).toBe(403);
    expect((await t.call('PUT', '/api/v1/supervision/repair-periods/list:abnormal', { as: 'admin', body: { ...body, months: 37 } })).statusCode).toBe(400);
    expect((await t.call('PUT', '/api/v1/supervision/repair-periods/list:other', { as: 'admin', body })).statusCode).toBe(400);
    const set = await t.call('PUT', '/api/v1/supervision/repair-periods/list:abnormal', { as: 'admin', body });
    expect(json(set)).toMatchObject({ subject: 'list:abnormal', months: 6, version: 2 });

    const entities = json(await t.call('GET', '/api/v1/supervision/entities?limit=500', { as: 'supervisor1' })).items;
    const company = entities.find((e: any) => e.uscc === DEMO_COMPANY.uscc);
    const entry = json(await t.call('POST', '/api/v1/supervision/list-entries', { as: 'supervisor1', body: { entityId: company.id, list: 'abnormal', reason: '未按期公示年报', legalBasis: '《企业经营异常名录管理暂行办法》第六条' } }));
    const repair = await t.call('POST', '/api/v1/supervision/repairs', { as: 'company1', body: { targetKind: 'list', targetId: entry.id, correction: '已补报年报' } });
    expect(repair.statusCode).toBe(422);
    expect(json(repair).error.message).toContain('6 months');
    expect(await history('repair_period', 'list:abnormal')).toMatchObject([{ version: 2, before: { months: 0 }, after: { months: 6 } }, { version: 1 }]);
  });
});

describe('joint-discipline restrictions', () => {
  const check = async (body: object) => json(await t.call('POST', '/api/v1/supervision/discipline/check', { as: 'supervisor1', body: { applicant: { uscc: DEMO_COMPANY.uscc }, ...body } }));

  it('lets a department declare restrictions on its own matters in its region, not on others\' or nationwide ones', async () => {
    const mine = { list: 'abnormal', department: DEPARTMENTS.xihuMarket, matterCode: '330106-SC-003', restriction: 'no_tolerance', reason: '食品经营许可不对异常名录企业容缺' };
    expect((await check({ fastTrack: 'tolerance', department: DEPARTMENTS.xihuMarket, matterCode: '330106-SC-003' })).restricted).toBe(false);
    const created = await t.call('POST', '/api/v1/supervision/restrictions', { as: 'supervisor1', body: mine });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ regionCode: '330106', active: true, version: 1 });
    expect(await check({ fastTrack: 'tolerance', department: DEPARTMENTS.xihuMarket, matterCode: '330106-SC-003' })).toMatchObject({ restricted: true, restriction: 'no_tolerance' });
    expect((await check({ fastTrack: 'tolerance' })).restricted).toBe(false);

    const others = await t.call('POST', '/api/v1/supervision/restrictions', { as: 'supervisor1', body: { ...mine, department: DEPARTMENTS.xihuApproval } });
    expect(others.statusCode).toBe(403);
    const elsewhere = await t.call('POST', '/api/v1/supervision/restrictions', { as: 'supervisor1', body: { ...mine, matterCode: '310101-SC-003', regionCode: '310101' } });
    expect(json(elsewhere).error.code).toBe('REGION_OUT_OF_SCOPE');
    expect((await t.call('POST', '/api/v1/supervision/restrictions', { as: 'inspector1', body: mine })).statusCode).toBe(403);
    expect((await t.call('POST', '/api/v1/supervision/restrictions', { as: 'supervisor1', body: mine })).statusCode).toBe(409);

    const nationwide = json(await t.call('GET', '/api/v1/supervision/restrictions', { as: 'official1' })).items.find((r: any) => r.list === 'abnormal' && r.restriction === 'no_commitment');
    expect(nationwide).toMatchObject({ department: '*', regionCode: null });
    for (const who of ['supervisor1', 'official1']) {
      expect((await t.call('PATCH', `/api/v1/supervision/restrictions/${nationwide.id}`, { as: who, body: { active: false, version: nationwide.version, reason: 'x试' } })).statusCode).toBe(404);
    }
    // official2 (黄浦区, another department) cannot see supervisor1's restriction as theirs to change.
    expect((await t.call('PATCH', `/api/v1/supervision/restrictions/${json(created).id}`, { as: 'official2', body: { active: false, version: 1, reason: '越权' } })).statusCode).toBe(404);
  });

  it('switches a nationwide restriction off and on again (admin), with the effect and the history to show', async () => {
    expect((await check({ fastTrack: 'commitment' })).restricted).toBe(true);
    const nationwide = json(await t.call('GET', '/api/v1/supervision/restrictions?active=true', { as: 'admin' })).items.find((r: any) => r.list === 'abnormal' && r.restriction === 'no_commitment');
    const off = await t.call('PATCH', `/api/v1/supervision/restrictions/${nationwide.id}`, { as: 'admin', body: { active: false, version: nationwide.version, reason: '试点：异常名录企业可告知承诺' } });
    expect(json(off)).toMatchObject({ active: false, version: 2 });
    expect((await check({ fastTrack: 'commitment' })).restricted).toBe(false);
    expect((await t.call('PATCH', `/api/v1/supervision/restrictions/${nationwide.id}`, { as: 'admin', body: { active: true, version: 1, reason: 'stale' } })).statusCode).toBe(409);
    await t.call('PATCH', `/api/v1/supervision/restrictions/${nationwide.id}`, { as: 'admin', body: { active: true, version: 2, reason: '试点结束' } });
    expect((await check({ fastTrack: 'commitment' })).restricted).toBe(true);
    expect((await history('restriction', nationwide.id)).map((c: any) => [c.version, c.after.active, c.reason])).toEqual([[3, true, '试点结束'], [2, false, '试点：异常名录企业可告知承诺'], [1, true, 'project default (migration 0401)']]);
  });
});
