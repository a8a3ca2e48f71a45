/** Dashboard data: events by category, status and grid, overdue rate, time to close, satisfaction — per region, in scope only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_BUILDING, DEMO_GRID } from '../../seed/demo-identity.js';
import { DEMO_GRID_2 } from '../../seed/demo-governance.js';
import { step } from './test-support.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

describe('governance dashboard', () => {
  it('starts from the demo events: one rated 5, one in progress, two new', async () => {
    const d = (await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_GRID}`, { as: 'grid1' })).json();
    expect(d).toMatchObject({ total: 4, open: 3, closed: 1, satisfaction: { ratings: 1, average: 5 } });
  });

  it('summarises events of a grid and a district, and refuses finer or foreign regions', async () => {
    const base = (await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_GRID}`, { as: 'grid1' })).json();
    const count = (d: { byCategory: { key: string; count: number }[] }, key: string) => d.byCategory.find((c) => c.key === key)?.count ?? 0;
    const report = (categoryCode: string) => t.call('POST', '/api/v1/governance/events', { as: 'grid1', body: { categoryCode, description: '测试事件', regionCode: DEMO_BUILDING } }).then((r) => r.json());
    const a = await report('street_light');
    await report('street_light');
    await report('garbage');
    for (const s of ['accept', 'verify', 'file', 'dispatch']) await step(t, 'grid1', a.id, s);
    await step(t, 'admin', a.id, 'handle');
    for (const s of ['check-pass', 'close']) await step(t, 'grid1', a.id, s);
    await step(t, 'grid1', a.id, 'rate', { rating: 4 }).then((r) => expect(r.statusCode).toBe(403));

    const d = (await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_GRID}`, { as: 'grid1' })).json();
    expect(d).toMatchObject({ region: DEMO_GRID, total: base.total + 3, open: base.open + 2, closed: base.closed + 1, overdue: 0, overdueRate: 0 });
    expect(count(d, 'street_light')).toBe(count(base, 'street_light') + 2);
    expect(count(d, 'garbage')).toBe(count(base, 'garbage') + 1);
    expect(d.byGrid).toEqual([{ key: DEMO_GRID, count: base.total + 3 }]);
    expect(d.averageHoursToClose).toBeGreaterThanOrEqual(0);
    expect(d.satisfaction).toEqual(base.satisfaction);

    const district = (await t.call('GET', '/api/v1/governance/dashboard?region=330106', { as: 'official1' })).json();
    expect(district.total).toBe(d.total);
    expect((await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_BUILDING}`, { as: 'grid1' })).json().error.code).toBe('STATISTICS_TOO_FINE');
    expect((await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_GRID_2}`, { as: 'grid1' })).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/governance/dashboard?region=330106', { as: 'citizen1' })).statusCode).toBe(403);
  });

  it('lists events in warning and overdue for staff', async () => {
    const list = (await t.call('GET', '/api/v1/governance/events?overdue=true', { as: 'grid1' })).json();
    expect(list.items).toEqual([]);
    const all = (await t.call('GET', '/api/v1/governance/events?limit=200', { as: 'grid1' })).json().items;
    const first = (await t.call('GET', '/api/v1/governance/events?limit=2', { as: 'grid1' })).json();
    expect(first.items).toHaveLength(2);
    const next = (await t.call('GET', `/api/v1/governance/events?limit=200&after=${first.nextCursor}`, { as: 'grid1' })).json();
    expect([...first.items, ...next.items].map((e: { id: string }) => e.id)).toEqual(all.map((e: { id: string }) => e.id));
  });
});
