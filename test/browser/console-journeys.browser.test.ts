// The officials' consoles in a real browser, against the real server with the demo data:
// (a) citizen1 applies (through the API) and official1 accepts and approves it in the workbench;
// (b) supervisor1 plans a task and runs the two-step draw, then anyone verifies it on the public page;
// (c) grid1 reports an event and it goes through to closed (handler1 handles it in between);
// (d) admin changes a grading rule with a reason, sees the regrading and the history; a stale page
//     gets the 409 guidance; supervisor1 sees the rules without edit controls;
// (e) supervisor1 sets up a standing schedule and creates its period's task;
// (f) inspector1 records a result with evidence and downloads it (and sees a failed SM3 check said plainly).
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
  { name: 'sv-rules-readonly', path: '/supervision/rules', user: 'supervisor1' },
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

  it('(d) admin changes a grading rule with a reason; a stale page is told; supervisor1 reads the rules', async () => {
    // Opened first and left alone: by the time it saves, its version is stale.
    const stale = await openPage(browser, server, { path: '/supervision/rules', elder: false, user: 'admin' });
    const page = await openPage(browser, server, { path: '/supervision/rules', elder: false, user: 'admin' });
    try {
      await step(page, 'd1-rules-admin');
      await page.getByRole('button', { name: '修改规则 complaints' }).click();
      const form = page.getByRole('form', { name: '修改规则 complaints' });
      await expect(form.getByLabel('风险分').inputValue()).resolves.toBe('10');
      await form.getByLabel('风险分').fill('15');
      await form.getByLabel('修改原因').fill('12345 热线投诉集中，提高投诉权重');
      await step(page, 'd2-rule-edit');
      await form.getByRole('button', { name: '保存并重新评级' }).click();
      const regraded = page.getByTestId('regraded');
      await regraded.waitFor();
      const text = (await regraded.textContent())!;
      expect(text).toContain('规则 complaints 已保存为第 2 版');
      expect(Number(/重新评定 (\d+) 个市场主体/.exec(text)?.[1])).toBeGreaterThan(1);
      const rules = await call<{ items: { code: string; points: number; version: number }[] }>('admin', 'GET', '/supervision/grade-rules');
      expect(rules.items.find((r) => r.code === 'complaints')).toMatchObject({ points: 15, version: 2 });
      await step(page, 'd3-regraded');

      await page.getByRole('link', { name: /^变更记录：近一年投诉五件以上/ }).click();
      await page.waitForURL(/\/supervision\/rules\/history\?kind=grade_rule&key=complaints$/);
      const latest = page.locator('tbody tr.ant-table-row').first();
      await latest.getByText(/^您（.*平台管理员）$/).waitFor(); // who: the signed-in administrator
      await expect(latest.textContent()).resolves.toMatch(/12345 热线投诉集中，提高投诉权重/);
      await expect(latest.textContent()).resolves.toContain('风险分: 10 → 15');
      await expect(page.locator('tbody tr.ant-table-row').count()).resolves.toBe(2); // the project default, then this change
      await step(page, 'd4-history');

      // The grade policy (C drawn at 25 % instead of 20 %) and a publication period, each with a reason.
      await page.getByRole('link', { name: '返回监管规则' }).click();
      await page.getByRole('button', { name: '修改抽查比例' }).click();
      const policy = page.getByRole('form', { name: '修改抽查比例' });
      await policy.locator('#sv-policy-C-ratio').fill('25');
      await policy.getByLabel('修改原因').fill('C 级主体投诉上升，提高抽查比例');
      await policy.getByRole('button', { name: '保存抽查比例' }).click();
      await page.getByText('分级抽查比例已保存为第 2 版。').waitFor();
      await page.getByRole('row', { name: /^C 级 25%/ }).waitFor();
      const saved = await call<{ items: { grade: string; ratio: number }[]; version: number }>('admin', 'GET', '/supervision/grade-policy');
      expect(saved.version).toBe(2);
      expect(saved.items.find((p) => p.grade === 'C')?.ratio).toBe(0.25);
      await page.getByRole('button', { name: '修改最短公示期：经营异常名录' }).click();
      const period = page.getByRole('form', { name: '修改最短公示期：经营异常名录' });
      await period.getByLabel('最短公示期（月）').fill('6');
      await period.getByLabel('修改原因').fill('本地实践：经营异常名录至少公示六个月');
      await step(page, 'd4b-period-edit');
      await period.getByRole('button', { name: '保存公示期' }).click();
      await page.getByText('“经营异常名录”的最短公示期已改为 6 个月。').waitFor();
      const periods = await call<{ items: { subject: string; months: number; version: number }[] }>('admin', 'GET', '/supervision/repair-periods');
      expect(periods.items.find((p) => p.subject === 'list:abnormal')).toMatchObject({ months: 6, version: 2 });

      // The stale page still shows version 1: its save is refused and nothing changes.
      await stale.getByRole('button', { name: '修改规则 complaints' }).click();
      const staleForm = stale.getByRole('form', { name: '修改规则 complaints' });
      await staleForm.getByLabel('风险分').fill('20');
      await staleForm.getByLabel('修改原因').fill('同时提高投诉权重');
      await staleForm.getByRole('button', { name: '保存并重新评级' }).click();
      await stale.getByTestId('stale-edit').waitFor();
      await expect(stale.getByTestId('stale-edit').textContent()).resolves.toContain('已被别人修改，您的修改没有保存');
      await step(stale, 'd5-stale-edit');
      await stale.getByRole('button', { name: '载入最新内容' }).click();
      await stale.getByText('正在修改规则 complaints（当前第 2 版）').waitFor();
      await expect(staleForm.getByLabel('风险分').inputValue()).resolves.toBe('15');
      const after = await call<{ items: { code: string; points: number; version: number }[] }>('admin', 'GET', '/supervision/grade-rules');
      expect(after.items.find((r) => r.code === 'complaints')).toMatchObject({ points: 15, version: 2 });
    } finally {
      await stale.context().close();
      await page.context().close();
    }

    const supervisor = await openPage(browser, server, { path: '/supervision/rules', elder: false, user: 'supervisor1' });
    try {
      await supervisor.getByTestId('read-only').waitFor();
      await supervisor.getByRole('cell', { name: '近一年投诉五件以上 complaints' }).waitFor();
      // The edit controls are absent, not merely disabled.
      await expect(supervisor.getByRole('button', { name: /^修改/ }).count()).resolves.toBe(0);
      await expect(supervisor.getByRole('button', { name: /^新增规则$|^修改抽查比例$/ }).count()).resolves.toBe(0);
      await expect(supervisor.getByRole('link', { name: /^变更记录：/ }).count()).resolves.toBeGreaterThan(10);
      await step(supervisor, 'd6-rules-supervisor');
    } finally {
      await supervisor.context().close();
    }
  });

  it('(e) supervisor1 sets up a standing schedule and sees its periods, rounds and task', async () => {
    const page = await openPage(browser, server, { path: '/supervision/schedules', elder: false, user: 'supervisor1' });
    try {
      await page.getByLabel('计划名称').fill('浏览器旅程：西湖区按等级常态化抽查');
      await page.getByRole('checkbox', { name: /西湖区市场监督管理局/ }).first().check();
      await step(page, 'e1-schedule-new');
      await page.getByRole('button', { name: '设置计划' }).click();
      await page.waitForURL(/\/supervision\/schedules\/[0-9a-f-]{36}\?created=1$/);
      await page.getByRole('heading', { name: /各等级的抽查频次/ }).waitFor();
      // Grade D is drawn every quarter at 100 %, grade A once a year.
      await expect(page.getByRole('row', { name: /^D 级/ }).textContent()).resolves.toMatch(/100%4/);
      await expect(page.locator('tbody tr', { hasText: /-\d\/4/ }).count()).resolves.toBe(4);
      await page.getByRole('button', { name: '立即生成本期任务' }).click();
      await page.getByTestId('schedule-run').waitFor();
      await expect(page.getByTestId('schedule-run').textContent()).resolves.toMatch(/期的抽查任务|没有需要抽查|已经存在/);
      await step(page, 'e2-schedule-plan');
      // Listed again on the schedules page.
      await page.getByRole('link', { name: '返回常态化抽查计划' }).click();
      await page.getByRole('link', { name: '浏览器旅程：西湖区按等级常态化抽查' }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('(f) inspector1 records a result with evidence and downloads it; a failed SM3 check is said plainly', async () => {
    // A task drawing every entity, so inspector1 surely has an assignment.
    const items = await call<{ items: { id: string; department: string }[] }>('supervisor1', 'GET', '/supervision/items?regionCode=330106');
    const itemIds = items.items.filter((i) => i.department === '西湖区市场监督管理局').map((i) => i.id);
    const task = await call<{ id: string }>('supervisor1', 'POST', '/supervision/tasks', { name: '浏览器旅程：证据', regionCode: '330106', itemIds, ratios: { A: 1, B: 1, C: 1, D: 1 } });
    const committed = await call<{ draw: { id: string } }>('supervisor1', 'POST', `/supervision/tasks/${task.id}/draw`);
    await call('supervisor1', 'POST', `/supervision/draws/${committed.draw.id}/reveal`);
    // One of this task's inspections: its form asks exactly this task's items (the inspection
    // names them), whose questions the steps below answer.
    const assigned = await call<{ items: { id: string; taskId: string }[] }>('inspector1', 'GET', '/supervision/inspections?status=assigned&limit=500');
    const mine = assigned.items.find((i) => i.taskId === task.id)!;

    const page = await openPage(browser, server, { path: '/supervision/inspections', elder: false, user: 'inspector1' });
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
    try {
      const row = page.locator(`tr[data-row-key="${mine.id}"]`);
      while (!(await row.count())) await page.locator('li.ant-pagination-next button').click(); // listed by id, on any page
      await row.getByRole('button', { name: /^记录结果：/ }).click();
      const form = page.locator('#sv-record-heading ~ form');
      for (const yes of await form.getByRole('radio', { name: '是', exact: true }).all()) await yes.check();
      await form.getByLabel('冷藏温度（℃）').fill('4');
      await form.getByLabel('检查情况').fill('现场检查：证照公示，冷藏温度正常');
      await form.getByLabel('选择文件').setInputFiles({ name: '后厨现场照片.jpg', mimeType: 'image/jpeg', buffer: photo });
      await form.getByText('后厨现场照片.jpg（18 B）').waitFor();
      await step(page, 'f1-evidence-attached');
      await form.getByRole('button', { name: '提交检查结果' }).click();

      // After recording, the inspection's evidence opens: the file with its SM3 as recorded at upload.
      const evidence = page.locator('section[aria-labelledby="sv-evidence-heading"]');
      const file = evidence.getByRole('row', { name: /后厨现场照片\.jpg/ });
      await file.waitFor();
      await expect(file.textContent()).resolves.toContain(plainSm3(photo));
      await expect(file.textContent()).resolves.toContain('含个人信息，不公开');
      const [download] = await Promise.all([page.waitForEvent('download'), evidence.getByRole('button', { name: '下载 后厨现场照片.jpg' }).click()]);
      expect(download.suggestedFilename()).toBe('后厨现场照片.jpg');
      const chunks: Buffer[] = [];
      for await (const chunk of (await download.createReadStream())) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(photo)).toBe(true);
      await page.getByTestId('evidence-downloaded').waitFor();
      await step(page, 'f2-evidence-downloaded');

      // A file changed at rest is refused by the server (500 INTEGRITY_FAILED, evidence.test.ts);
      // the browser cannot alter the store, so the answer is played back to see what a person reads.
      await page.route('**/api/v1/supervision/evidence/*', (route) => route.fulfill({
        status: 500, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'INTEGRITY_FAILED', message: 'Evidence no longer matches the SM3 recorded at upload' } }),
      }));
      await evidence.getByRole('button', { name: '下载 后厨现场照片.jpg' }).click();
      await page.getByTestId('evidence-integrity').waitFor();
      await expect(page.getByTestId('evidence-integrity').textContent()).resolves.toContain('后厨现场照片.jpg 未通过完整性校验，已拒绝下载');
      await step(page, 'f3-evidence-integrity-failed');
    } finally {
      await page.context().close();
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
