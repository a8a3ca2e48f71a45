/** HTTP for the working-day calendar: which years are covered, and loading a newly published year. */
import { Type } from 'typebox';
import { DateString, Obj } from '../http/schemas.js';
import type { HttpServer } from '../http/server.js';
import type { CalendarStore } from './store.js';

const Coverage = Obj({
  coveredYears: Type.Array(Type.Integer()),
  fallback: Type.String({ description: 'How a year without a schedule is counted' }),
});
const YearParams = Obj({ year: Type.Integer({ minimum: 1949, maximum: 2999 }) });
const YearBody = Obj({
  holidays: Type.Array(DateString, { maxItems: 80, description: 'Days off (法定节假日)' }),
  workdays: Type.Array(DateString, { maxItems: 20, description: 'Weekend days worked (调休上班)' }),
});
const YearResult = Obj({ year: Type.Integer(), holidays: Type.Integer(), workdays: Type.Integer() });

export async function calendarRoutes(app: HttpServer, { store }: { store: CalendarStore }) {
  app.get('/api/v1/calendar/coverage', {
    config: { public: true },
    schema: { tags: ['calendar'], summary: 'Years whose State Council holiday schedule is loaded', response: { 200: Coverage } },
  }, async () => ({ coveredYears: store.calendar.coveredYears(), fallback: 'Monday–Friday, with a warning on every deadline that reaches such a year' }));

  app.put('/api/v1/calendar/years/:year', {
    schema: { tags: ['calendar'], summary: 'Administrators: load a newly published year\'s holidays and make-up working days', params: YearParams, body: YearBody, response: { 200: YearResult } },
  }, async (req) => store.saveYear(req.actor, req.params.year, req.body));
}
