/**
 * Demo data for 城乡社区治理: grid1 assigned to the demo grid, a second grid next to it, area
 * outlines around 保俶路 so located reports can be placed, household privacy records (张三 lives
 * in 0201), a department officer who handles dispatched events, and the Open311 demo key.
 */
import type { Executor } from '../platform/db/database.js';
import type { Actor, Role } from '../platform/access/policy.js';
import type { Services } from '../app.js';
import { DEMO_BUILDING, DEMO_COMMUNITY, DEMO_GRID, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-identity.js';

export const DEMO_OPEN311_KEY = 'demo-open311-key';
export const DEMO_GRID_2 = `${DEMO_COMMUNITY}G02`;
export const DEMO_HANDLER = { username: 'handler1', department: '西湖区住房和城乡建设局' };
/** The household 张三 (citizen1) lives in. */
export const DEMO_HOUSEHOLD = `${DEMO_BUILDING}H0201`;

const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
/** A point inside the demo building's outline (保俶路 12号), for tests and the demo. */
export const DEMO_BUILDING_POINT = { lat: 30.2650, lon: 120.1500 };

export async function seedGovernanceDemo(services: Services, db: Executor): Promise<void> {
  const { identity, governance } = services;
  await governance.open311Keys.register('demo-open311-client', DEMO_OPEN311_KEY, db);
  await identity.createUser({
    username: DEMO_HANDLER.username, password: DEMO_PASSWORD, displayName: '林住建', roles: ['official'],
    regionCode: '330106', department: DEMO_HANDLER.department,
  }, db);

  await identity.addUnit(undefined, { code: DEMO_GRID_2, parentCode: DEMO_COMMUNITY, level: 'grid', name: '上保社区第二网格' }, db);
  await identity.addUnit(undefined, { code: `${DEMO_GRID_2}B01`, parentCode: DEMO_GRID_2, level: 'building', name: '保俶路20号1幢' }, db);
  await identity.addUnit(undefined, { code: `${DEMO_GRID_2}B01H0101`, parentCode: `${DEMO_GRID_2}B01`, level: 'household', name: '0101室' }, db);

  const areas: [string, ReturnType<typeof box>][] = [
    [DEMO_COMMUNITY, box(120.140, 30.255, 120.165, 30.275)],
    [DEMO_GRID, box(120.145, 30.260, 120.152, 30.270)],
    [DEMO_BUILDING, box(120.1495, 30.2645, 120.1505, 30.2655)],
    [DEMO_GRID_2, box(120.152, 30.260, 120.160, 30.270)],
  ];
  for (const [code, geometry] of areas) {
    await governance.tree.importUnits(undefined, [{ line: 0, code, parentCode: '', level: 'grid', name: '', geometry }], code, db);
  }

  for (const room of ['0101', '0102', '0201', '0202', '0301', '0302']) {
    await governance.households.ensureHousehold(`${DEMO_BUILDING}H${room}`, db);
  }
  await governance.households.ensureHousehold(`${DEMO_GRID_2}B01H0101`, db);
  const zhangsan = await identity.personIdByResidentId(DEMO_PEOPLE.zhangsan.residentId, db);
  if (zhangsan) await governance.households.addMember(undefined, DEMO_HOUSEHOLD, zhangsan, db);
  await governance.tree.assign(undefined, DEMO_GRID, 'grid1', db);
  await seedDemoEvents(services, db);
}

/** The seed acts as the demo users would; it builds their actors the way sign-in does, without a session. */
async function demoActor(services: Services, username: string, db: Executor): Promise<Actor> {
  const u = (await services.identity.userByUsername(username, db))!;
  return {
    userId: u.id, username: u.username, roles: u.roles as Role[], personId: u.personId ?? undefined, regionCode: u.regionCode ?? undefined,
    department: u.department ?? undefined, assuranceLevel: 2, grants: [], label: u.department ? `${u.department} · ${u.displayName}` : u.displayName,
  };
}

/** A few events so the dashboards and lists have something to show: one rated, one in progress, two new. */
async function seedDemoEvents(services: Services, db: Executor): Promise<void> {
  const { events } = services.governance;
  const [grid1, handler1, citizen1] = await Promise.all(['grid1', DEMO_HANDLER.username, 'citizen1'].map((u) => demoActor(services, u, db)));
  const leak = await events.report(grid1, { categoryCode: 'water_leak', description: '0301室水管渗漏到0201室天花板', regionCode: DEMO_BUILDING, householdCode: DEMO_HOUSEHOLD }, db);
  let version = leak.version;
  const go = async (actor: Actor, action: Parameters<typeof events.act>[2], extra: Record<string, unknown> = {}) => {
    version = (await events.act(actor, leak.id, action, { version, ...extra }, db)).version;
  };
  for (const a of ['accept', 'verify', 'file', 'dispatch'] as const) await go(grid1, a);
  await go(handler1, 'handle', { notes: '更换0301室水管接头' });
  await go(grid1, 'check_pass', { notes: '复查不再渗水' });
  await go(grid1, 'close');
  await go(citizen1, 'rate', { rating: 5, comment: '处理及时' });

  const light = await events.report(citizen1, { categoryCode: 'street_light', description: '楼下路灯不亮', regionCode: DEMO_BUILDING }, db);
  await events.act(grid1, light.id, 'accept', { version: light.version }, db);
  await events.report({ client: 'demo-open311-client' }, { categoryCode: 'garbage', description: '保俶路口垃圾堆放', ...DEMO_BUILDING_POINT }, db);
  await events.report(grid1, { categoryCode: 'elderly_check', description: '独居老人两天未出门', regionCode: `${DEMO_BUILDING}H0302` }, db);
}
