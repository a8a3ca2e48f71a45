// The API has no list of standing schedules (only create, plan and run by id), so the console
// remembers the schedules this browser set up or opened, per user, to list them again. A
// schedule set up elsewhere is reached by its link. Replace with GET /supervision/schedules once
// the server offers one.
import type { Schedule } from '../../api/console-types';

export type KnownSchedule = Pick<Schedule, 'id' | 'name' | 'regionCode' | 'periodsPerYear'>;

const storageKey = (userId: string) => `tongban.supervision.schedules.${userId}`;

export function knownSchedules(userId: string): KnownSchedule[] {
  try {
    const parsed = JSON.parse(globalThis.localStorage?.getItem(storageKey(userId)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as KnownSchedule[]).filter((s) => typeof s?.id === 'string' && typeof s.name === 'string') : [];
  } catch {
    return []; // storage blocked or corrupt: nothing remembered
  }
}

/** Newest first, each schedule once, at most 50. */
export function rememberSchedule(userId: string, s: KnownSchedule): void {
  const entry = { id: s.id, name: s.name, regionCode: s.regionCode, periodsPerYear: s.periodsPerYear };
  const list = [entry, ...knownSchedules(userId).filter((k) => k.id !== s.id)].slice(0, 50);
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(list));
  } catch {
    // storage blocked: the schedule is still reachable by its link
  }
}
