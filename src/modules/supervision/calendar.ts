/**
 * Working days for publication deadlines (State Council schedule with 调休 make-up days via
 * chinese-days). The shared platform calendar was not on main when this module was written, so
 * this is a minimal local helper; replace it with src/platform/calendar/ once that lands.
 * chinese-days silently treats years it has no schedule for as plain Mon–Fri: that fallback is
 * kept (as DOMAIN.md asks) but announced once per year so nobody mistakes it for the real one.
 */
import cd from 'chinese-days';

const warned = new Set<number>();
const covered = new Map<number, boolean>();

function yearCovered(year: number): boolean {
  let known = covered.get(year);
  if (known === undefined) {
    known = cd.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    covered.set(year, known);
  }
  return known;
}

export function isWorkingDay(date: string): boolean {
  const year = Number(date.slice(0, 4));
  if (!yearCovered(year)) {
    if (!warned.has(year)) {
      warned.add(year);
      process.emitWarning(`no published holiday schedule for ${year}: working days fall back to Mon–Fri`);
    }
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6;
  }
  return cd.isWorkday(date);
}

const plusOneDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The date `n` working days after `date` (YYYY-MM-DD), not counting `date` itself. */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  for (let left = n; left > 0;) {
    d = plusOneDay(d);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

/** Calendar date in China (UTC+8) of an instant. */
export const chinaDate = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
