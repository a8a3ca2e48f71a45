// Citizen journeys end to end in Debian's Chromium against the real node:
// (a) citizen1 finds 社保转移 by typing pinyin, applies reusing materials from the library, sees
//     the timeline, and — once an official approved it (through the API) — rates it;
// (b) an elder-mode user applies with the keyboard alone (Tab and Enter), every screen measured
//     against the 长辈版 rules and checked by axe;
// (c) 亮证 by QR code disclosing only the chosen field, and consent for an application to use
//     the licence, then its withdrawal;
// (d) a material too old for the matter is given afresh, and a refusal leads back to its screen.
// Each step is photographed into test-artifacts/screenshots/ (journey-*.png).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import jsQRImport from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServer } from './harness/appServer.js';
import { apiAs, axeViolations, repoRoot, screenshotDir, startBrowserAndServer, stopBrowserAndServer } from './harness/suite.js';
import { chromiumAvailable } from './harness/chromium.js';
import { measureElderRules } from './harness/elderMeasurements.js';
import { DEMO_PASSWORD, PHONE, openPage, tabTo, waitUntilSettled } from './harness/pageSetup.js';

// jsqr is CommonJS: under ESM its function may arrive as the default's default.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRImport as unknown as { default?: Decode }).default ?? jsQRImport) as unknown as Decode;

