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
  it('summarises events of a grid and a district, and refuses finer or foreign regions', async () => {
    const report = (categoryCode: string) => t.call('POST', '/api/v1/governance/events', { as: 'grid1', body: { categoryCode, description: '测试事件', regionCode: DEMO_BUILDING } }).then((r) => r.json());
    const a = await report('street_light');
    await report('street_light');
    await report('garbage');
    for (const s of ['accept', 'verify', 'file', 'dispatch']) await step(t, 'grid1', a.id, s);
    await step(t, 'admin', a.id, 'handle');
    for (const s of ['check-pass', 'close']) await step(t, 'grid1', a.id, s);
    await step(t, 'grid1', a.id, 'rate', { rating: 4 }).then((r) => expect(r.statusCode).toBe(403));

    const d = (await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_GRID}`, { as: 'grid1' })).json();
    expect(d).toMatchObject({ region: DEMO_GRID, total: 3, open: 2, closed: 1, overdue: 0, overdueRate: 0 });
    expect(d.byCategory).toEqual([{ key: 'street_light', count: 2 }, { key: 'garbage', count: 1 }]);
    expect(d.byStatus).toEqual(expect.arrayContaining([{ key: 'closed', count: 1 }, { key: 'reported', count: 2 }]));
    expect(d.byGrid).toEqual([{ key: DEMO_GRID, count: 3 }]);
    expect(d.averageHoursToClose).toBeGreaterThanOrEqual(0);
    expect(d.satisfaction).toEqual({ ratings: 0, average: null, distribution: [] });

    const district = (await t.call('GET', '/api/v1/governance/dashboard?region=330106', { as: 'official1' })).json();
    expect(district.total).toBe(3);
    expect((await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_BUILDING}`, { as: 'grid1' })).json().error.code).toBe('STATISTICS_TOO_FINE');
    expect((await t.call('GET', `/api/v1/governance/dashboard?region=${DEMO_GRID_2}`, { as: 'grid1' })).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/governance/dashboard?region=330106', { as: 'citizen1' })).statusCode).toBe(403);
  });

  it('lists events in warning and overdue for staff', async () => {
    const list = (await t.call('GET', '/api/v1/governance/events?overdue=true', { as: 'grid1' })).json();
    expect(list.items).toEqual([]);
    const all = (await t.call('GET', '/api/v1/governance/events?limit=2', { as: 'grid1' })).json();
    expect(all.items).toHaveLength(2);
    const next = (await t.call('GET', `/api/v1/governance/events?limit=2&after=${all.nextCursor}`, { as: 'grid1' })).json();
    expect(next.items).toHaveLength(1);
    expect(next.items[0].id).not.toBe(all.items[1].id);
  });
});
