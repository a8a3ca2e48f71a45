/** An administrator loads a newly published year; deadlines then use it, in this and later processes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { WorkingDayCalendar } from './working-days.js';
import { CalendarStore } from './store.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

const schedule2027 = { holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] as string[] };

describe('loading a holiday year', () => {
  it('only an administrator may, with valid dates of that year', async () => {
    expect((await t.call('PUT', '/api/v1/calendar/years/2027', { as: 'official1', body: schedule2027 })).statusCode).toBe(403);
    expect((await t.call('PUT', '/api/v1/calendar/years/2027', { body: schedule2027 })).statusCode).toBe(401);
    expect((await t.call('PUT', '/api/v1/calendar/years/2027', { as: 'admin', body: { holidays: ['2028-01-01'], workdays: [] } })).statusCode).toBe(400);
    expect((await t.call('PUT', '/api/v1/calendar/years/2027', { as: 'admin', body: { holidays: ['2027-02-30'], workdays: [] } })).statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/calendar/coverage')).json().coveredYears).not.toContain(2027);
  });

  it('once loaded, 2027 is covered here, and a fresh process reads it from the database', async () => {
    const res = await t.call('PUT', '/api/v1/calendar/years/2027', { as: 'admin', body: schedule2027 });
    expect(res.json()).toEqual({ year: 2027, holidays: 3, workdays: 0 });
    expect((await t.call('GET', '/api/v1/calendar/coverage')).json().coveredYears).toContain(2027);
    expect(t.services.calendar.calendar.isWorkday('2027-01-01')).toBe(false);
    const elsewhere = new CalendarStore(t.platform.database.db, new WorkingDayCalendar({}), t.services.audit);
    expect(await elsewhere.loadAll()).toBe(1);
    expect(elsewhere.calendar.coverageWarnings('2027-01-01', '2027-12-31')).toEqual([]);
  });
});
