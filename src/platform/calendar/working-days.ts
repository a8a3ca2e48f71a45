/**
 * Working days by the State Council holiday schedule, with its 调休 make-up days. The schedule
 * comes from `chinese-days` (up to its latest published year); an administrator may load a newly
 * published year with `loadYear`. A year with no schedule falls back to plain Monday–Friday, and
 * every computation that touches such a year can say so (`coverageWarnings`), because a deadline
 * across an unpublished Spring Festival may be several days off.
 *
 * Dates are calendar dates in China ('YYYY-MM-DD'), never instants: a deadline is a day.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface YearSchedule {
  /** Days off (法定节假日 and the weekend days joined to them). */
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  workdays: string[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function assertDate(date: string): void {
  const m = DATE.exec(date);
  const d = m && new Date(`${date}T00:00:00Z`);
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${date}`);
}

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in China (UTC+8, no daylight saving). */
export function chinaDate(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export class WorkingDayCalendar {
  private readonly holidays = new Set<string>();
  private readonly makeupWorkdays = new Set<string>();
  private readonly covered = new Set<number>();

  constructor(schedules: Record<number, YearSchedule> = builtInSchedules()) {
    for (const [year, s] of Object.entries(schedules)) this.loadYear(Number(year), s);
  }

  /** Loads (or replaces) one year's published schedule. */
  loadYear(year: number, schedule: YearSchedule): void {
    if (!Number.isInteger(year) || year < 1949 || year > 2999) throw new RangeError(`not a year: ${year}`);
    for (const d of [...schedule.holidays, ...schedule.workdays]) {
      assertDate(d);
      if (!d.startsWith(`${year}-`)) throw new RangeError(`${d} is not in ${year}`);
    }
    const prefix = `${year}-`;
    for (const set of [this.holidays, this.makeupWorkdays]) for (const d of [...set]) if (d.startsWith(prefix)) set.delete(d);
    for (const d of schedule.holidays) this.holidays.add(d);
    for (const d of schedule.workdays) this.makeupWorkdays.add(d);
    this.covered.add(year);
  }

  isCovered(year: number): boolean {
    return this.covered.has(year);
  }

  coveredYears(): number[] {
    return [...this.covered].sort((a, b) => a - b);
  }

  isWorkday(date: string): boolean {
    assertDate(date);
    if (this.makeupWorkdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6;
  }

  /**
   * The n-th working day after `date` (the day itself not counted, as a time limit starts the
   * day after acceptance). n = 0 returns `date`.
   */
  addWorkingDays(date: string, n: number): string {
    assertDate(date);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    let d = date;
    for (let left = n; left > 0;) {
      d = shift(d, 1);
      if (this.isWorkday(d)) left -= 1;
    }
    return d;
  }

  /** Working days in (from, to]; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number {
    assertDate(from);
    assertDate(to);
    // `|| 0` turns -0 into 0: no working days between is zero, whichever way it is counted.
    if (to < from) return -this.workingDaysBetween(to, from) || 0;
    let count = 0;
    for (let d = shift(from, 1); d <= to; d = shift(d, 1)) if (this.isWorkday(d)) count += 1;
    return count;
  }

  /** One warning per year in [from, to] whose holiday schedule is not loaded. */
  coverageWarnings(from: string, to: string): string[] {
    const [a, b] = [Number(from.slice(0, 4)), Number(to.slice(0, 4))].sort((x, y) => x - y);
    const warnings: string[] = [];
    for (let y = a!; y <= b!; y++) {
      if (!this.covered.has(y)) {
        warnings.push(`The holiday schedule for ${y} is not published or not loaded: ${y} is counted as plain Monday–Friday working days`);
      }
    }
    return warnings;
  }
}

/** The schedules shipped with chinese-days, grouped by year. */
function builtInSchedules(): Record<number, YearSchedule> {
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  const out: Record<number, YearSchedule> = {};
  const year = (d: string) => (out[Number(d.slice(0, 4))] ??= { holidays: [], workdays: [] });
  for (const d of Object.keys(data.holidays)) year(d).holidays.push(d);
  for (const d of Object.keys(data.workdays)) year(d).workdays.push(d);
  return out;
}

/** The process-wide calendar; modules receive it through their constructors. */
export const workingDayCalendar = new WorkingDayCalendar();
