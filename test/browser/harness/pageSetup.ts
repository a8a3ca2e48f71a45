// Opening a page the way a given person sees it: signed in or not, in normal or elder mode,
// at desktop or phone width. Preferences and the session are put in localStorage before the
// app starts, exactly where the app itself keeps them.
import type { Browser, Page } from 'playwright-core';
import type { AppServer } from './appServer.js';

export const DEMO_PASSWORD = 'Tongban#2026'; // CONTRACT.md demo accounts
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface OpenOptions {
  path: string;
  elder: boolean;
  user?: string | null;
  viewport?: { width: number; height: number };
  language?: 'zh-CN' | 'en';
}

const sessions = new Map<string, unknown>();

/** A session for `username`: a real login against a real server; a placeholder token otherwise
 *  (the static server has no API, so any token only leads to the pages' error states). */
async function sessionFor(server: AppServer, username: string): Promise<unknown> {
  const cached = sessions.get(username);
  if (cached) return cached;
  let session: unknown;
  if (server.kind === 'static') {
    session = { token: 'static-server-has-no-api', user: { id: username, username, roles: [username.replace(/\d+$/, '')] } };
  } else {
    const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (!response.ok) throw new Error(`login as ${username} failed: ${response.status} ${await response.text()}`);
    session = await response.json();
  }
  sessions.set(username, session);
  return session;
}

export async function openPage(browser: Browser, server: AppServer, options: OpenOptions): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, locale: options.language ?? 'zh-CN' });
  const preferences = { elderMode: options.elder, bigCursor: false, language: options.language ?? 'zh-CN' };
  const session = options.user ? await sessionFor(server, options.user) : null;
  await context.addInitScript(
    ([prefs, sess]) => {
      // Only on the first load of this context, so a test can change them and reload.
      try {
        if (sessionStorage.getItem('tongban.test.seeded')) return;
        sessionStorage.setItem('tongban.test.seeded', '1');
        localStorage.setItem('tongban.preferences', prefs);
        if (sess) localStorage.setItem('tongban.session', sess);
        else localStorage.removeItem('tongban.session');
      } catch {
        // about:blank has no storage; the real page load seeds it
      }
    },
    [JSON.stringify(preferences), session ? JSON.stringify(session) : ''] as const,
  );
  const page = await context.newPage();
  await page.goto(server.baseUrl + options.path, { waitUntil: 'networkidle' });
  await waitUntilSettled(page);
  return page;
}

/** Waits until no loading spinner is left, so axe and screenshots see the final state. */
export async function waitUntilSettled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ state: 'visible', timeout: 45_000 });
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-btn-loading'), null, { timeout: 45_000 });
  await page.waitForTimeout(150); // let antd finish its motion so screenshots are steady
}

/**
 * Presses Tab (and only Tab) until the focused element — or the label around it, for a radio or
 * checkbox — reads `text` (equal to a string, or matching a pattern); fails after `max` presses.
 */
export async function tabTo(page: Page, text: string | RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return (el?.closest('label') ?? el)?.innerText?.trim() ?? '';
    });
    if (typeof text === 'string' ? focused === text : text.test(focused)) return;
  }
  throw new Error(`Tab never reached "${String(text)}"`);
}
