/**
 * Done when: a household's privacy choice visibly changes what statistics show. Plus the
 * k-anonymity rule as a property, and the refusals for statistics that would single out a
 * household and for a grid worker reading another grid's household.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_BUILDING, DEMO_GRID, DEMO_PEOPLE } from '../../seed/demo-identity.js';
import { DEMO_GRID_2, DEMO_HOUSEHOLD } from '../../seed/demo-governance.js';
import { anonymise, countableAt, K_ANONYMITY } from './privacy.js';

describe('k-anonymity', () => {
  const cells = fc.array(fc.record({ unit: fc.string({ minLength: 1, maxLength: 6 }), households: fc.nat(30), measures: fc.record({ m: fc.nat(30) }) }), { maxLength: 12 })
    .map((cs) => cs.filter((c, i) => cs.findIndex((d) => d.unit === c.unit) === i).map((c) => ({ ...c, measures: { m: Math.min(c.measures.m, c.households) } })));

  it('never shows a cell or sub-count between 1 and k-1, and hidden cells together are 0 or at least k', () => {
    fc.assert(fc.property(cells, (raw) => {
      const shown = anonymise(raw);
      for (const c of shown) {
        if (!c.suppressed) {
          expect(c.households === 0 || c.households! >= K_ANONYMITY).toBe(true);
          expect(c.measures.m === null || c.measures.m === 0 || c.measures.m! >= K_ANONYMITY).toBe(true);
        }
      }
      const hidden = raw.filter((_, i) => shown[i]!.suppressed).reduce((s, c) => s + c.households, 0);
      const anyShown = shown.some((c) => !c.suppressed && c.households! > 0);
      expect(hidden === 0 || hidden >= K_ANONYMITY || !anyShown).toBe(true);
      // Nothing that is large enough and not needed for the complement is hidden.
      expect(shown.filter((c) => c.suppressed).length).toBeLessThanOrEqual(raw.filter((c) => c.households > 0).length);
    }));
  });

  it('counts a household only at or above the unit it allows', () => {
    expect(countableAt('building', 'household')).toBe(false);
    expect(countableAt('building', 'building')).toBe(true);
    expect(countableAt('grid', 'building')).toBe(false);
    expect(countableAt('grid', 'community')).toBe(true);
    expect(countableAt('excluded', 'community')).toBe(false);
  });
});

describe('household privacy and statistics', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  const stats = async (region: string, by: string) => t.call('GET', `/api/v1/governance/stats/households?region=${region}&by=${by}`, { as: 'grid1' });
  const buildingCell = async () => (await stats(DEMO_GRID, 'building')).json().cells.find((c: { unit: string }) => c.unit === DEMO_BUILDING);
  const setPrivacy = async (as: string, code: string, choice: Record<string, unknown>) => {
    const mine = (await t.call('GET', '/api/v1/me/households', { as })).json().items.find((h: { householdCode: string }) => h.householdCode === code);
    return t.call('PUT', `/api/v1/governance/households/${code}/privacy`, { as, body: { version: mine.version, elderlyCareVisits: false, phoneCalls: true, doorVisits: true, ...choice } });
  };

  it("changes what the building statistics show when households choose", async () => {
    expect(await buildingCell()).toMatchObject({ suppressed: false, households: 6 });

    // 张三's household: "count us in grid statistics only".
    const chose = await setPrivacy('citizen1', DEMO_HOUSEHOLD, { minUnit: 'grid', phoneCalls: false });
    expect(chose.statusCode).toBe(200);
    expect(await buildingCell()).toMatchObject({ suppressed: false, households: 5 });
    expect((await stats(DEMO_GRID, 'grid')).json().cells[0]).toMatchObject({ unit: DEMO_GRID, households: 6 });

    // A second household (王五 in 0102) opts out of statistics altogether: the building falls below k and is hidden.
    const added = await t.call('POST', `/api/v1/governance/households/${DEMO_BUILDING}H0102/members`, { as: 'official1', body: { residentId: DEMO_PEOPLE.wangwu.residentId } });
    expect(added.statusCode).toBe(204);
    expect((await setPrivacy('company1', `${DEMO_BUILDING}H0102`, { minUnit: 'excluded' })).statusCode).toBe(200);
    expect(await buildingCell()).toEqual({ unit: DEMO_BUILDING, suppressed: true, households: null, measures: { elderlyCareVisits: null } });
    const grid = (await stats(DEMO_GRID, 'grid')).json();
    expect(grid.cells[0]).toMatchObject({ households: 5 });
    expect(grid.excludedByChoice).toBeNull();
  });

  it('hides a small sub-count inside a shown cell', async () => {
    await setPrivacy('citizen1', DEMO_HOUSEHOLD, { minUnit: 'grid', elderlyCareVisits: true });
    const grid = (await stats(DEMO_GRID, 'grid')).json();
    expect(grid.cells[0].measures.elderlyCareVisits).toBeNull();
  });

  it('refuses statistics that would single out a household', async () => {
    expect((await stats(DEMO_GRID, 'household')).json().error.code).toBe('STATISTICS_TOO_FINE');
    expect((await stats(DEMO_HOUSEHOLD, 'building')).json().error.code).toBe('STATISTICS_TOO_FINE');
    expect((await stats(DEMO_GRID_2, 'building')).statusCode).toBe(404);
  });

  it("lets grid1 read its own grid's household choices (logged for the members) but not another grid's", async () => {
    const own = await t.call('GET', `/api/v1/governance/households/${DEMO_HOUSEHOLD}?purpose=${encodeURIComponent('独居老人探访安排')}`, { as: 'grid1' });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ memberCount: 1, privacy: { minUnit: 'grid', elderlyCareVisits: true } });
    const log = (await t.call('GET', '/api/v1/me/data-access-log', { as: 'citizen1' })).json();
    expect(log.items[0]).toMatchObject({ purpose: '独居老人探访安排', fields: ['household.contactPreferences'] });
    const other = await t.call('GET', `/api/v1/governance/households/${DEMO_GRID_2}B01H0101?purpose=curious`, { as: 'grid1' });
    expect(other.statusCode).toBe(404);
  });

  it('lets only members change a household, and refuses a stale version', async () => {
    expect((await t.call('PUT', `/api/v1/governance/households/${DEMO_HOUSEHOLD}/privacy`, { as: 'citizen2', body: { version: 1, minUnit: 'household', elderlyCareVisits: false, phoneCalls: true, doorVisits: true } })).statusCode).toBe(404);
    expect((await t.call('PUT', `/api/v1/governance/households/${DEMO_HOUSEHOLD}/privacy`, { as: 'citizen1', body: { version: 1, minUnit: 'household', elderlyCareVisits: false, phoneCalls: true, doorVisits: true } })).statusCode).toBe(409);
  });
});
