/**
 * Time limits of an event: when it must be accepted and resolved, and when to warn. Each
 * category says its limits in clock hours or working days (DOMAIN.md defaults, configurable).
 */
import { addWorkingDays } from './working-days.js';

export type LimitUnit = 'hours' | 'working_days';

export interface CategoryLimits {
  acceptLimit: number; acceptUnit: LimitUnit;
  resolveLimit: number; resolveUnit: LimitUnit;
  /** Warn when this percentage of the allowed time remains. */
  warnPercent: number;
}

export interface Deadlines { acceptDueAt: Date; resolveDueAt: Date; warnAt: Date; uncoveredYears: number[] }

export function addLimit(start: Date, amount: number, unit: LimitUnit): { at: Date; uncoveredYears: number[] } {
  if (unit === 'hours') return { at: new Date(start.getTime() + amount * 3600 * 1000), uncoveredYears: [] };
  return addWorkingDays(start, amount);
}

export function computeDeadlines(reportedAt: Date, limits: CategoryLimits): Deadlines {
  const accept = addLimit(reportedAt, limits.acceptLimit, limits.acceptUnit);
  const resolve = addLimit(reportedAt, limits.resolveLimit, limits.resolveUnit);
  const span = resolve.at.getTime() - reportedAt.getTime();
  const warnAt = new Date(resolve.at.getTime() - Math.round((span * limits.warnPercent) / 100));
  return {
    acceptDueAt: accept.at, resolveDueAt: resolve.at, warnAt,
    uncoveredYears: [...new Set([...accept.uncoveredYears, ...resolve.uncoveredYears])],
  };
}

export type DeadlineState = 'on_time' | 'warning' | 'overdue' | 'done';

/** Where an event stands against its deadlines at `now`. */
export function deadlineState(e: { closedAt: Date | null; acceptedAt: Date | null; acceptDueAt: Date; resolveDueAt: Date; warnAt: Date }, now: Date): DeadlineState {
  if (e.closedAt) return 'done';
  if (now > e.resolveDueAt || (!e.acceptedAt && now > e.acceptDueAt)) return 'overdue';
  if (now >= e.warnAt) return 'warning';
  return 'on_time';
}
