/** The grid tree: add, import (CSV/GeoJSON), move, merge, split with history; grid worker assignments. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { DEMO_BUILDING, DEMO_COMMUNITY, DEMO_GRID } from '../../seed/demo-identity.js';
import { DEMO_GRID_2 } from '../../seed/demo-governance.js';
import { parseCsv } from './tree-import.js';

const TREE = '/api/v1/governance/tree';

describe('CSV parsing', () => {
  it('round-trips any table of fields through RFC 4180 quoting', () => {
    const field = fc.string({ maxLength: 12 });
    fc.assert(fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (table) => {
      const rows = table.filter((r) => r.some((f) => f !== ''));
      const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\r\n');
      expect(parseCsv(text)).toEqual(rows);
    }));
  });
});

describe('grid tree maintenance', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  const newBuilding = `${DEMO_GRID}B02`;

  it('imports buildings and households from CSV and an outline from GeoJSON, all or nothing', async () => {
    const bad = `code,parent_code,level,name\n${newBuilding},${DEMO_GRID},building,2幢\n${newBuilding}H0101,${DEMO_GRID_2}B01,household,0101室\n`;
    const refused = await t.call('POST', `${TREE}/import`, { as: 'official1', body: { within: DEMO_COMMUNITY, format: 'csv', content: bad } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].path).toBe('$[3]');

    const csv = `code,parent_code,level,name\r\n${newBuilding},${DEMO_GRID},building,"保俶路12号2幢"\r\n${newBuilding}H0101,${newBuilding},household,0101室\r\n${newBuilding}H0102,${newBuilding},household,0102室\r\n`;
    const ok = await t.call('POST', `${TREE}/import`, { as: 'official1', body: { within: DEMO_COMMUNITY, format: 'csv', content: csv } });
    expect(ok.json().created).toEqual([newBuilding, `${newBuilding}H0101`, `${newBuilding}H0102`]);
    expect((await t.call('POST', `${TREE}/import`, { as: 'grid1', body: { within: DEMO_GRID, format: 'csv', content: csv } })).statusCode).toBe(403);

    const geo = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: newBuilding, parentCode: DEMO_GRID, level: 'building', name: '保俶路12号2幢' },
      geometry: { type: 'Polygon', coordinates: [[[120.1470, 30.2620], [120.1480, 30.2620], [120.1480, 30.2630], [120.1470, 30.2630], [120.1470, 30.2620]]] } }] };
    const areas = await t.call('POST', `${TREE}/import`, { as: 'official1', body: { within: DEMO_COMMUNITY, format: 'geojson', content: JSON.stringify(geo) } });
    expect(areas.json().areas).toEqual([newBuilding]);
    const placed = await t.call('POST', '/api/v1/governance/events', { as: 'citizen1', body: { categoryCode: 'garbage', description: '2幢门口垃圾', lat: 30.2625, lon: 120.1475 } });
    expect(placed.json().regionCode).toBe(newBuilding);
  });

  it('moves a building to another grid: new codes, events and households follow, history kept', async () => {
    const ev = (await t.call('POST', '/api/v1/governance/events', { as: 'grid1', body: { categoryCode: 'water_leak', description: '2幢漏水', regionCode: `${newBuilding}H0101` } })).json();
    const moved = await t.call('POST', `${TREE}/move`, { as: 'official1', body: { code: newBuilding, newParentCode: DEMO_GRID_2, note: '网格调整' } });
    expect(moved.statusCode).toBe(200);
    const map = moved.json().codeMap;
    const to = map[newBuilding];
    expect(to).toBe(`${DEMO_GRID_2}B02`);
    expect(map[`${newBuilding}H0101`]).toBe(`${to}H0101`);

    const after = (await t.call('GET', `/api/v1/governance/events/${ev.id}`, { as: 'official1' })).json();
    expect(after).toMatchObject({ regionCode: `${to}H0101`, handlingRegion: DEMO_GRID_2, householdCode: `${to}H0101` });
    // grid1 reported it and may still follow it, but the new grid is responsible now.
    expect((await t.call('POST', `/api/v1/governance/events/${ev.id}/accept`, { as: 'grid1', body: { version: after.version } })).statusCode).toBe(403);
    expect((await t.services.identity.unitByCode(newBuilding) as unknown as { retired_at: Date | null }).retired_at).not.toBeNull();

    const history = (await t.call('GET', `${TREE}/history?code=${newBuilding}`, { as: 'official1' })).json();
    expect(history.items[0]).toMatchObject({ action: 'move', note: '网格调整' });
    expect(history.items[0].codeMap[newBuilding]).toBe(to);
  });

  it('splits a building into two, placing every household, and refuses a split that leaves one out', async () => {
    const rooms = ['0101', '0102', '0201', '0202', '0301', '0302'].map((r) => `${DEMO_BUILDING}H${r}`);
    const partial = await t.call('POST', `${TREE}/split`, { as: 'official1', body: { code: DEMO_BUILDING, parts: [{ name: '1单元', children: rooms.slice(0, 3) }, { name: '2单元', children: rooms.slice(3, 5) }] } });
    expect(partial.statusCode).toBe(400);
    const split = await t.call('POST', `${TREE}/split`, { as: 'official1', body: { code: DEMO_BUILDING, parts: [{ name: '1单元', children: rooms.slice(0, 3) }, { name: '2单元', children: rooms.slice(3) }] } });
    expect(split.statusCode).toBe(200);
    const map = split.json().codeMap;
    expect(Object.values(map)).toEqual(expect.arrayContaining([`${DEMO_GRID}B03`, `${DEMO_GRID}B04`]));
    // 张三's household followed, with its privacy record and membership.
    const mine = (await t.call('GET', '/api/v1/me/households', { as: 'citizen1' })).json().items;
    expect(mine[0].householdCode).toBe(map[`${DEMO_BUILDING}H0201`]);
  });

  it('merges the second grid into the first', async () => {
    const merged = await t.call('POST', `${TREE}/merge`, { as: 'official1', body: { sources: [DEMO_GRID_2], target: DEMO_GRID } });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().codeMap[DEMO_GRID_2]).toBe(DEMO_GRID);
    expect(Object.keys(merged.json().codeMap).length).toBeGreaterThan(1);
  });

  it('assigns and unassigns grid workers', async () => {
    const list = (await t.call('GET', `/api/v1/governance/grids/${DEMO_GRID}/workers`, { as: 'grid1' })).json();
    expect(list.items).toHaveLength(1);
    expect((await t.call('POST', `/api/v1/governance/grids/${DEMO_GRID}/workers`, { as: 'grid1', body: { username: 'grid1' } })).statusCode).toBe(403);
    expect((await t.call('POST', `/api/v1/governance/grids/${DEMO_GRID}/workers`, { as: 'official1', body: { username: 'citizen1' } })).statusCode).toBe(400);
    expect((await t.call('POST', `/api/v1/governance/grids/${DEMO_GRID}/workers`, { as: 'official1', body: { username: 'grid1' } })).statusCode).toBe(409);
    expect((await t.call('DELETE', `/api/v1/governance/grids/${DEMO_GRID}/workers/grid1`, { as: 'official1' })).statusCode).toBe(204);
    expect((await t.call('GET', `/api/v1/governance/grids/${DEMO_GRID}/workers`, { as: 'official1' })).json().items).toHaveLength(0);
  });
});
