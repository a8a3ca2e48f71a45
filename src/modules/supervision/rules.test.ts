/** Bad input, platform data, grading, 告知承诺 follow-up and credit repair, through the API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_COMPANY, DEPARTMENTS } from '../../seed/demo-identity.js';
import { DEMO_PLATFORM, demoUscc } from '../../seed/demo-supervision.js';
import { chinaDate, workingDayCalendar } from '../../platform/calendar/working-days.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const json = (res: { json(): any }) => res.json();
const db = () => t.tdb.database.db;
const count = async (table: string) => Number(((await db().selectFrom(table).select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: number }).n);
const items = async () => json(await t.call('GET', '/api/v1/supervision/items')).items.map((i: any) => i.id);
const entityByName = async (name: string) => json(await t.call('GET', '/api/v1/supervision/entities?limit=500', { as: 'supervisor1' })).items.find((e: any) => e.name === name);
const companyEntity = async () => json(await t.call('GET', '/api/v1/supervision/entities?limit=500', { as: 'supervisor1' })).items.find((e: any) => e.uscc === DEMO_COMPANY.uscc);

describe('planning and drawing refuse bad requests, changing nothing', () => {
  it('refuses a task outside the supervisor\'s region, from an inspector, and without a token', async () => {
    const body = { name: 'x', regionCode: '310101', itemIds: await items() };
    const out = await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body });
    expect(out.statusCode).toBe(422);
    expect(json(out).error.code).toBe('REGION_OUT_OF_SCOPE');
    expect((await t.call('POST', '/api/v1/supervision/tasks', { as: 'inspector1', body: { ...body, regionCode: '330106' } })).statusCode).toBe(403);
    expect((await t.call('POST', '/api/v1/supervision/tasks', { body })).statusCode).toBe(401);
    expect(await count('sup_tasks')).toBe(1);
  });

  it('refuses a draw with fewer eligible inspectors than planned (and fewer than two at planning)', async () => {
    const two = await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: 'one inspector', regionCode: '330106', itemIds: await items(), inspectorsPerEntity: 1 } });
    expect(two.statusCode).toBe(400);
    const task = json(await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: 'four inspectors', regionCode: '330106', itemIds: await items(), inspectorsPerEntity: 4 } }));
    const res = await t.call('POST', `/api/v1/supervision/tasks/${task.id}/draw`, { as: 'supervisor1' });
    expect(res.statusCode).toBe(422);
    expect(json(res).error.code).toBe('NOT_ENOUGH_INSPECTORS');
    expect(json(await t.call('GET', `/api/v1/supervision/tasks/${task.id}`, { as: 'supervisor1' })).draw).toBeNull();
  });

  it('recuses an inspector who declares a conflict, for every later draw', async () => {
    const entity = await entityByName('杭州西溪湿地餐饮管理有限公司');
    const res = await t.call('POST', `/api/v1/supervision/entities/${entity.id}/recusals`, { as: 'inspector1', body: { reason: '配偶在该企业任职' } });
    expect(res.statusCode).toBe(201);
    const task = json(await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: 'all', regionCode: '330106', itemIds: await items(), ratios: { A: 1, B: 1, C: 1, D: 1 } } }));
    const committed = json(await t.call('POST', `/api/v1/supervision/tasks/${task.id}/draw`, { as: 'supervisor1' }));
    const draw = json(await t.call('POST', `/api/v1/supervision/draws/${committed.draw.id}/reveal`, { as: 'supervisor1' }));
    expect(draw.recused).toContainEqual({ entityId: entity.id, inspectorId: json(res).inspectorId });
    const sel = draw.selected.find((s: any) => s.entityId === entity.id);
    expect(sel.inspectors).not.toContain(json(res).inspectorId);
    expect(sel.inspectors).toHaveLength(2);
  });
  it('never draws an inspector for their own business, without any declaration', async () => {
    const person = await db().selectFrom('persons').select('id').limit(1).executeTakeFirstOrThrow();
    const inspector3 = json(await t.call('GET', '/api/v1/me', { as: 'inspector3' })).user.id;
    await db().updateTable('sup_inspectors').set({ person_id: person.id }).where('user_id', '=', inspector3).execute();
    const own = await t.services.supervision.entities.insert('test', { kind: 'individual', name: '西湖区钱记小卖部', uscc: demoUscc(901, '2'), regionCode: '330106', personId: person.id });
    const task = json(await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: 'self', regionCode: '330106', itemIds: await items(), ratios: { A: 1, B: 1, C: 1, D: 1 } } }));
    const committed = json(await t.call('POST', `/api/v1/supervision/tasks/${task.id}/draw`, { as: 'supervisor1' }));
    const draw = json(await t.call('POST', `/api/v1/supervision/draws/${committed.draw.id}/reveal`, { as: 'supervisor1' }));
    expect(draw.recused).toContainEqual({ entityId: own.id, inspectorId: inspector3 });
    expect(draw.selected.find((s: any) => s.entityId === own.id).inspectors).not.toContain(inspector3);
  });
});

describe('publication within 20 working days', () => {
  it('holds a penalty for confirmation, flags it overdue past the due date, and marks a late publication', async () => {
    const task = json(await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: 'penalty', regionCode: '330106', itemIds: await items(), ratios: { A: 0.05 } } }));
    const committed = json(await t.call('POST', `/api/v1/supervision/tasks/${task.id}/draw`, { as: 'supervisor1' }));
    await t.call('POST', `/api/v1/supervision/draws/${committed.draw.id}/reveal`, { as: 'supervisor1' });
    const me = json(await t.call('GET', '/api/v1/me', { as: 'inspector2' })).user.id;
    const mine = json(await t.call('GET', '/api/v1/supervision/inspections?status=assigned', { as: 'inspector2' })).items;
    const target = mine.find((i: any) => i.drawId === committed.draw.id && i.inspectors.includes(me));
    const who = target ? 'inspector2' : 'inspector1';
    const inspection = target ?? json(await t.call('GET', '/api/v1/supervision/inspections?status=assigned', { as: 'inspector1' })).items.find((i: any) => i.drawId === committed.draw.id);
    const answers = { licenceDisplayed: false, healthCertificates: true, storageTemperature: 9, pricesMarked: true, extinguishersValid: true, exitsClear: true };
    const res = await t.call('POST', `/api/v1/supervision/inspections/${inspection.id}/result`, { as: who, body: {
      submissionId: '7b0c3c52-52a4-4d8e-9d0e-0a3f3c1e9b11', inspectedAt: new Date().toISOString(), answers, outcome: 'penalty', summary: '冷藏温度超标',
      penalty: { severity: 'ordinary', decision: '警告并处罚款2000元' },
      evidence: [{ name: 'thermometer.jpg', mediaType: 'image/jpeg', contentBase64: Buffer.from('photo').toString('base64') }],
    } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ status: 'recorded', overdue: false });
    // The deadline is counted on the shared State Council calendar (调休 included), not a module copy.
    expect(json(res).publishDue).toBe(workingDayCalendar.addWorkingDays(chinaDate(new Date(json(res).inspectedAt)), 20));
    expect(json(await t.call('GET', '/api/v1/supervision/results')).items.map((r: any) => r.id)).not.toContain(inspection.id);
    expect(json(await t.call('GET', `/api/v1/supervision/penalties?entityId=${inspection.entityId}`)).items).toHaveLength(0);

    // Time passes beyond the due date without publication.
    await db().updateTable('sup_inspections').set({ publish_due: '2026-01-05' }).where('id', '=', inspection.id).execute();
    const overdue = json(await t.call('GET', '/api/v1/supervision/inspections?overdue=true', { as: 'supervisor1' })).items;
    expect(overdue).toContainEqual(expect.objectContaining({ id: inspection.id, overdue: true }));
    const published = await t.call('POST', `/api/v1/supervision/inspections/${inspection.id}/publish`, { as: 'supervisor1', body: { version: json(res).version } });
    expect(published.statusCode).toBe(200);
    const pub = json(await t.call('GET', '/api/v1/supervision/results')).items.find((r: any) => r.id === inspection.id);
    expect(pub).toMatchObject({ outcome: 'penalty', late: true, publishDue: '2026-01-05' });
    expect(json(await t.call('GET', `/api/v1/supervision/penalties?entityId=${inspection.entityId}`)).items).toHaveLength(1);
  });

});

describe('configurable grade policy', () => {
  it('lets the administrator change ratios per grade (bands must rise), and new tasks take them', async () => {
    const policy = json(await t.call('GET', '/api/v1/supervision/grade-policy', { as: 'supervisor1' }));
    const current = policy.items;
    expect(current.map((p: any) => [p.grade, p.ratio])).toEqual([['A', 0.03], ['B', 0.05], ['C', 0.2], ['D', 1]]);
    const version = policy.version;
    const changed = current.map((p: any) => (p.grade === 'A' ? { ...p, ratio: 0.04 } : p));
    const put = (as: string, items: unknown, v = version) => t.call('PUT', '/api/v1/supervision/grade-policy', { as, body: { items, version: v, reason: '优良企业减少打扰' } });
    expect((await put('supervisor1', changed)).statusCode).toBe(403);
    const badBands = changed.map((p: any) => (p.grade === 'C' ? { ...p, minScore: 5 } : p));
    expect(json(await put('admin', badBands)).error.code).toBe('RULE_VIOLATION');
    expect((await t.call('PUT', '/api/v1/supervision/grade-policy', { as: 'admin', body: { items: changed } })).statusCode).toBe(400);
    const saved = await put('admin', changed);
    expect(saved.statusCode).toBe(200);
    expect(json(saved)).toMatchObject({ version: version + 1 });
    const task = json(await t.call('POST', '/api/v1/supervision/tasks', { as: 'supervisor1', body: { name: 'policy', regionCode: '330106', itemIds: await items() } }));
    expect(task.ratios.A).toBe(0.04);
    const rules = json(await t.call('GET', '/api/v1/supervision/grade-rules', { as: 'supervisor1' })).items;
    expect(rules.map((r: any) => r.code)).toContain('serious-list');
  });

  it('a second administrator working from the old version gets 409 and changes nothing; the history says who changed what and why', async () => {
    const before = json(await t.call('GET', '/api/v1/supervision/grade-policy', { as: 'admin' }));
    const first = before.items.map((p: any) => (p.grade === 'B' ? { ...p, ratio: 0.06 } : p));
    const second = before.items.map((p: any) => (p.grade === 'D' ? { ...p, perYear: 6 } : p));
    expect((await t.call('PUT', '/api/v1/supervision/grade-policy', { as: 'admin', body: { items: first, version: before.version, reason: '第一位管理员' } })).statusCode).toBe(200);
    const stale = await t.call('PUT', '/api/v1/supervision/grade-policy', { as: 'admin', body: { items: second, version: before.version, reason: '第二位管理员' } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('CONFLICT');
    const after = json(await t.call('GET', '/api/v1/supervision/grade-policy', { as: 'admin' }));
    expect(after.version).toBe(before.version + 1);
    expect(after.items.find((p: any) => p.grade === 'B').ratio).toBe(0.06);
    expect(after.items.find((p: any) => p.grade === 'D').perYear).toBe(before.items.find((p: any) => p.grade === 'D').perYear);

    const history = json(await t.call('GET', '/api/v1/supervision/config-history?kind=grade_policy', { as: 'supervisor1' })).items;
    expect(history[0]).toMatchObject({ kind: 'grade_policy', key: 'all', version: after.version, reason: '第一位管理员' });
    expect(history[0].before.items.find((p: any) => p.grade === 'B').ratio).toBe(before.items.find((p: any) => p.grade === 'B').ratio);
    expect(history[0].after.items.find((p: any) => p.grade === 'B').ratio).toBe(0.06);
    expect(history.at(-1)).toMatchObject({ version: 1, changedBy: 'system:migration' });
    expect(history.map((h: any) => h.reason)).not.toContain('第二位管理员');
  });
});

describe('market entities and platform reports', () => {
  it('registers a 微商 by platform and shop id, and refuses one without, or a bad USCC', async () => {
    const ok = await t.call('POST', '/api/v1/supervision/entities', { as: 'supervisor1', body: { kind: 'micro_seller', name: '小林的茶叶铺（微商）', regionCode: '330106', platformCode: DEMO_PLATFORM.code, shopId: 'shop-0099' } });
    expect(ok.statusCode).toBe(201);
    expect(json(ok)).toMatchObject({ kind: 'micro_seller', platform: DEMO_PLATFORM.code, shopId: 'shop-0099', uscc: null });
    const noShop = await t.call('POST', '/api/v1/supervision/entities', { as: 'supervisor1', body: { kind: 'micro_seller', name: 'x', regionCode: '330106' } });
    expect(noShop.statusCode).toBe(400);
    const badUscc = await t.call('POST', '/api/v1/supervision/entities', { as: 'supervisor1', body: { kind: 'company', name: 'x', regionCode: '330106', uscc: '91330106MA2H7Q3C2K' } });
    expect(json(badUscc).error.code).toBe('IDENTIFIER_INVALID');
    const dup = await t.call('POST', '/api/v1/supervision/entities', { as: 'supervisor1', body: { kind: 'micro_seller', name: 'y', regionCode: '330106', platformCode: DEMO_PLATFORM.code, shopId: 'shop-0099' } });
    expect(dup.statusCode).toBe(409);
  });

  it('takes a platform\'s batch attributed to it, and refuses unknown shops, malformed batches and bad keys whole', async () => {
    const before = await count('sup_platform_reports');
    const headers = { 'x-api-key': DEMO_PLATFORM.apiKey };
    const unknown = await t.call('POST', '/api/v1/supervision/platform-reports', { headers, body: { batchId: 'b1', period: '2026-10', reports: [{ shopId: 'shop-0001', listings: 3, complaints: 0, salesVolume: 100 }, { shopId: 'nope', listings: 1, complaints: 0, salesVolume: 1 }] } });
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).error.details[0].path).toBe('$.reports[1].shopId');
    const malformed = await t.call('POST', '/api/v1/supervision/platform-reports', { headers, body: { batchId: 'b1', period: '2026-13', reports: [{ shopId: 'shop-0001', listings: -1, complaints: 0, salesVolume: 1 }] } });
    expect(malformed.statusCode).toBe(400);
    const badKey = await t.call('POST', '/api/v1/supervision/platform-reports', { headers: { 'x-api-key': 'wrong' }, body: { batchId: 'b1', period: '2026-10', reports: [{ shopId: 'shop-0001', listings: 1, complaints: 0, salesVolume: 1 }] } });
    expect(badKey.statusCode).toBe(401);
    expect(await count('sup_platform_reports')).toBe(before);

    const good = await t.call('POST', '/api/v1/supervision/platform-reports', { headers, body: { batchId: 'b2', period: '2026-10', reports: [{ shopId: 'shop-0001', listings: 12, complaints: 14, salesVolume: 5230.5 }] } });
    expect(good.statusCode).toBe(201);
    expect(json(good)).toEqual({ batchId: 'b2', platform: DEMO_PLATFORM.code, accepted: 1 });
    expect((await t.call('POST', '/api/v1/supervision/platform-reports', { headers, body: { batchId: 'b2', period: '2026-10', reports: [{ shopId: 'shop-0001', listings: 1, complaints: 0, salesVolume: 1 }] } })).statusCode).toBe(409);

    // The complaints reach the grade, which says which rule fired.
    const seller = await entityByName('小周家的手作饰品（微商）');
    await t.services.supervision.grading.recompute(db(), { entityId: seller.id });
    const grade = json(await t.call('GET', `/api/v1/supervision/entities/${seller.id}/grade`, { as: 'supervisor1' }));
    expect(grade.fired).toContainEqual(expect.objectContaining({ code: 'platform-complaints', value: 14 }));
    expect(grade.grade).toBe('B');
  });
});

describe('告知承诺 follow-up', () => {
  it('schedules a check after an approval on commitment; a false commitment lists the entity and lowers its grade', async () => {
    const company = json(await t.call('GET', '/api/v1/me', { as: 'company1' })).company;
    const f = await t.services.supervision.scheduleCommitmentFollowUp({ applicant: { companyId: company.id }, applicationId: 'APP-2026-0001', matterCode: 'XK-330106-SP-001', department: DEPARTMENTS.xihuApproval, approvedAt: new Date('2026-09-28T02:00:00Z') });
    // 30 working days after 2026-09-28, across the National Day holiday and its make-up Saturday.
    expect(f).toMatchObject({ status: 'scheduled', dueDate: '2026-11-13' });
    const listed = json(await t.call('GET', '/api/v1/supervision/followups?status=scheduled', { as: 'inspector1' })).items;
    expect(listed.map((x: any) => x.id)).toContain(f!.id);
    const res = await t.call('POST', `/api/v1/supervision/followups/${f!.id}/result`, { as: 'inspector1', body: { truthful: false, finding: '承诺的冷链设施未配备', version: 1 } });
    expect(res.statusCode).toBe(200);
    const entity = await companyEntity();
    expect(entity.grade).toBe('D');
    const restriction = await t.services.supervision.fastTrackRestriction({ uscc: DEMO_COMPANY.uscc }, 'tolerance');
    expect(restriction?.entry.list).toBe('serious');
    expect(restriction?.reason).toContain('告知承诺不实');
    expect((await t.call('POST', `/api/v1/supervision/followups/${f!.id}/result`, { as: 'inspector1', body: { truthful: true, finding: 'x', version: 2 } })).statusCode).toBe(422);
  });
});

describe('credit repair', () => {
  it('refuses repair before the minimum publication period and withdraws the record once approved', async () => {
    const entity = await entityByName('杭州紫金港生鲜超市有限公司');
    const [serious, ordinary] = await db().insertInto('sup_penalties').values([
      { entity_id: entity.id, severity: 'serious', decision: '西市监处罚〔2026〕12号 销售过期食品', department: DEPARTMENTS.xihuMarket, decided_at: new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10) },
      { entity_id: entity.id, severity: 'ordinary', decision: '西市监处罚〔2026〕3号 未明码标价', department: DEPARTMENTS.xihuMarket, decided_at: new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10) },
    ]).returning('id').execute();
    // The entity's own agent would apply; here the supervisor files it at the counter for it.
    const early = await t.call('POST', '/api/v1/supervision/repairs', { as: 'supervisor1', body: { targetKind: 'penalty', targetId: serious!.id, correction: '已销毁过期食品并建立进货查验制度' } });
    expect(early.statusCode).toBe(422);
    expect(json(early).error.message).toMatch(/12 months.*runs until \d{4}-\d{2}-\d{2}/);
    const applied = await t.call('POST', '/api/v1/supervision/repairs', { as: 'supervisor1', body: { targetKind: 'penalty', targetId: ordinary!.id, correction: '已全面标价' } });
    expect(applied.statusCode).toBe(201);
    expect(json(applied).department).toBe(DEPARTMENTS.xihuMarket);
    const queue = json(await t.call('GET', '/api/v1/supervision/repairs', { as: 'supervisor1' })).items;
    expect(queue.map((r: any) => r.id)).toContain(json(applied).id);
    const publicBefore = json(await t.call('GET', `/api/v1/supervision/penalties?entityId=${entity.id}`)).items.map((p: any) => p.id);
    expect(publicBefore).toContain(ordinary!.id);
    const decided = await t.call('POST', `/api/v1/supervision/repairs/${json(applied).id}/decision`, { as: 'supervisor1', body: { approve: true, note: '整改到位', version: 1 } });
    expect(decided.statusCode).toBe(200);
    const publicAfter = json(await t.call('GET', `/api/v1/supervision/penalties?entityId=${entity.id}`)).items.map((p: any) => p.id);
    expect(publicAfter).not.toContain(ordinary!.id);
    expect(publicAfter).toContain(serious!.id);
  });

  it('lets company1 repair its own 经营异常名录 entry, after which fast tracks are open again', async () => {
    const entity = await companyEntity();
    const entry = json(await t.call('POST', '/api/v1/supervision/list-entries', { as: 'supervisor1', body: { entityId: entity.id, list: 'abnormal', reason: '未按期年报', legalBasis: '《企业经营异常名录管理暂行办法》第六条' } }));
    const applied = await t.call('POST', '/api/v1/supervision/repairs', { as: 'company1', body: { targetKind: 'list', targetId: entry.id, correction: '已补报年度报告' } });
    expect(applied.statusCode).toBe(201);
    expect((await t.call('POST', `/api/v1/supervision/repairs/${json(applied).id}/decision`, { as: 'company1', body: { approve: true, note: 'x', version: 1 } })).statusCode).toBe(403);
    await t.call('POST', `/api/v1/supervision/repairs/${json(applied).id}/decision`, { as: 'supervisor1', body: { approve: true, note: '已补报', version: 1 } });
    const onList = json(await t.call('GET', '/api/v1/supervision/lists?list=abnormal')).items.map((e: any) => e.id);
    expect(onList).not.toContain(entry.id);
  });
});