describe.skipIf(!chromiumAvailable)('citizen journeys in a real browser', { timeout: 240_000 }, () => {
  let server: AppServer;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => { ({ server, browser } = await startBrowserAndServer()); }, 240_000);
  afterAll(() => stopBrowserAndServer({ server, browser, pages }), 60_000);

  /** The API, as another person would call it (the official deciding, here). */
  const call = apiAs(() => server.baseUrl);

  it('(a) citizen1 finds 社保转移 by pinyin, applies reusing materials, follows the timeline and rates it', async (context) => {
    if (server.kind !== 'real') return context.skip();
    const shot = (step: string) => page.screenshot({ path: join(screenshotDir, `journey-citizen-${step}.png`), fullPage: true });
    const page = await openPage(browser, server, { path: '/', elder: false, user: 'citizen1' });
    pages.push(page);

    await page.getByLabel('您要办什么事？').fill('shebao zhuanyi');
    await page.getByRole('button', { name: '搜索' }).click();
    // Two provinces offer the matter under the same name; the department tells them apart.
    const result = page.locator('main .result-item', { hasText: '西湖区' }).getByRole('link', { name: '基本养老保险关系转移接续' });
    await result.waitFor();
    await shot('01-search');
    await result.click();
    await page.waitForURL(/\/matters\/330106-SB-001$/);
    await waitUntilSettled(page);
    await shot('02-guide');

    await page.getByRole('link', { name: '在线申请' }).click();
    await page.getByRole('heading', { name: '核对您的身份信息' }).waitFor();
    await expect(page.locator('.apply-step').innerText()).resolves.toContain('张三');
    await shot('03-identity');
    await page.getByRole('button', { name: '下一步' }).click();

    await page.getByRole('heading', { name: '填写申请信息' }).waitFor();
    await page.getByLabel('原参保地').fill('上海市黄浦区');
    await page.getByLabel('原参保经办机构').fill('黄浦区社会保险事业管理中心');
    await shot('04-form');
    await page.getByRole('button', { name: '下一步' }).click();

    // The ID-card scan given on an earlier application is offered, and chosen, for reuse.
    await page.getByRole('heading', { name: '居民身份证' }).waitFor();
    await expect(page.getByRole('radio', { name: /用以前交过的：居民身份证正反面扫描件/ }).isChecked()).resolves.toBe(true);
    await shot('05-material-reuse');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '通讯地址' }).waitFor();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '劳动合同或就业证明' }).waitFor();
    await page.getByRole('button', { name: '下一步' }).click();

    await page.getByRole('heading', { name: '确认并提交' }).waitFor();
    const review = await page.locator('.apply-step').innerText();
    expect(review).toContain('复用：居民身份证正反面扫描件');
    expect(review).toContain('复用：常住地址');
    await shot('06-review');
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.getByText('申请已提交').waitFor();
    await shot('07-submitted');

    await page.getByRole('link', { name: '查看办理进度' }).click();
    await page.waitForURL(/\/me\/applications\/[0-9a-f-]{36}$/);
    await waitUntilSettled(page);
    await page.locator('.ant-timeline').getByText('已提交').waitFor();
    await shot('08-timeline');
    const id = page.url().split('/').pop()!;

    // official1 accepts and approves it, through the API.
    let app = await call<{ version: number; status: string }>('official1', 'GET', `/applications/${id}`);
    app = await call<{ version: number; status: string }>('official1', 'POST', `/applications/${id}/actions`, { action: 'accept', version: app.version });
    app = await call<{ version: number; status: string }>('official1', 'POST', `/applications/${id}/actions`, { action: 'approve', version: app.version });
    expect(app.status).toBe('approved');

    await page.reload({ waitUntil: 'networkidle' });
    await waitUntilSettled(page);
    await page.getByRole('heading', { name: '评价这次办事' }).waitFor();
    await page.getByRole('radio', { name: /5 分/ }).check();
    await page.getByLabel('想说的话（可不填）').fill('网上就办好了，不用跑腿。');
    await shot('09-rating');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('您的评价：5 分').waitFor();
    await shot('10-rated');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('(b) an elder applies with Tab and Enter only; every screen meets the 长辈版 rules and axe', async (context) => {
    if (server.kind !== 'real') return context.skip();
    const page = await openPage(browser, server, { path: '/matters/330106-SB-005', elder: true, user: 'citizen1' });
    pages.push(page);
    let n = 0;
    const check = async (step: string) => {
      await page.screenshot({ path: join(screenshotDir, `journey-elder-${String(++n).padStart(2, '0')}-${step}.png`), fullPage: true });
      const m = await measureElderRules(page);
      expect(m.bodyFontPx, step).toBeGreaterThanOrEqual(18);
      expect(m.smallTargets, step).toEqual([]);
      expect(m.smallText, step).toEqual([]);
      expect(await axeViolations(page), step).toEqual([]);
    };

    await check('guide');
    await tabTo(page, '在线申请');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '核对您的身份信息' }).waitFor();
    await check('identity');
    await tabTo(page, '下一步');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: '居民身份证' }).waitFor();
    await check('material');
    await tabTo(page, '下一步');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: '确认并提交' }).waitFor();
    await check('review');
    await tabTo(page, '确认提交');
    await page.keyboard.press('Enter');

    await page.getByText('申请已提交').waitFor();
    await check('submitted');
    await tabTo(page, '查看办理进度');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/me\/applications\/[0-9a-f-]{36}$/);
    await waitUntilSettled(page);
    await page.locator('.ant-timeline').getByText('已提交').waitFor();
    await check('timeline');
  });

  it('(c) citizen1 shows a licence by QR code disclosing only the name, and lends it to an application then withdraws', async (context) => {
    if (server.kind !== 'real') return context.skip();
    // An application of citizen1's to lend the card to (replacing a lost one), made through the API.
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'citizen1', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const prepared = (await (await fetch(`${server.baseUrl}/api/v1/applications/prepare?matterCode=330106-SB-003`, { headers: auth })).json()) as {
      materials: { key: string; library: { id: string; fresh: boolean }[] }[];
    };
    const materials = prepared.materials.map((m) => ({ key: m.key, materialId: m.library.find((x) => x.fresh)!.id }));
    const submitted = await fetch(`${server.baseUrl}/api/v1/applications`, {
      method: 'POST', headers: { ...auth, 'idempotency-key': `journey-c-${Date.now()}` }, body: JSON.stringify({ matterCode: '330106-SB-003', form: {}, materials }),
    });
    expect(submitted.status).toBe(201);

    const page = await openPage(browser, server, { path: '/me/licences', elder: false, user: 'citizen1' });
    pages.push(page);
    const card = page.locator('main .card', { hasText: '社会保障卡' }).first();
    await card.getByRole('button', { name: '亮证：社会保障卡' }).click();
    await card.getByRole('checkbox', { name: '持证人姓名' }).waitFor();
    await card.getByLabel('出示给谁、做什么用').fill('社区卫生服务中心挂号');
    await card.getByRole('button', { name: '生成亮证二维码' }).click();
    await card.locator('.qr svg').waitFor();
    await expect(card.innerText()).resolves.toContain('对方只能看到：持证人姓名');
    await page.screenshot({ path: join(screenshotDir, 'journey-wallet-01-qr.png'), fullPage: true });
    // Scan the QR code as drawn on screen; what the scanner then sees is the name, nothing else.
    const shot = PNG.sync.read(await card.locator('.qr').screenshot());
    const address = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height)?.data ?? '';
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/verify\/licence\/v1\./);
    // The scanner's phone (nobody signed in; an older clerk, so elder mode) opens a page, not JSON:
    // the verdict first, then the name and nothing else about the holder.
    const scanner = await openPage(browser, server, { path: new URL(address).pathname, elder: true, user: null, viewport: PHONE });
    pages.push(scanner);
    const verdict = scanner.getByRole('alert');
    await expect(verdict.innerText()).resolves.toContain('社会保障卡有效');
    const shown = await scanner.locator('main').innerText();
    expect(shown).toContain('持证人姓名');
    expect(shown).toContain('张三');
    expect(shown).not.toMatch(/社会保障号码|卡号|A33010600001|\d{17}[\dX]/);
    await scanner.screenshot({ path: join(screenshotDir, 'journey-wallet-01b-scanned.png'), fullPage: true });
    expect(await axeViolations(scanner)).toEqual([]);

    await card.getByRole('button', { name: '收起二维码' }).click();
    await card.getByRole('button', { name: '授权办件使用：社会保障卡' }).click();
    await card.getByRole('combobox').click();
    await page.locator('.ant-select-item-option', { hasText: '社会保障卡挂失与补换' }).click();
    await card.getByText('将由西湖区行政审批局').waitFor();
    await card.getByLabel('用途').fill('核验参保身份');
    await card.getByRole('checkbox', { name: /我本人同意/ }).check();
    await card.getByRole('button', { name: '同意授权' }).click();
    await card.getByText('已授权“社会保障卡挂失与补换”使用这张证照。').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'journey-wallet-02-lent.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await card.getByRole('button', { name: '撤回对“社会保障卡挂失与补换”的授权' }).click();
    await card.getByText('已结束').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'journey-wallet-03-withdrawn.png'), fullPage: true });
  });

  it('(d) a photo too old for the passport is shown but not offered; a fresh one is uploaded, and a refused material leads back to its screen', async (context) => {
    if (server.kind !== 'real') return context.skip();
    const page = await openPage(browser, server, { path: '/matters/330106-CRJ-001/apply', elder: false, user: 'citizen1' });
    pages.push(page);
    await page.getByRole('button', { name: '下一步' }).click(); // identity
    await page.getByRole('button', { name: '下一步' }).click(); // ID card, reused
    await page.getByRole('heading', { name: '出入境证件照（一年内）' }).waitFor();
    const old = page.getByRole('radio', { name: /二寸证件照/ });
    await expect(old.isDisabled()).resolves.toBe(true);
    await expect(page.locator('.apply-step').innerText()).resolves.toContain('已过期');
    await expect(page.getByRole('radio', { name: '重新上传一份' }).isChecked()).resolves.toBe(true);
    // "Next" without a file says what is missing instead of moving on.
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('alert').getByText('还没有选择要上传的文件').waitFor();
    const photo = new PNG({ width: 33, height: 48 });
    photo.data.fill(200);
    await page.locator('input[type=file]').setInputFiles({ name: 'new-photo.png', mimeType: 'image/png', buffer: PNG.sync.write(photo) });
    await page.screenshot({ path: join(screenshotDir, 'journey-afresh-01-expired-photo.png'), fullPage: true });
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '确认并提交' }).waitFor();
    await expect(page.locator('.apply-step').innerText()).resolves.toContain('重新上传：new-photo.png');

    // Had the server refused a material (it aged meanwhile), the person is told which and taken back to it.
    const keys: string[] = [];
    await page.route('**/api/v1/applications', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      return route.fulfill({
        status: 422, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'MATERIAL_EXPIRED', message: 'too old', details: [{ path: '$.materials', message: 'usable until 2025-01-01', key: 'id-photo' }] } }),
      });
    });
    await page.getByRole('button', { name: '确认提交' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('有材料已经过期。').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'journey-afresh-02-refused.png'), fullPage: true });
    await page.getByRole('button', { name: '回到“出入境证件照（一年内）”重新选择' }).click();
    await page.getByRole('heading', { name: '出入境证件照（一年内）' }).waitFor();
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.getByText('申请已提交').waitFor();
    // One attempt, one key: the retry after the refusal carries the same Idempotency-Key.
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_.:-]{8,100}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('the first page downloads less script than the whole app (pages and libraries are split)', async () => {
    const page = await browser.newPage();
    pages.push(page);
    let firstPageBytes = 0;
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) void response.body().then((b) => (firstPageBytes += b.length), () => undefined);
    });
    await page.goto(server.baseUrl + '/', { waitUntil: 'networkidle' });
    await waitUntilSettled(page);
    const assets = join(repoRoot, 'web', 'dist', 'assets');
    const allBytes = readdirSync(assets).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + statSync(join(assets, f)).size, 0);
    console.info(`first page: ${Math.round(firstPageBytes / 1024)} KiB of script; the whole app: ${Math.round(allBytes / 1024)} KiB`);
    expect(firstPageBytes).toBeGreaterThan(0);
    expect(firstPageBytes).toBeLessThan(allBytes * 0.85);
  });
});
