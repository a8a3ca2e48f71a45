/** Working days per the State Council schedule, time limits in hours or working days, and the life-cycle table. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_ACTIONS, EVENT_STATUSES, isOpen, nextStatus, open311Status, TRANSITIONS } from './lifecycle.js';
import { computeDeadlines, deadlineState } from './time-limits.js';
import { addWorkingDays, chinaDate, isWorkingDay, isYearCovered } from './working-days.js';
import { parentRegion, unitLevel } from './units.js';

const at = (s: string) => new Date(s);

describe('working days', () => {
  it('follows the 2026 National Day holiday and its make-up Saturday', () => {
    expect(isWorkingDay('2026-10-01')).toBe(false);
    expect(isWorkingDay('2026-10-07')).toBe(false);
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true); // 调休 make-up Saturday
  });

  it('counts 5 working days from before National Day to after it', () => {
    // Reported Wed 30 Sep 2026 10:00 China time; 1–7 Oct are holidays; 8, 9, 10 (make-up Saturday), 12, 13 count.
    const due = addWorkingDays(at('2026-09-30T02:00:00Z'), 5);
    expect(chinaDate(due.at)).toBe('2026-10-13');
    expect(due.at.toISOString()).toBe('2026-10-13T02:00:00.000Z');
    expect(due.uncoveredYears).toEqual([]);
  });

  it('falls back to Monday–Friday in a year the schedule does not cover, and says so', () => {
    expect(isYearCovered(2026)).toBe(true);
    expect(isYearCovered(2031)).toBe(false);
    const due = addWorkingDays(at('2031-01-03T02:00:00Z'), 1); // a Friday
    expect(chinaDate(due.at)).toBe('2031-01-06');
    expect(due.uncoveredYears).toEqual([2031]);
  });

  it('always lands on a working day, at least n calendar days later', () => {
    fc.assert(fc.property(fc.date({ min: at('2025-01-01'), max: at('2026-11-30'), noInvalidDate: true }), fc.integer({ min: 1, max: 20 }), (start, n) => {
      const { at: due } = addWorkingDays(start, n);
      expect(isWorkingDay(chinaDate(due))).toBe(true);
      expect(due.getTime() - start.getTime()).toBeGreaterThanOrEqual(n * 86400_000);
    }));
  });
});

describe('deadlines', () => {
  const urgent = { acceptLimit: 2, acceptUnit: 'hours', resolveLimit: 24, resolveUnit: 'hours', warnPercent: 25 } as const;
  it('computes hours, the warning point, and the state at a given time', () => {
    const d = computeDeadlines(at('2026-11-02T01:00:00Z'), urgent);
    expect(d.acceptDueAt.toISOString()).toBe('2026-11-02T03:00:00.000Z');
    expect(d.resolveDueAt.toISOString()).toBe('2026-11-03T01:00:00.000Z');
    expect(d.warnAt.toISOString()).toBe('2026-11-02T19:00:00.000Z');
    const e = { closedAt: null, acceptedAt: null, ...d };
    expect(deadlineState(e, at('2026-11-02T02:00:00Z'))).toBe('on_time');
    expect(deadlineState(e, at('2026-11-02T04:00:00Z'))).toBe('overdue'); // not accepted within 2 hours
    expect(deadlineState({ ...e, acceptedAt: at('2026-11-02T02:00:00Z') }, at('2026-11-02T20:00:00Z'))).toBe('warning');
    expect(deadlineState({ ...e, closedAt: at('2026-11-04T00:00:00Z') }, at('2026-11-05T00:00:00Z'))).toBe('done');
  });
});

describe('life cycle', () => {
  it('has exactly one path from reported to rated, in DOMAIN.md order', () => {
    const path = ['accept', 'verify', 'file', 'dispatch', 'handle', 'check_pass', 'close', 'rate'] as const;
    let s: (typeof EVENT_STATUSES)[number] = 'reported';
    const seen: string[] = [s];
    for (const a of path) { s = nextStatus(s, a)!; seen.push(s); }
    expect(seen).toEqual(['reported', 'accepted', 'verified', 'filed', 'dispatched', 'handled', 'checked', 'closed', 'rated']);
  });

  it('never leaves a closed state, and Open311 status agrees with isOpen', () => {
    fc.assert(fc.property(fc.constantFrom(...EVENT_STATUSES), fc.constantFrom(...EVENT_ACTIONS), (status, action) => {
      const to = nextStatus(status, action);
      if (!isOpen(status) && status !== 'closed') expect(to).toBeNull();
      if (status === 'closed') expect(to === null || action === 'rate').toBe(true);
      if (to) expect(TRANSITIONS[action].from).toContain(status);
      expect(open311Status(status)).toBe(isOpen(status) ? 'open' : 'closed');
    }));
  });

  it('a failed check returns the event to the department', () => {
    expect(nextStatus('handled', 'check_fail')).toBe('dispatched');
  });
});

describe('unit codes', () => {
  it('reads level and parent off the code, up to the province', () => {
    expect(unitLevel('330106002051G01B01H0101')).toBe('household');
    expect(unitLevel('330106002051B01')).toBeNull();
    let c: string | undefined = '330106002051G01B01H0101';
    const chain: string[] = [];
    while (c) { chain.push(c); c = parentRegion(c); }
    expect(chain).toEqual(['330106002051G01B01H0101', '330106002051G01B01', '330106002051G01', '330106002051', '330106002', '330106', '330100', '330000']);
  });
});
