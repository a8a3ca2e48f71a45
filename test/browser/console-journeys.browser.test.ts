// The officials' consoles in a real browser, against the real server with the demo data:
// (a) citizen1 applies (through the API) and official1 accepts and approves it in the workbench;
// (b) supervisor1 plans a task and runs the two-step draw, then anyone verifies it on the public page;
// (c) grid1 reports an event and it goes through to closed (handler1 handles it in between).
// Each step is photographed (test-artifacts/screenshots/journey-*.png) and checked with axe; every
// other console page is checked with axe in normal and 长辈版 mode.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainSm3 } from '../support/plain-sm3.js';
import type { AppServer } from './harness/appServer.js';
import { apiAs, axeViolations, screenshotDir, startBrowserAndServer, stopBrowserAndServer } from './harness/suite.js';
import { CHROMIUM_PATH, chromiumAvailable } from './harness/chromium.js';
import { openPage, waitUntilSettled } from './harness/pageSetup.js';


if (!chromiumAvailable) console.warn(`console journeys skipped: ${CHROMIUM_PATH} is absent`);

/** Console pages not already walked through by a journey, and who looks at them. */
const CONSOLE_PAGES = [
  { name: 'wb-catalogue', path: '/workbench/catalogue', user: 'official1' },
  { name: 'wb-matter-edit', path: '/workbench/catalogue/330106-SB-001', user: 'official1' },
  { name: 'wb-matter-new', path: '/workbench/catalogue/new', user: 'official1' },
  { name: 'wb-issue', path: '/workbench/licences/new', user: 'issuer1' },
  { name: 'sv-entities', path: '/supervision/entities', user: 'supervisor1' },
  { name: 'sv-inspections', path: '/supervision/inspections', user: 'inspector1' },
  { name: 'sv-lists', path: '/supervision/lists', user: 'supervisor1' },
  { name: 'sv-results', path: '/supervision/results', user: null },
  { name: 'gov-events', path: '/governance/events', user: 'grid1' },
  { name: 'gov-statistics', path: '/governance/statistics', user: 'grid1' },
  { name: 'console-forbidden', path: '/workbench', user: 'citizen1' },
] as const;

