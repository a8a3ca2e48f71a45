// Every page, in normal and 长辈版 mode, at desktop and phone width, in Debian's Chromium:
// zero axe WCAG 2.1 AA violations, elder-mode sizes measured against the rules, screenshots
// saved to test-artifacts/screenshots/ for people to look at.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { AppServer } from './harness/appServer.js';
import { apiAs, axeViolations, screenshotDir, startBrowserAndServer, stopBrowserAndServer } from './harness/suite.js';
import { CHROMIUM_PATH, chromiumAvailable } from './harness/chromium.js';
import { measureElderRules } from './harness/elderMeasurements.js';
import { DESKTOP, openPage, PHONE } from './harness/pageSetup.js';


/** Each screen of the web UI and who looks at it. */
export const PAGES = [
  { name: 'home', path: '/', user: null },
  { name: 'login', path: '/login', user: null },
  { name: 'search', path: '/search?q=' + encodeURIComponent('社保转移'), user: null },
  { name: 'matter', path: '/matters/330106-SB-001', user: null },
  { name: 'apply', path: '/matters/330106-SB-001/apply', user: 'citizen1' },
  // 为谁办理: 李四 holds 张三's grant for this matter (made in beforeAll); company1 may apply for the company.
  { name: 'apply-for-whom', path: '/matters/330106-SB-001/apply', user: 'citizen2' },
  { name: 'apply-for-company', path: '/matters/330106-SC-003/apply', user: 'company1' },
  { name: 'applications', path: '/me/applications', user: 'citizen1' },
  { name: 'licences', path: '/me/licences', user: 'citizen1' },
  { name: 'data-access-log', path: '/me/data-access-log', user: 'citizen1' },
  { name: 'agent-grants', path: '/me/agent-grants', user: 'citizen1' },
  { name: 'report', path: '/governance/report', user: 'citizen1' },
  { name: 'household-privacy', path: '/me/household', user: 'citizen1' },
  { name: 'my-reports', path: '/me/reports', user: 'citizen1' },
  { name: 'grid-tree', path: '/governance/tree', user: 'grid1' },
  { name: 'draws', path: '/supervision/draws', user: null },
  // A damaged or forged 亮证 code: the page a scanner opens says so (the valid case is journey (c)).
  { name: 'verify-licence-invalid', path: '/verify/licence/v1.00000000000000000000000000000000.zz.AAAAAAAAAAAAAAAAAAAAAA', user: null },
  { name: 'workbench', path: '/workbench', user: 'official1' },
  { name: 'sv-rules', path: '/supervision/rules', user: 'admin' },
  { name: 'sv-rules-history', path: '/supervision/rules/history', user: 'supervisor1' },
  { name: 'sv-schedules', path: '/supervision/schedules', user: 'supervisor1' },
  { name: 'not-found', path: '/no-such-page', user: null },
] as const;

if (!chromiumAvailable) {
  console.warn(`browser tests skipped: ${CHROMIUM_PATH} is absent (apt-get install -y chromium)`);
}

// Concurrent: each test has its own browser context, and one run takes a quarter of the time.
describe.skipIf(!chromiumAvailable).concurrent('web UI in a real browser', { timeout: 300_000 }, () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ server, browser } = await startBrowserAndServer());
    if (server.kind !== 'real') return;
    await apiAs(() => server.baseUrl)('citizen1', 'POST', '/me/agent-grants', {
      granteeUsername: 'citizen2', relationship: '儿子', matters: ['330106-SB-001'], purpose: '替父亲办理社保转移',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), consent: true,
    });
  }, 240_000);
  afterAll(() => stopBrowserAndServer({ server, browser }), 60_000);

  // axe runs at desktop width (its WCAG 2.1 rules do not depend on width); the phone width is
  // measured for elder sizes and photographed, which keeps the suite fast on a 2-core CI box.
  for (const mode of ['normal', 'elder'] as const) {
    for (const viewport of [DESKTOP, PHONE]) {
      const width = viewport === PHONE ? 'phone' : 'desktop';
      const checks = [width === 'desktop' ? 'no WCAG 2.1 AA violations' : 'renders', mode === 'elder' ? 'elder sizes met' : '']
        .filter(Boolean)
        .join(', ');
      for (const target of PAGES) {
        it(`${target.name} · ${mode} · ${width}: ${checks}`, async ({ expect }) => {
          const page = await openPage(browser, server, { path: target.path, elder: mode === 'elder', user: target.user, viewport });
          try {
            await page.screenshot({ path: join(screenshotDir, `${target.name}-${mode}-${width}.png`), fullPage: true });
            if (width === 'desktop') expect(await axeViolations(page)).toEqual([]);
            if (mode === 'elder') {
              const m = await measureElderRules(page);
              expect(m.bodyFontPx).toBeGreaterThanOrEqual(18);
              expect(m.bodyLineHeightRatio).toBeGreaterThanOrEqual(1.3);
              expect(m.smallTargets).toEqual([]);
              expect(m.smallText).toEqual([]);
            }
          } finally {
            await page.context().close();
          }
        });
      }
    }
  }
});
