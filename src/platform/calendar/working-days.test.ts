import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chinaDate, WorkingDayCalendar, workingDayCalendar as cal } from './working-days.js';

describe('working-day calendar', () => {
  it('skips the National Day holiday and counts the 调休 Saturday as a working day', () => {
    expect(cal.isWorkday('2026-10-01')).toBe(false);
    expect(cal.isWorkday('2026-10-10')).toBe(true); // Saturday make-up day
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-10-08', 2)).toBe('2026-10-10');
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
  });

  it('counts a 20-working-day licence limit across Spring Festival 2026', () => {
    // Accepted Friday 6 Feb 2026: 9–13, 14 (make-up Sat), 24–27, 28 (make-up Sat), 2–6 Mar, 9–12 Mar.
    expect(cal.addWorkingDays('2026-02-06', 20)).toBe('2026-03-12');
    expect(cal.coverageWarnings('2026-02-06', '2026-03-12')).toEqual([]);
  });

  it('falls back to Monday–Friday for an unpublished year and warns', () => {
    expect(cal.isCovered(2027)).toBe(false);
    expect(cal.isWorkday('2027-01-01')).toBe(true); // a Friday: unknown holidays are not guessed
    expect(cal.addWorkingDays('2026-12-30', 3)).toBe('2027-01-04');
    expect(cal.coverageWarnings('2026-12-30', '2027-01-04')).toEqual([expect.stringContaining('2027')]);
  });

  it('lets an administrator load a newly published year', () => {
    const c = new WorkingDayCalendar({});
    c.loadYear(2027, { holidays: ['2027-01-01'], workdays: ['2027-01-02'] });
    expect(c.isWorkday('2027-01-01')).toBe(false);
    expect(c.isWorkday('2027-01-02')).toBe(true);
    expect(c.coverageWarnings('2027-01-01', '2027-12-31')).toEqual([]);
    expect(() => c.loadYear(2027, { holidays: ['2028-01-01'], workdays: [] })).toThrow(RangeError);
  });

  it('refuses dates that do not exist and negative day counts', () => {
    expect(() => cal.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-01-05', -1)).toThrow(RangeError);
  });

  it('reads the date in China, not in UTC', () => {
    expect(chinaDate(new Date('2026-05-31T17:00:00Z'))).toBe('2026-06-01');
  });

  const day = fc.integer({ min: 0, max: 3 * 365 }).map((i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
  it('adding n working days and counting them back gives n, landing on a working day', () => {
    fc.assert(fc.property(day, fc.integer({ min: 0, max: 60 }), (d, n) => {
      const due = cal.addWorkingDays(d, n);
      expect(cal.workingDaysBetween(d, due)).toBe(n);
      if (n > 0) expect(cal.isWorkday(due)).toBe(true);
    }));
  });
  it('counting is additive over an intermediate date', () => {
    fc.assert(fc.property(day, day, day, (a, b, c) => {
      expect(cal.workingDaysBetween(a, c)).toBe(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c));
    }));
  });
});