describe.skipIf(!chromiumAvailable)('officials\' consoles in a real browser', { timeout: 300_000 }, () => {
  let server: AppServer;
  let browser: Browser;

  const call = apiAs(() => server.baseUrl);

  /** Photograph the step and check it with axe. */
  async function step(page: Page, name: string): Promise<void> {
    await waitUntilSettled(page);
    // The pointer stays where the last click was; a hovered button is not what the page shows.
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(screenshotDir, `journey-${name}.png`), fullPage: true });
    expect(await axeViolations(page), name).toEqual([]);
  }

  beforeAll(async () => { ({ server, browser } = await startBrowserAndServer()); }, 240_000);
  afterAll(() => stopBrowserAndServer({ server, browser }), 60_000);

  it('(a) citizen1 applies; official1 accepts and approves it in the workbench', async () => {
    // citizen1 applies through the API, reusing materials from the library (as the portal does).
    const matterCode = '330106-SB-001';
    const prep = await call<{ materials: { key: string; required: boolean; library: { id: string }[] }[] }>('citizen1', 'GET', `/applications/prepare?matterCode=${matterCode}`);
    const materials = prep.materials.filter((m) => m.library[0]).map((m) => ({ key: m.key, materialId: m.library[0]!.id }));
    const submitted = await call<{ application: { id: string } }>('citizen1', 'POST', '/applications',
      { matterCode, form: { fromRegion: '上海市黄浦区', fromAgency: '黄浦区社会保险事业管理中心' }, materials },
      { 'idempotency-key': `journey-a-${Date.now()}` });
    const id = submitted.application.id;

    const page = await openPage(browser, server, { path: '/workbench', elder: false, user: 'official1' });
    try {
      const link = page.locator(`a[href="/workbench/applications/${id}"]`);
      await link.waitFor();
      await step(page, 'a1-workbench-queue');
      await link.click();
      await page.getByTestId('application-status').waitFor();
      await expect(page.getByTestId('application-status').textContent()).resolves.toBe('已提交，待受理');
      // The first material opens in place, fetched with the official's token.
      await page.getByRole('button', { name: /^预览材料/ }).first().click();
      await page.locator('.material-preview, .material-preview-image, a[download]').first().waitFor();
      await step(page, 'a2-application-detail');

      for (const [action, status, shot] of [['受理', '已受理', 'a3-accepted'], ['批准', '已批准', 'a4-approved']] as const) {
        await page.getByRole('radio', { name: action, exact: true }).check();
        await page.locator('form button[type="submit"]').click();
        await page.getByTestId('application-status').filter({ hasText: status }).waitFor();
        await step(page, shot);
      }
      const done = await call<{ status: string; timeline: { action: string }[] }>('official1', 'GET', `/applications/${id}`);
      expect(done.status).toBe('approved');
      expect(done.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['accept', 'approve']));
    } finally {
      await page.context().close();
    }
  });

  it('(b) supervisor1 plans a task and runs the draw; the public page verifies it', async () => {
    const page = await openPage(browser, server, { path: '/supervision/tasks/new', elder: false, user: 'supervisor1' });
    let drawUrl: string;
    try {
      await page.getByLabel('任务名称').fill('浏览器旅程：餐饮食品安全抽查');
      await page.getByRole('checkbox', { name: /西湖区市场监督管理局/ }).first().check();
      await step(page, 'b1-plan-task');
      await page.getByRole('button', { name: '创建任务' }).click();
      await page.waitForURL(/\/supervision\/tasks\/[0-9a-f-]{36}$/);
      await page.getByRole('button', { name: '冻结名单并公布种子承诺' }).waitFor();
      await step(page, 'b2-task-planned');

      await page.getByRole('button', { name: '冻结名单并公布种子承诺' }).click();
      const commitment = (await page.getByTestId('seed-commitment').textContent())!.trim();
      expect(commitment).toMatch(/^[0-9a-f]{64}$/);
      await step(page, 'b3-commitment-published');

      await page.getByRole('button', { name: '揭示种子并抽取' }).click();
      const seed = (await page.getByTestId('seed').textContent())!.trim();
      // The revealed seed is the one committed to: SM3(seed), by an independent implementation.
      expect(plainSm3(seed)).toBe(commitment);
      await step(page, 'b4-seed-revealed');
      drawUrl = (await page.getByRole('link', { name: '打开公开核验页面' }).getAttribute('href'))!;
    } finally {
      await page.context().close();
    }

    // Anyone, signed out, can check it.
    const publicPage = await openPage(browser, server, { path: drawUrl, elder: false, user: null });
    try {
      await publicPage.getByTestId('verify-outcome').waitFor();
      await expect(publicPage.getByTestId('verify-outcome').textContent()).resolves.toContain('核验通过');
      await step(publicPage, 'b5-public-verification');
    } finally {
      await publicPage.context().close();
    }
  });

  it('(c) grid1 reports an event and it is taken through to closed', async () => {
    const grid = await openPage(browser, server, { path: '/governance/events/new', elder: false, user: 'grid1' });
    let eventPath: string;
    const status = (page: Page) => page.getByTestId('event-status');
    const take = async (page: Page, button: string, to: string) => {
      await page.getByRole('button', { name: button, exact: true }).click();
      await status(page).filter({ hasText: to }).waitFor();
    };
    try {
      await grid.getByLabel('类别').click();
      await grid.locator('.ant-select-item-option').filter({ hasText: '漏水' }).first().click();
      await grid.getByLabel('情况说明').fill('浏览器旅程：3楼楼道水管漏水');
      await step(grid, 'c1-report-event');
      await grid.getByRole('button', { name: '上报', exact: true }).click();
      await grid.waitForURL(/\/governance\/events\/[0-9a-f-]{36}$/);
      await status(grid).filter({ hasText: '已上报' }).waitFor();
      eventPath = new URL(grid.url()).pathname;
      await step(grid, 'c2-reported');
      await take(grid, '受理', '已受理');
      await take(grid, '核实', '已核实');
      await take(grid, '立案', '已立案');
      await expect(grid.getByLabel('派遣至部门').inputValue()).resolves.toBe('西湖区住房和城乡建设局');
      await take(grid, '派遣', '已派遣');
      await step(grid, 'c3-dispatched');
    } finally {
      await grid.context().close();
    }

    const handler = await openPage(browser, server, { path: eventPath, elder: false, user: 'handler1' });
    try {
      await handler.getByLabel('办理说明').fill('已更换楼道水管接头');
      await take(handler, '处置完毕', '已处置');
      await step(handler, 'c4-handled');
    } finally {
      await handler.context().close();
    }

    const back = await openPage(browser, server, { path: eventPath, elder: false, user: 'grid1' });
    try {
      await take(back, '核查通过', '已核查');
      await take(back, '结案', '已结案');
      await step(back, 'c5-closed');
      const steps = back.locator('.ant-timeline-item');
      await expect(steps.count()).resolves.toBe(8); // report, accept, verify, file, dispatch, handle, check, close
    } finally {
      await back.context().close();
    }
  });

  for (const mode of ['normal', 'elder'] as const) {
    for (const target of CONSOLE_PAGES) {
      it(`${target.name} · ${mode}: no WCAG 2.1 AA violations`, async () => {
        const page = await openPage(browser, server, { path: target.path, elder: mode === 'elder', user: target.user });
        try {
          await page.screenshot({ path: join(screenshotDir, `${target.name}-${mode}-desktop.png`), fullPage: true });
          expect(await axeViolations(page)).toEqual([]);
          if (mode === 'elder') {
            await expect(page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).resolves.toBeGreaterThanOrEqual(18);
          }
        } finally {
          await page.context().close();
        }
      });
    }
  }
});
