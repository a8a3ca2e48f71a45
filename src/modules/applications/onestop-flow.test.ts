/**
 * The "Done when", step by step through the API on PostgreSQL: citizen1 finds 社保转移
 * by typing "shebao zhuanyi", applies reusing materials from their library, official1 (西湖区
 * 行政审批局) accepts and approves, citizen1 follows the timeline and rates it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { chinaDate, workingDayCalendar } from '../../platform/calendar/working-days.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

describe('一网通办 end to end: find, apply with reused materials, accept, approve, follow, rate', () => {
  let matterCode: string;
  let applicationId: string;
  let version: number;
  const library: Record<string, { id: string; contentHash: string }> = {};

  it('1. citizen1 finds 社保转移 by typing "shebao zhuanyi"', async () => {
    const res = await t.call('GET', '/api/v1/catalog/search?q=shebao%20zhuanyi&region=330106', { as: 'citizen1' });
    expect(res.statusCode).toBe(200);
    const top = res.json().items[0];
    expect(top).toMatchObject({ code: '330106-SB-001', kind: 'matter', department: '西湖区行政审批局' });
    expect(top.name).toContain('转移');
    matterCode = top.code;
  });

  it('2. the matter offers their verified identity and their earlier materials for reuse', async () => {
    const res = await t.call('GET', `/api/v1/applications/prepare?matterCode=${matterCode}`, { as: 'citizen1' });
    expect(res.statusCode).toBe(200);
    const prep = res.json();
    expect(prep.form).toMatchObject({ name: '张三', phone: '13805710001' });
    expect(prep.form.residentId).toMatch(/^330106194905120/);
    for (const key of ['id-card', 'address']) {
      const offer = prep.materials.find((m: any) => m.key === key);
      expect(offer.library.length).toBeGreaterThan(0);
      expect(offer.library[0].fresh).toBe(true);
      library[key] = offer.library[0];
    }
    // Shown, not stored: nothing has been filed yet.
    expect((await t.call('GET', '/api/v1/applications', { as: 'citizen1' })).json().items).toEqual([]);
  });

  it('3. citizen1 applies reusing those materials; a retried submit returns the same application', async () => {
    const body = {
      matterCode, form: { fromRegion: '上海市黄浦区', fromAgency: '黄浦区社会保险事业管理中心' },
      materials: [{ key: 'id-card', materialId: library['id-card']!.id }, { key: 'address', materialId: library.address!.id }],
    };
    const headers = { 'idempotency-key': 'citizen1-sb-transfer-0001' };
    const res = await t.call('POST', '/api/v1/applications', { as: 'citizen1', body, headers });
    expect(res.statusCode).toBe(201);
    const app = res.json().application;
    expect(app).toMatchObject({ status: 'submitted', matterCode, department: '西湖区行政审批局', regionCode: '330106', matterVersion: 1 });
    expect(app.form).toMatchObject({ name: '张三', fromRegion: '上海市黄浦区' });
    expect(app.materials).toEqual(expect.arrayContaining([
      expect.objectContaining({ key: 'id-card', source: 'library', materialId: library['id-card']!.id, contentHash: library['id-card']!.contentHash }),
      expect.objectContaining({ key: 'address', source: 'library', materialId: library.address!.id }),
    ]));
    const retry = await t.call('POST', '/api/v1/applications', { as: 'citizen1', body, headers });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ replayed: true, application: { id: app.id } });
    expect((await t.call('GET', '/api/v1/applications', { as: 'citizen1' })).json().items).toHaveLength(1);
    applicationId = app.id;
    version = app.version;
  });

  it('4. official1 finds it in the 西湖区行政审批局 queue and accepts it: the promised limit runs in working days', async () => {
    const queue = (await t.call('GET', '/api/v1/applications/queue?status=submitted', { as: 'official1' })).json();
    expect(queue.items.map((i: any) => i.id)).toContain(applicationId);
    expect((await t.call('GET', '/api/v1/applications/queue', { as: 'official2' })).json().items.map((i: any) => i.id)).not.toContain(applicationId);
    const res = await t.call('POST', `/api/v1/applications/${applicationId}/actions`, { as: 'official1', body: { action: 'accept', version } });
    expect(res.statusCode).toBe(200);
    const app = res.json();
    const today = chinaDate();
    expect(app).toMatchObject({ status: 'accepted', acceptedOn: today, dueOn: workingDayCalendar.addWorkingDays(today, 15), workingDaysLeft: 15 });
    version = app.version;
  });

  it('5. official1 approves it', async () => {
    const res = await t.call('POST', `/api/v1/applications/${applicationId}/actions`, { as: 'official1', body: { action: 'approve', version, reason: '转移接续手续已办结' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', result: '转移接续手续已办结' });
    version = res.json().version;
  });

  it('6. citizen1 sees the timeline, and sees that official1 read their data', async () => {
    const app = (await t.call('GET', `/api/v1/applications/${applicationId}`, { as: 'citizen1' })).json();
    expect(app.status).toBe('approved');
    expect(app.timeline.map((e: any) => [e.action, e.toStatus])).toEqual([['submit', 'submitted'], ['accept', 'accepted'], ['approve', 'approved']]);
    expect(app.timeline[1].actor).toContain('西湖区行政审批局');
    expect(app.timeline[2].reason).toBe('转移接续手续已办结');
    await t.call('GET', `/api/v1/applications/${applicationId}`, { as: 'official1' });
    const scan = await t.call('GET', `/api/v1/applications/${applicationId}/materials/id-card/content`, { as: 'official1' });
    expect(scan.statusCode).toBe(200);
    expect(scan.headers['content-type']).toBe('image/png');
    expect((await t.call('GET', `/api/v1/applications/${applicationId}/materials/id-card/content`, { as: 'official2' })).statusCode).toBe(404);
    const log = (await t.call('GET', '/api/v1/me/data-access-log', { as: 'citizen1' })).json().items;
    expect(log[0]).toMatchObject({ department: '西湖区行政审批局', purpose: expect.stringContaining('办件审查') });
  });

  it('7. citizen1 rates it; the department\'s satisfaction figures include it', async () => {
    const res = await t.call('POST', `/api/v1/applications/${applicationId}/rating`, { as: 'citizen1', body: { score: 5, comment: '全程网办，没跑腿' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().rating).toMatchObject({ score: 5, comment: '全程网办，没跑腿', rectification: null });
    const stats = (await t.call('GET', '/api/v1/ratings/stats?region=330106')).json().items;
    expect(stats).toContainEqual(expect.objectContaining({ department: '西湖区行政审批局', ratings: 1, average: 5, satisfactionRate: 1 }));
  });

  it('every step is on the audit chain, and the chain verifies', async () => {
    const verify = (await t.call('GET', '/api/v1/audit/verify', { as: 'admin' }));
    const entries = (await t.call('GET', `/api/v1/audit?entityType=application&entityId=${applicationId}`, { as: 'admin' })).json();
    expect(verify.json().ok).toBe(true);
    expect(entries.items.map((e: any) => e.action).reverse()).toEqual(['application.submit', 'application.accept', 'application.approve', 'application.rate']);
  });
});
