/**
 * Working days per the State Council holiday schedule (with 调休 make-up days), from
 * `chinese-days`. This is a minimal helper local to governance: the shared calendar
 * (`src/platform/calendar/`) was not on main when this module was written; swap to it when it is.
 * Years the package does not cover fall back to plain Monday–Friday and are reported, because
 * the package itself silently treats them as ordinary weeks.
 */
import chineseDays from 'chinese-days';

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const coveredYears = new Map<number, boolean>();

/** True when the holiday schedule for `year` is published in the installed package. */
export function isYearCovered(year: number): boolean {
  let covered = coveredYears.get(year);
  if (covered === undefined) {
    covered = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    coveredYears.set(year, covered);
  }
  return covered;
}

/** The calendar date in China (UTC+8) of an instant, as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string): boolean {
  const year = Number(date.slice(0, 4));
  if (isYearCovered(year)) return chineseDays.isWorkday(date);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export interface WorkingDayResult { at: Date; uncoveredYears: number[] }

/**
 * The instant `days` working days after `start`, at the same China clock time: a matter
 * reported on Friday 15:00 with one working day is due Monday 15:00 (or later around holidays).
 */
export function addWorkingDays(start: Date, days: number): WorkingDayResult {
  const uncovered = new Set<number>();
  let at = start;
  let left = days;
  while (left > 0) {
    at = new Date(at.getTime() + 24 * 3600 * 1000);
    const date = chinaDate(at);
    const year = Number(date.slice(0, 4));
    if (!isYearCovered(year)) uncovered.add(year);
    if (isWorkingDay(date)) left -= 1;
  }
  return { at, uncoveredYears: [...uncovered] };
}
