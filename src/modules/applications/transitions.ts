/**
 * The application (办件) state machine and its working-day clock, as pure functions so that
 * the rules can be tested exhaustively. The clock starts at acceptance (受理), runs for the
 * matter's promised limit in working days, and stops while the applicant is correcting
 * (补正): the working days spent waiting are added to the deadline when they answer.
 */
import type { WorkingDayCalendar } from '../../platform/calendar/working-days.js';

export const STATUSES = ['draft', 'submitted', 'correction_requested', 'accepted', 'not_accepted', 'approved', 'refused', 'delivered', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const OFFICIAL_ACTIONS = ['accept', 'not_accept', 'request_correction', 'approve', 'refuse', 'deliver'] as const;
export const APPLICANT_ACTIONS = ['submit', 'correct', 'withdraw'] as const;
export type OfficialAction = (typeof OFFICIAL_ACTIONS)[number];
export type ApplicantAction = (typeof APPLICANT_ACTIONS)[number];
export type Action = OfficialAction | ApplicantAction;

interface Rule { from: readonly Status[]; to: Status | 'resume'; reasonRequired: boolean }

export const RULES: Record<Action, Rule> = {
  submit: { from: ['draft'], to: 'submitted', reasonRequired: false },
  accept: { from: ['submitted'], to: 'accepted', reasonRequired: false },
  not_accept: { from: ['submitted'], to: 'not_accepted', reasonRequired: true },
  request_correction: { from: ['submitted', 'accepted'], to: 'correction_requested', reasonRequired: true },
  correct: { from: ['correction_requested'], to: 'resume', reasonRequired: false },
  approve: { from: ['accepted'], to: 'approved', reasonRequired: false },
  refuse: { from: ['accepted'], to: 'refused', reasonRequired: true },
  deliver: { from: ['approved', 'refused'], to: 'delivered', reasonRequired: false },
  withdraw: { from: ['draft', 'submitted', 'correction_requested', 'accepted'], to: 'withdrawn', reasonRequired: false },
};

/** States with a result the applicant may rate (好差评). */
export const RATEABLE: readonly Status[] = ['not_accepted', 'approved', 'refused', 'delivered'];

export interface Clock {
  status: Status;
  acceptedOn: string | null;
  dueOn: string | null;
  pausedSince: string | null;
  pausedWorkingDays: number;
  /** Where a correction returns to: submitted (before acceptance) or accepted. */
  resumeStatus: Status | null;
  warnings: string[];
}

export class TransitionError extends Error {}

/** The next state and clock after `action` on `today`, or a TransitionError saying why not. */
export function transition(clock: Clock, action: Action, today: string, promisedLimitDays: number, calendar: WorkingDayCalendar): Clock {
  const rule = RULES[action];
  if (!rule.from.includes(clock.status)) {
    throw new TransitionError(`Cannot ${action.replace('_', ' ')} an application that is ${clock.status.replace('_', ' ')}`);
  }
  const next: Clock = { ...clock, status: rule.to === 'resume' ? clock.resumeStatus ?? 'submitted' : rule.to };
  switch (action) {
    case 'accept': {
      next.acceptedOn = today;
      next.dueOn = calendar.addWorkingDays(today, promisedLimitDays);
      next.warnings = calendar.coverageWarnings(today, next.dueOn);
      break;
    }
    case 'request_correction': {
      next.resumeStatus = clock.status;
      // Before acceptance the clock has not started; after it, it stops until the answer.
      next.pausedSince = clock.status === 'accepted' ? today : null;
      break;
    }
    case 'correct': {
      if (clock.pausedSince && clock.dueOn) {
        const waited = Math.max(0, calendar.workingDaysBetween(clock.pausedSince, today));
        next.pausedWorkingDays = clock.pausedWorkingDays + waited;
        next.dueOn = calendar.addWorkingDays(clock.dueOn, waited);
        next.warnings = [...new Set([...clock.warnings, ...calendar.coverageWarnings(clock.dueOn, next.dueOn)])];
      }
      next.pausedSince = null;
      next.resumeStatus = null;
      break;
    }
    default:
      break;
  }
  return next;
}

/** Working days left before the deadline (negative when overdue); frozen while paused. */
export function workingDaysLeft(clock: Pick<Clock, 'dueOn' | 'pausedSince' | 'status'>, today: string, calendar: WorkingDayCalendar): number | null {
  if (!clock.dueOn || !['accepted', 'correction_requested'].includes(clock.status)) return null;
  return calendar.workingDaysBetween(clock.pausedSince ?? today, clock.dueOn);
}
