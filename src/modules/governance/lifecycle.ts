/**
 * The event life cycle of DOMAIN.md as one table: reported → accepted → verified → filed →
 * dispatched → handled → checked → closed → rated, plus rework (a failed check sends it back to
 * the department), rejection (not a real or not a public matter) and merging into a duplicate.
 * Escalation changes who is responsible, not the status, so it is not a transition here.
 */
export const EVENT_STATUSES = [
  'reported', 'accepted', 'verified', 'filed', 'dispatched', 'handled', 'checked', 'closed', 'rated', 'rejected', 'merged',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EVENT_ACTIONS = ['accept', 'verify', 'file', 'dispatch', 'handle', 'check_pass', 'check_fail', 'close', 'rate', 'reject', 'merge'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

/** Who may take an action: the grid/region level, the department it was dispatched to, or the resident. */
export type ActorKind = 'grid' | 'department' | 'resident';

interface Transition { from: readonly EventStatus[]; to: EventStatus; by: ActorKind }

const OPEN_BEFORE_CLOSE: readonly EventStatus[] = ['reported', 'accepted', 'verified', 'filed', 'dispatched', 'handled', 'checked'];

export const TRANSITIONS: Record<EventAction, Transition> = {
  accept: { from: ['reported'], to: 'accepted', by: 'grid' },
  verify: { from: ['accepted'], to: 'verified', by: 'grid' },
  file: { from: ['verified'], to: 'filed', by: 'grid' },
  dispatch: { from: ['filed'], to: 'dispatched', by: 'grid' },
  handle: { from: ['dispatched'], to: 'handled', by: 'department' },
  check_pass: { from: ['handled'], to: 'checked', by: 'grid' },
  // Rework: the check found the problem not solved; the same department does it again.
  check_fail: { from: ['handled'], to: 'dispatched', by: 'grid' },
  close: { from: ['checked'], to: 'closed', by: 'grid' },
  rate: { from: ['closed'], to: 'rated', by: 'resident' },
  reject: { from: ['reported', 'accepted'], to: 'rejected', by: 'grid' },
  merge: { from: OPEN_BEFORE_CLOSE.filter((s) => s !== 'checked'), to: 'merged', by: 'grid' },
};

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(status: EventStatus, action: EventAction): EventStatus | null {
  const t = TRANSITIONS[action];
  return t.from.includes(status) ? t.to : null;
}

/** Statuses in which the event is still being worked on (counts against time limits). */
export function isOpen(status: EventStatus): boolean {
  return OPEN_BEFORE_CLOSE.includes(status);
}

/** Open311 knows two statuses; the detail goes into status_notes. */
export function open311Status(status: EventStatus): 'open' | 'closed' {
  return isOpen(status) ? 'open' : 'closed';
}

/** Statuses from which the event may be escalated to the next level up. */
export function canEscalate(status: EventStatus): boolean {
  return isOpen(status) && status !== 'checked';
}
