/**
 * Done when: grid1 reports a leak in a building, it is dispatched, handled, checked (once failed
 * and reworked) and closed, and the resident rates it. Plus escalation, merging, time limits and
 * every refusal the issue names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_BUILDING, DEMO_GRID } from '../../seed/demo-identity.js';
import { DEMO_BUILDING_POINT, DEMO_GRID_2, DEMO_HANDLER, DEMO_HOUSEHOLD } from '../../seed/demo-governance.js';
import { step, tinyPng, uploadPhoto } from './test-support.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const EVENTS = '/api/v1/governance/events';
const leak = { categoryCode: 'water_leak', description: '0301室水管漏水，渗到0201室天花板', regionCode: DEMO_BUILDING, householdCode: DEMO_HOUSEHOLD };

describe('a leak reported by grid1, from report to rating', () => {
  it('goes through every step with actor, notes and photos, and the resident rates it', async () => {
    const photo = await uploadPhoto(t, 'grid1', tinyPng());
    expect(photo.statusCode).toBe(201);
    const reported = await t.call('POST', EVENTS, { as: 'grid1', body: { ...leak, photoIds: [photo.json().id] } });
    expect(reported.statusCode).toBe(201);
    const ev = reported.json();
    expect(ev).toMatchObject({ status: 'reported', channel: 'grid', handlingRegion: DEMO_GRID, department: DEMO_HANDLER.department, deadlineState: 'on_time' });
    // 5 working days: at least a week of calendar time minus a weekend's worth, never less than 5 days.
    expect(new Date(ev.promisedBy).getTime() - new Date(ev.reportedAt).getTime()).toBeGreaterThanOrEqual(5 * 24 * 3600 * 1000);

    for (const action of ['accept', 'verify', 'file']) expect((await step(t, 'grid1', ev.id, action, { notes: `${action} ok` })).statusCode).toBe(200);
    const dispatched = await step(t, 'grid1', ev.id, 'dispatch', { notes: '派住建局处置' });
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', department: DEMO_HANDLER.department });

    // grid1 sees the event but is not the department: 403. handler1 handles it.
    expect((await step(t, 'grid1', ev.id, 'handle')).statusCode).toBe(403);
    expect((await step(t, 'handler1', ev.id, 'handle', { notes: '更换了0301室的水管接头' })).json().status).toBe('handled');

    // The check fails: rework goes back to the department.
    const failed = await step(t, 'grid1', ev.id, 'check-fail', { notes: '仍有渗水' });
    expect(failed.json()).toMatchObject({ status: 'dispatched', reworkCount: 1 });
    const fixPhoto = await uploadPhoto(t, 'handler1', tinyPng());
    expect((await step(t, 'handler1', ev.id, 'handle', { notes: '重做防水层', photoIds: [fixPhoto.json().id] })).json().status).toBe('handled');
    expect((await step(t, 'grid1', ev.id, 'check-pass', { notes: '已不漏水' })).json().status).toBe('checked');
    expect((await step(t, 'grid1', ev.id, 'close')).json().status).toBe('closed');

    // The resident (张三, a member of household 0201) follows and rates it; someone else cannot see it.
    const seen = await t.call('GET', `${EVENTS}/${ev.id}`, { as: 'citizen1' });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().promisedBy).toBe(ev.promisedBy);
    expect((await t.call('GET', `${EVENTS}/${ev.id}`, { as: 'citizen2' })).statusCode).toBe(404);
    expect((await step(t, 'grid1', ev.id, 'rate', { rating: 5 })).statusCode).toBe(403);
    const rated = await step(t, 'citizen1', ev.id, 'rate', { rating: 5, comment: '处理及时' });
    expect(rated.json()).toMatchObject({ status: 'rated', rating: 5, openClosed: 'closed', followUpDueAt: null });

    const full = (await t.call('GET', `${EVENTS}/${ev.id}`, { as: 'grid1' })).json();
    expect(full.steps.map((s: { action: string }) => s.action)).toEqual([
      'report', 'accept', 'verify', 'file', 'dispatch', 'handle', 'check_fail', 'handle', 'check_pass', 'close', 'rate',
    ]);
    expect(full.steps.find((s: { action: string }) => s.action === 'check_fail')).toMatchObject({ notes: '仍有渗水', actor: expect.stringContaining('孙网格') });
    expect(full.photos).toHaveLength(2);
    const img = await t.call('GET', `/api/v1/governance/photos/${full.photos[0].id}`, { as: 'citizen1' });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect((await t.call('GET', `/api/v1/governance/photos/${full.photos[0].id}`, { as: 'citizen2' })).statusCode).toBe(404);

    const trail = (await t.call('GET', `/api/v1/audit?entityType=gov-event&entityId=${ev.id}`, { as: 'admin' })).json();
    expect(trail.items.map((i: { action: string }) => i.action)).toContain('gov-event.rate');
  });

  it('refuses a wrong step, a stale version and a step without its reason', async () => {
    const ev = (await t.call('POST', EVENTS, { as: 'grid1', body: leak })).json();
    expect((await step(t, 'grid1', ev.id, 'close')).json().error.code).toBe('INVALID_TRANSITION');
    const stale = await t.call('POST', `${EVENTS}/${ev.id}/accept`, { as: 'grid1', body: { version: ev.version + 3 } });
    expect(stale.statusCode).toBe(409);
    const noReason = await step(t, 'grid1', ev.id, 'reject');
    expect(noReason.statusCode).toBe(400);
    expect((await t.call('GET', `${EVENTS}/${ev.id}`, { as: 'grid1' })).json().status).toBe('reported');
  });

  it('a poor rating sets a follow-up deadline', async () => {
    const ev = (await t.call('POST', EVENTS, { as: 'citizen1', body: { categoryCode: 'street_light', description: '楼下路灯不亮', regionCode: DEMO_BUILDING } })).json();
    expect(ev.channel).toBe('app');
    for (const a of ['accept', 'verify', 'file', 'dispatch']) await step(t, 'grid1', ev.id, a);
    await step(t, 'admin', ev.id, 'handle', { notes: '已修' });
    await step(t, 'grid1', ev.id, 'check-pass');
    await step(t, 'grid1', ev.id, 'close');
    const rated = await step(t, 'citizen1', ev.id, 'rate', { rating: 1, comment: '没修好' });
    expect(rated.json().followUpDueAt).not.toBeNull();
  });
});

describe('escalation and duplicates', () => {
  it('escalates from the grid to the community, where grid1 no longer acts but official1 does', async () => {
    const ev = (await t.call('POST', EVENTS, { as: 'grid1', body: { categoryCode: 'road_damage', description: '路面塌陷', regionCode: DEMO_GRID } })).json();
    const up = await t.call('POST', `${EVENTS}/${ev.id}/escalate`, { as: 'grid1', body: { version: ev.version, notes: '超出网格处置能力' } });
    expect(up.json()).toMatchObject({ handlingRegion: DEMO_GRID.slice(0, 12), escalations: 1 });
    expect((await step(t, 'grid1', ev.id, 'accept')).statusCode).toBe(403);
    expect((await step(t, 'official1', ev.id, 'accept')).json().status).toBe('accepted');
  });

  it('merges a duplicate nearby report into the first and refuses an unrelated one', async () => {
    const first = (await t.call('POST', EVENTS, { as: 'grid1', body: { categoryCode: 'garbage', description: '垃圾堆放', ...DEMO_BUILDING_POINT } })).json();
    const second = (await t.call('POST', EVENTS, { as: 'grid1', body: { categoryCode: 'garbage', description: '又有人堆垃圾', regionCode: DEMO_BUILDING, lat: 30.2651, lon: 120.1501 } })).json();
    expect(first.regionCode).toBe(DEMO_BUILDING);
    const dups = (await t.call('GET', `${EVENTS}/${second.id}/duplicates`, { as: 'grid1' })).json();
    expect(dups.items.map((e: { id: string }) => e.id)).toContain(first.id);
    const other = (await t.call('POST', EVENTS, { as: 'grid1', body: { categoryCode: 'street_light', description: '路灯', regionCode: DEMO_BUILDING } })).json();
    expect((await step(t, 'grid1', second.id, 'merge', { intoEventId: other.id, notes: 'dup' })).json().error.code).toBe('RULE_VIOLATION');
    const merged = await step(t, 'grid1', second.id, 'merge', { intoEventId: first.id, notes: '同一处垃圾' });
    expect(merged.json()).toMatchObject({ status: 'merged', mergedInto: first.id, openClosed: 'closed' });
  });
});

describe('bad input is refused and changes nothing', () => {
  it('refuses a location outside the reporter\'s grid, an unknown unit or category, a point outside the area', async () => {
    const before = (await t.call('GET', EVENTS, { as: 'admin' })).json().items.length;
    const otherGrid = await t.call('POST', EVENTS, { as: 'grid1', body: { ...leak, regionCode: `${DEMO_GRID_2}B01`, householdCode: undefined } });
    expect(otherGrid.json().error.code).toBe('REGION_OUT_OF_SCOPE');
    expect((await t.call('POST', EVENTS, { as: 'grid1', body: { ...leak, categoryCode: 'alien_landing' } })).json().error.code).toBe('CATEGORY_UNKNOWN');
    expect((await t.call('POST', EVENTS, { as: 'grid1', body: { ...leak, regionCode: `${DEMO_GRID}B99`, householdCode: undefined } })).json().error.code).toBe('UNIT_UNKNOWN');
    const far = await t.call('POST', EVENTS, { as: 'citizen1', body: { categoryCode: 'garbage', description: '北京的垃圾', lat: 39.9, lon: 116.4 } });
    expect(far.json().error.code).toBe('LOCATION_OUT_OF_AREA');
    const wrongPoint = await t.call('POST', EVENTS, { as: 'grid1', body: { ...leak, lat: 30.30, lon: 120.20 } });
    expect(wrongPoint.json().error.code).toBe('LOCATION_OUT_OF_AREA');
    expect((await t.call('GET', EVENTS, { as: 'admin' })).json().items.length).toBe(before);
  });

  it('refuses an upload that is not an image, and one that is too large', async () => {
    const fake = await uploadPhoto(t, 'grid1', Buffer.from('%PDF-1.4 this is not a photo at all'), 'image/jpeg');
    expect(fake.statusCode).toBe(422);
    expect(fake.json().error.code).toBe('PHOTO_INVALID');
    const huge = Buffer.concat([tinyPng(), Buffer.alloc(6 * 1024 * 1024)]);
    const big = await uploadPhoto(t, 'grid1', huge);
    expect(big.statusCode).toBe(413);
  });

  it('does not let a photo be attached twice or by someone else', async () => {
    const photo = (await uploadPhoto(t, 'grid1', tinyPng())).json();
    const stolen = await t.call('POST', EVENTS, { as: 'citizen1', body: { categoryCode: 'garbage', description: '垃圾', regionCode: DEMO_BUILDING, photoIds: [photo.id] } });
    expect(stolen.statusCode).toBe(400);
  });
});

describe('time limits', () => {
  it('lists overdue events per department and grid, and categories are configurable by administrators', async () => {
    const cats = (await t.call('GET', '/api/v1/governance/categories', { as: 'grid1' })).json().items;
    const gas = cats.find((c: { code: string }) => c.code === 'gas_smell');
    expect(gas).toMatchObject({ urgency: 'urgent', acceptLimit: 2, acceptUnit: 'hours' });
    expect((await t.call('PUT', '/api/v1/governance/categories/gas_smell', { as: 'grid1', body: { version: gas.version, acceptLimit: 1, acceptUnit: 'hours', resolveLimit: 1, resolveUnit: 'hours', warnPercent: 50 } })).statusCode).toBe(403);
    const changed = await t.call('PUT', '/api/v1/governance/categories/gas_smell', { as: 'admin', body: { version: gas.version, acceptLimit: 1, acceptUnit: 'hours', resolveLimit: 1, resolveUnit: 'hours', warnPercent: 50 } });
    expect(changed.json()).toMatchObject({ acceptLimit: 1, resolveLimit: 1 });

    const ev = (await t.call('POST', EVENTS, { as: 'grid1', body: { categoryCode: 'gas_smell', description: '楼道燃气味', regionCode: DEMO_BUILDING } })).json();
    expect(new Date(ev.promisedBy).getTime() - new Date(ev.reportedAt).getTime()).toBe(3600 * 1000);
    // Two hours later it is overdue.
    const later = new Date(Date.now() + 2 * 3600 * 1000);
    expect(await t.services.governance.events.sweepOverdue(later)).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `${EVENTS}/${ev.id}`, { as: 'grid1' })).json().overdueSince).toBe(later.toISOString());
    const groups = await t.services.governance.dashboards.overdueGroups(await actorOf('grid1'), { groupBy: 'grid' }, later);
    expect(groups.groups.find((g) => g.key === DEMO_GRID)!.overdue).toBeGreaterThanOrEqual(1);
    const byDept = (await t.call('GET', '/api/v1/governance/overdue?groupBy=department', { as: 'official1' })).json();
    expect(byDept.groups.map((g: { key: string }) => g.key)).toContain('西湖区应急管理局');
  });
});

describe('grid worker assignments widen a worker\'s grids', () => {
  it('lets grid1 report and handle in a second grid once assigned there, and no longer once the assignment ends', async () => {
    const second = { categoryCode: 'road_damage', description: '第二网格路面破损', regionCode: `${DEMO_GRID_2}B01` };
    expect((await t.call('POST', EVENTS, { as: 'grid1', body: second })).statusCode).toBe(422);
    expect((await t.call('POST', `/api/v1/governance/grids/${DEMO_GRID_2}/workers`, { as: 'official1', body: { username: 'grid1' } })).statusCode).toBe(201);
    const ev = await t.call('POST', EVENTS, { as: 'grid1', body: second });
    expect(ev.statusCode).toBe(201);
    expect((await step(t, 'grid1', ev.json().id, 'accept')).statusCode).toBe(200);
    expect((await t.call('GET', `/api/v1/governance/households/${DEMO_GRID_2}B01H0101?purpose=visit`, { as: 'grid1' })).statusCode).toBe(200);
    expect((await t.call('DELETE', `/api/v1/governance/grids/${DEMO_GRID_2}/workers/grid1`, { as: 'official1' })).statusCode).toBe(204);
    expect((await step(t, 'grid1', ev.json().id, 'verify')).statusCode).toBe(403);
  });
});

async function actorOf(username: string) {
  const actor = await t.services.identity.authenticate(await t.token(username));
  return actor!;
}
