/**
 * Working days for event time limits, from the platform calendar (`src/platform/calendar/`: the
 * State Council schedule with its 调休 make-up days, plus years an administrator loads). This
 * file adds only what events need on top: a deadline at the same China clock time n working
 * days later, and which years on the way were not covered (plain Monday–Friday assumed).
 */
import { chinaDate as calendarChinaDate, workingDayCalendar } from '../../platform/calendar/working-days.js';

export function isYearCovered(year: number): boolean {
  return workingDayCalendar.isCovered(year);
}

/** The calendar date in China (UTC+8) of an instant, as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return calendarChinaDate(at);
}

export function isWorkingDay(date: string): boolean {
  return workingDayCalendar.isWorkday(date);
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
