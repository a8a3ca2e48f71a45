import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { workingDayCalendar as cal } from '../../platform/calendar/working-days.js';
import { RULES, STATUSES, transition, TransitionError, workingDaysLeft, type Action, type Clock } from './transitions.js';

const start: Clock = { status: 'submitted', acceptedOn: null, dueOn: null, pausedSince: null, pausedWorkingDays: 0, resumeStatus: null, warnings: [] };
const ACTIONS = Object.keys(RULES) as Action[];

describe('application state machine', () => {
  it('accepting starts the promised limit in working days across the National Day holiday', () => {
    const c = transition(start, 'accept', '2026-09-30', 5, cal);
    expect(c).toMatchObject({ status: 'accepted', acceptedOn: '2026-09-30', dueOn: '2026-10-13' }); // 8, 9, 10 (make-up Saturday), 12, 13 October
  });

  it('stops the clock during a correction and adds the working days waited', () => {
    const accepted = transition(start, 'accept', '2026-06-01', 10, cal); // due 2026-06-15
    expect(accepted.dueOn).toBe('2026-06-15');
    const waiting = transition(accepted, 'request_correction', '2026-06-03', 10, cal);
    expect(workingDaysLeft(waiting, '2026-06-12', cal)).toBe(workingDaysLeft(waiting, '2026-06-03', cal));
    const back = transition(waiting, 'correct', '2026-06-10', 10, cal); // waited 5 working days (4–10 June)
    expect(back).toMatchObject({ status: 'accepted', pausedWorkingDays: 5, pausedSince: null, dueOn: cal.addWorkingDays('2026-06-15', 5) });
  });

  it('a correction before acceptance returns to submitted without touching a clock', () => {
    const waiting = transition(start, 'request_correction', '2026-06-03', 10, cal);
    const back = transition(waiting, 'correct', '2026-06-20', 10, cal);
    expect(back).toMatchObject({ status: 'submitted', dueOn: null, pausedWorkingDays: 0 });
  });

  it('warns when a deadline runs into a year whose holidays are not published', () => {
    expect(transition(start, 'accept', '2026-12-21', 20, cal).warnings).toEqual([expect.stringContaining('2027')]);
  });

  it('refuses withdrawing or approving once decided', () => {
    const approved = transition(transition(start, 'accept', '2026-06-01', 1, cal), 'approve', '2026-06-01', 1, cal);
    expect(() => transition(approved, 'withdraw', '2026-06-02', 1, cal)).toThrow(TransitionError);
    expect(() => transition(approved, 'approve', '2026-06-02', 1, cal)).toThrow(TransitionError);
  });

  it('any sequence of actions only ever moves along the rules, and never leaves a final state', () => {
    const finals = new Set(['not_accepted', 'delivered', 'withdrawn']);
    fc.assert(fc.property(fc.array(fc.constantFrom(...ACTIONS), { maxLength: 25 }), (actions) => {
      let c: Clock = { ...start, status: 'draft' };
      for (const a of actions) {
        let next: Clock;
        try {
          next = transition(c, a, '2026-06-01', 10, cal);
        } catch (err) {
          expect(err).toBeInstanceOf(TransitionError);
          expect(RULES[a].from).not.toContain(c.status);
          continue;
        }
        expect(finals.has(c.status)).toBe(false);
        expect(RULES[a].from).toContain(c.status);
        expect(STATUSES).toContain(next.status);
        if (next.status === 'accepted') expect(next.dueOn).not.toBeNull();
        c = next;
      }
    }));
  });
});
