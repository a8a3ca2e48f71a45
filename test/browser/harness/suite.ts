/**
 * What every browser test file sets up the same way: the web app built if stale, one real
 * server, one Chromium, axe with the WCAG 2.1 AA rules, and the API called as another demo user
 * while the browser plays the journey.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { type AppServer, startAppServer } from './appServer.js';
import { launchChromium } from './chromium.js';
import { DEMO_PASSWORD } from './pageSetup.js';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** For a suite's beforeAll: builds the web app when its sources changed, starts the server and the browser. */
export async function startBrowserAndServer(): Promise<{ server: AppServer; browser: Browser }> {
  mkdirSync(screenshotDir, { recursive: true });
  const { buildWebIfStale } = await import('../../../scripts/build-web.mjs');
  await buildWebIfStale({ quiet: true });
  const server = await startAppServer(repoRoot);
  const browser = await launchChromium();
  return { server, browser };
}

/** For a suite's afterAll: closes the pages' contexts, the browser and the server (each may be absent after a failed start). */
export async function stopBrowserAndServer(parts: { server?: AppServer; browser?: Browser; pages?: Page[] }): Promise<void> {
  for (const page of parts.pages ?? []) await page.context().close().catch(() => undefined);
  await parts.browser?.close();
  await parts.server?.stop();
}

/** The page's WCAG 2.1 AA violations, one readable line per rule with the offending elements. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return result.violations.map(
    (v) => `${v.id}: ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join('\n    ')}`,
  );
}

export type ApiCall = <T = Record<string, unknown>>(user: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

/**
 * Calls `/api/v1` as a demo user (logged in once per user), the way another person acts while
 * the browser plays the journey — an official deciding, say. A non-2xx answer fails the test
 * with the status and body.
 */
export function apiAs(baseUrl: () => string): ApiCall {
  const tokens = new Map<string, string>();
  return async <T>(user: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    if (!tokens.has(user)) {
      const login = await fetch(`${baseUrl()}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: DEMO_PASSWORD }),
      });
      tokens.set(user, ((await login.json()) as { token: string }).token);
    }
    const res = await fetch(`${baseUrl()}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${tokens.get(user)}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path} as ${user}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}
