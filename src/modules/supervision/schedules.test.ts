/** Grade-driven inspection frequency: standing schedules, their yearly plan, and the tasks they create. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { scheduleJobs } from '../../app.js';
import type { Scheduler } from '../../platform/jobs/scheduler.js';
import { chinaDate } from '../../platform/calendar/working-days.js';
import { DEMO_COMPANY } from '../../seed/demo-identity.js';
import { periodOf, roundsInPeriod } from './schedules.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const json = (res: { json(): any }) => res.json();
const items = async () => json(await t.call('GET', '/api/v1/supervision/items')).items.map((i: any) => i.id);

describe('rounds spread over periods', () => {
  it('puts exactly perYear rounds in a year, never more than ⌈perYear/periods⌉ in one period', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 24 }), fc.constantFrom(1, 2, 3, 4, 6, 12), (perYear, periods) => {
      const per = Array.from({ length: periods }, (_, i) => roundsInPeriod(perYear, periods, i + 1));
      expect(per.reduce((a, b) => a + b, 0)).toBe(perYear);
      expect(Math.max(...per)).toBeLessThanOrEqual(Math.ceil(perYear / periods));
    }));
  });

  it('finds the period of a date', () => {
    expect(periodOf('2026-05-10', 4)).toMatchObject({ p: 2, key: '2026-2/4' });
    expect(periodOf('2026-12-31', 12)).toMatchObject({ p: 12, key: '2026-12/12' });
    expect(periodOf('2026-12-31', 1)).toMatchObject({ p: 1, key: '2026-1/1' });
  });
});

describe('standing schedules', () => {
  let schedule: any;

  beforeAll(async () => {
    // A company on the 严重违法失信名单 is graded D: inspected every quarter.
    const entities = json(await t.call('GET', '/api/v1/supervision/entities?limit=500', { as: 'supervisor1' })).items;
    const company = entities.find((e: any) => e.uscc === DEMO_COMPANY.uscc);
    await t.call('POST', '/api/v1/supervision/list-entries', { as: 'supervisor1', body: { entityId: company.id, list: 'serious', reason: '食品安全严重违法', legalBasis: '《食品安全法》第一百三十四条' } });
  });

  it('refuses a schedule with fewer periods than the most frequent grade needs, out of region, or from an inspector', async () => {
    const body = { name: '西湖区食品经营双随机', regionCode: '330106', itemIds: await items(), periodsPerYear: 2 };
    const few = await t.call('POST', '/api/v1/supervision/schedules', { as: 'supervisor1', body });
    expect(json(few).error).toMatchObject({ code: 'RULE_VIOLATION', details: [{ path: '$.periodsPerYear' }] });
    expect(json(await t.call('POST', '/api/v1/supervision/schedules', { as: 'supervisor1', body: { ...body, periodsPerYear: 4, regionCode: '310101' } })).error.code).toBe('REGION_OUT_OF_SCOPE');
    expect((await t.call('POST', '/api/v1/supervision/schedules', { as: 'inspector1', body: { ...body, periodsPerYear: 4 } })).statusCode).toBe(403);
    expect((await t.call('POST', '/api/v1/supervision/schedules', { as: 'supervisor1', body: { ...body, periodsPerYear: 5 } })).statusCode).toBe(400);
    const ok = await t.call('POST', '/api/v1/supervision/schedules', { as: 'supervisor1', body: { ...body, periodsPerYear: 4 } });
    expect(ok.statusCode).toBe(201);
    schedule = json(ok);
  });

  it('lists the schedules of the planner\'s region, newest first; an inspector may not', async () => {
    const second = json(await t.call('POST', '/api/v1/supervision/schedules', { as: 'supervisor1', body: { name: '西湖区第二个计划', regionCode: '330106', itemIds: await items(), periodsPerYear: 12 } }));
    const listed = json(await t.call('GET', '/api/v1/supervision/schedules', { as: 'supervisor1' })).items;
    expect(listed.map((s: { id: string }) => s.id).slice(0, 2)).toEqual([second.id, schedule.id]);
    expect(listed[1]).toMatchObject({ name: '西湖区食品经营双随机', regionCode: '330106', periodsPerYear: 4, active: true });
    expect((await t.call('GET', '/api/v1/supervision/schedules', { as: 'inspector1' })).statusCode).toBe(403);
    expect(json(await t.call('GET', '/api/v1/supervision/schedules', { as: 'admin' })).items.map((s: { id: string }) => s.id)).toContain(schedule.id);
  });

  it('plans each grade as often as configured: A 3 % once, B 5 % once, C 20 % twice, D 100 % four times a year', async () => {
    const plan = json(await t.call('GET', `/api/v1/supervision/schedules/${schedule.id}/plan?year=2026`, { as: 'supervisor1' }));
    expect(plan.periods.map((p: any) => [p.period, p.startsOn, p.ratios])).toEqual([
      ['2026-1/4', '2026-01-01', { A: 0.03, B: 0.05, C: 0.2, D: 1 }],
      ['2026-2/4', '2026-04-01', { A: 0, B: 0, C: 0, D: 1 }],
      ['2026-3/4', '2026-07-01', { A: 0, B: 0, C: 0.2, D: 1 }],
      ['2026-4/4', '2026-10-01', { A: 0, B: 0, C: 0, D: 1 }],
    ]);
    const d = plan.grades.find((g: any) => g.grade === 'D');
    expect(d.entities).toBeGreaterThanOrEqual(1);
    expect(d).toMatchObject({ ratio: 1, perYear: 4, inspectionsPerYear: 4 * d.entities });
    const a = plan.grades.find((g: any) => g.grade === 'A');
    expect(a).toMatchObject({ ratio: 0.03, perYear: 1, inspectionsPerYear: Math.ceil(0.03 * a.entities) });
    expect((await t.call('GET', `/api/v1/supervision/schedules/${schedule.id}/plan`, { as: 'official2' })).statusCode).toBe(404);
  });

  it('takes an item\'s own frequency when it is stricter', async () => {
    const item = json(await t.call('POST', '/api/v1/supervision/items', { as: 'supervisor1', body: {
      code: 'SC-COLD-CHAIN', name: '冷链食品专项检查', department: '西湖区市场监督管理局', regionCode: '330106', legalBasis: '《食品安全法》第五十四条', checks: '冷链追溯',
      form: [{ key: 'traceable', label: '是否可追溯', type: 'boolean' }], gradePolicy: { A: { ratio: 0.1, perYear: 2 } },
    } }));
    const s = json(await t.call('POST', '/api/v1/supervision/schedules', { as: 'supervisor1', body: { name: '冷链', regionCode: '330106', itemIds: [item.id], periodsPerYear: 4 } }));
    const plan = json(await t.call('GET', `/api/v1/supervision/schedules/${s.id}/plan?year=2026`, { as: 'supervisor1' }));
    expect(plan.periods.map((p: any) => p.ratios.A)).toEqual([0.1, 0, 0.1, 0]);
  });

  it('creates one task per period — by request or by the job, however often — whose draw takes every D entity', async () => {
    const current = periodOf(chinaDate(new Date()), 4).key;
    const first = json(await t.call('POST', `/api/v1/supervision/schedules/${schedule.id}/run`, { as: 'supervisor1' }));
    expect(first).toMatchObject({ period: current, created: true });
    expect(json(await t.call('POST', `/api/v1/supervision/schedules/${schedule.id}/run`, { as: 'supervisor1' }))).toEqual({ period: current, created: false, taskId: first.taskId });

    const sv = t.services.supervision;
    const may = new Date('2026-05-10T09:00:00+08:00');
    await sv.schedules.runDue(may);
    const tasks = await t.tdb.database.db.selectFrom('sup_tasks').select(['id', 'period']).where('schedule_id', '=', schedule.id).execute();
    expect(tasks.map((x) => x.period).sort()).toEqual([...new Set(['2026-2/4', current])].sort());
    expect(await sv.schedules.runDue(may)).toEqual([]);

    const taskId = tasks.find((x) => x.period === '2026-2/4')!.id;
    const task = json(await t.call('GET', `/api/v1/supervision/tasks/${taskId}`, { as: 'supervisor1' }));
    expect(task).toMatchObject({ scheduleId: schedule.id, period: '2026-2/4', ratios: { A: 0, B: 0, C: 0, D: 1 } });
    const committed = json(await t.call('POST', `/api/v1/supervision/tasks/${taskId}/draw`, { as: 'supervisor1' }));
    const draw = json(await t.call('POST', `/api/v1/supervision/draws/${committed.draw.id}/reveal`, { as: 'supervisor1' }));
    const byName = Object.fromEntries(draw.strata.map((s: any) => [s.name, s]));
    expect([byName.A.count, byName.B.count, byName.C.count]).toEqual([0, 0, 0]);
    expect(byName.D.count).toBe(byName.D.candidates.length);
    expect(draw.selected.map((s: any) => s.entityId).sort()).toEqual([...byName.D.candidates].sort());
    expect(json(await t.call('GET', `/api/v1/supervision/draws/${draw.id}/verify`)).ok).toBe(true);
  });

  it('is a scheduled job', () => {
    const names: string[] = [];
    scheduleJobs({ every: (name: string) => { names.push(name); } } as unknown as Scheduler, t.platform, t.services);
    expect(names).toContain('supervision.schedule');
  });
});
