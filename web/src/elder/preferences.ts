// Per-browser display preferences (长辈版, extra-large cursor, language), remembered in
// localStorage so an older person does not have to switch elder mode on at every visit.
import { useSyncExternalStore } from 'react';

export type Language = 'zh-CN' | 'en';

export interface Preferences {
  elderMode: boolean;
  bigCursor: boolean;
  language: Language;
}

const STORAGE_KEY = 'tongban.preferences';
const DEFAULTS: Preferences = { elderMode: false, bigCursor: false, language: 'zh-CN' };
const listeners = new Set<() => void>();
let current: Preferences = readStored();

function readStored(): Preferences {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Preferences>) : {};
    return {
      elderMode: parsed.elderMode === true,
      bigCursor: parsed.bigCursor === true,
      language: parsed.language === 'en' ? 'en' : 'zh-CN',
    };
  } catch {
    return { ...DEFAULTS };
  }
}

export function getPreferences(): Preferences {
  return current;
}

export function updatePreferences(change: Partial<Preferences>): void {
  current = { ...current, ...change };
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  } catch {
    // Storage refused (private mode): the choice still holds for this page.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePreferences(): Preferences {
  return useSyncExternalStore(subscribe, getPreferences, () => DEFAULTS);
}
