// The signed-in session (bearer token + user), kept in localStorage so a reload keeps it.
// A tiny external store so React components re-render when it changes (login, logout, 401).
import { useSyncExternalStore } from 'react';
import type { SessionUser } from '../api/types';

const STORAGE_KEY = 'tongban.session';

export interface Session {
  token: string;
  user: SessionUser;
}

const listeners = new Set<() => void>();
let current: Session | null = readStored();

function readStored(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    return typeof parsed.token === 'string' && parsed.user ? (parsed as Session) : null;
  } catch {
    return null; // storage blocked or corrupt: behave as signed out
  }
}

export function getSession(): Session | null {
  return current;
}

let expired = false;

/** Whether the last session ended because the server refused its token (not by signing out). */
export function sessionExpired(): boolean {
  return expired;
}

/** The server said the token is no good (401): forget it and remember why. */
export function expireSession(): void {
  if (!current) return;
  setSession(null);
  expired = true;
}

export function setSession(session: Session | null): void {
  current = session;
  expired = false;
  try {
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Private browsing may refuse storage; the session still lives for this page.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, () => null);
}

const OFFICIAL_ROLES = ['official', 'issuer', 'inspector', 'supervisor', 'grid', 'admin'];

/** Whether the user works for the government (sees the workbench) rather than being served. */
export function isOfficial(user: SessionUser | undefined): boolean {
  return !!user && user.roles.some((role) => OFFICIAL_ROLES.some((o) => role.startsWith(o)));
}
