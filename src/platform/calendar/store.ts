/**
 * Years an administrator loaded into the working-day calendar, kept in the database so that
 * every process (and every restart) counts deadlines with them. Loaded at start and
 * re-read periodically by a job, so a year loaded through one process reaches the others.
 */
import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import { AppError } from '../errors.js';
import { requirePermission, type Actor } from '../access/policy.js';
import { WorkingDayCalendar, type YearSchedule } from './working-days.js';

/** The audit trail, as far as the calendar needs it (structural, so the platform imports no module). */
export interface AuditAppender {
  append(entry: { actor: string; action: string; entityType: string; entityId: string; detail?: Record<string, unknown> }, trx?: Executor): Promise<number>;
}

export class CalendarStore {
  constructor(private readonly db: Executor, readonly calendar: WorkingDayCalendar, private readonly audit: AuditAppender) {}

  /** Applies every stored year to the calendar. */
  async loadAll(): Promise<number> {
    const rows = await this.db.selectFrom('calendar_years').select(['year', 'holidays', 'workdays']).execute() as { year: number; holidays: string[]; workdays: string[] }[];
    for (const r of rows) this.calendar.loadYear(r.year, { holidays: r.holidays, workdays: r.workdays });
    return rows.length;
  }

  /** An administrator loads (or corrects) a year's published schedule. */
  async saveYear(actorIn: Actor | undefined, year: number, schedule: YearSchedule): Promise<{ year: number; holidays: number; workdays: number }> {
    const actor = requirePermission(actorIn, 'platform:admin');
    try {
      new WorkingDayCalendar({}).loadYear(year, schedule); // validates every date before anything is stored
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', (err as Error).message, [{ path: '$', message: (err as Error).message }]);
    }
    const overlap = schedule.holidays.filter((d) => schedule.workdays.includes(d));
    if (overlap.length) throw new AppError('VALIDATION_FAILED', `A day cannot be both a holiday and a working day: ${overlap.join(', ')}`);
    await inTransaction(this.db, async (trx) => {
      await trx.insertInto('calendar_years').values({ year, holidays: schedule.holidays, workdays: schedule.workdays, loaded_by: actor.userId })
        .onConflict((oc) => oc.column('year').doUpdateSet({ holidays: schedule.holidays, workdays: schedule.workdays, loaded_by: actor.userId })).execute();
      await this.audit.append({ actor: actor.userId, action: 'calendar.year.load', entityType: 'calendar-year', entityId: String(year), detail: { holidays: schedule.holidays.length, workdays: schedule.workdays.length } }, trx);
    });
    this.calendar.loadYear(year, schedule);
    return { year, holidays: schedule.holidays.length, workdays: schedule.workdays.length };
  }
}
