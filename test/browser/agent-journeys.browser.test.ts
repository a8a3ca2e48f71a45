// 代办 journeys end to end in Debian's Chromium against the real node:
// (a) 张三 (citizen1, born 1949) authorises his son 李四 (citizen2) for 社保转移, through the API;
//     李四, in 长辈版 and with the keyboard, chooses "替 张三 办理", is offered 张三's materials
//     (李四 has none), scans in the labour contract 张三 never gave (it goes into 张三's library),
//     sees the review say whom it is for and submits; 张三 then finds the
//     application in his own list, labelled as filed by 李四. A matter the grant does not cover
//     goes straight to 李四's own form, with no "为谁办理" question.
// (b) company1 (王五, the company's agent) applies for 食品经营许可 in the company's name: the
//     company's own material upload, the review in the company's name, the company's list; a
//     company-only matter goes straight to the company and offers the company's 营业执照.
// Each step is photographed into test-artifacts/screenshots/ (journey-agent-*.png).
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServer } from './harness/appServer.js';
import { apiAs, axeViolations, screenshotDir, startBrowserAndServer, stopBrowserAndServer } from './harness/suite.js';
import { chromiumAvailable } from './harness/chromium.js';
import { measureElderRules } from './harness/elderMeasurements.js';
import { openPage, tabTo, waitUntilSettled } from './harness/pageSetup.js';

/** A small real PNG, as a phone camera's scan would be (only smaller). */
function scanPng(): Buffer {
  const png = new PNG({ width: 8, height: 8 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe.skipIf(!chromiumAvailable)('代办 journeys in a real browser', { timeout: 240_000 }, () => {
  let server: AppServer;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => { ({ server, browser } = await startBrowserAndServer()); }, 240_000);
  afterAll(() => stopBrowserAndServer({ server, browser, pages }), 60_000);

  const call = apiAs(() => server.baseUrl);

  it('(a) 李四 applies for his father 张三 under 张三\'s grant, with 张三\'s materials; 张三 sees it filed by 李四', async (context) => {
    if (server.kind !== 'real') return context.skip();
    await call('citizen1', 'POST', '/me/agent-grants', {
      granteeUsername: 'citizen2', relationship: '儿子', matters: ['330106-SB-001'], purpose: '替父亲办理社保转移', expiresAt: inDays(30), consent: true,
    });

    const page = await openPage(browser, server, { path: '/matters/330106-SB-001/apply', elder: true, user: 'citizen2' });
    pages.push(page);
    let n = 0;
    const shot = (step: string) => page.screenshot({ path: join(screenshotDir, `journey-agent-${String(++n).padStart(2, '0')}-${step}.png`), fullPage: true });
    const elderAndAxe = async (step: string) => {
      const m = await measureElderRules(page);
      expect(m.bodyFontPx, step).toBeGreaterThanOrEqual(18);
      expect(m.smallTargets, step).toEqual([]);
      expect(m.smallText, step).toEqual([]);
      expect(await axeViolations(page), step).toEqual([]);
    };

    // First: for whom. Myself is chosen until I say otherwise; 张三 shows with his masked ID.
    await page.getByRole('heading', { name: '为谁办理' }).waitFor();
    await expect(page.getByText('这次申请的申请人是谁？').isVisible()).resolves.toBe(true);
    const group = page.getByRole('radiogroup', { name: '这次申请的申请人是谁？' });
    await expect(group.getByRole('radio', { name: /我自己（李四）/ }).isChecked()).resolves.toBe(true);
    const father = group.getByRole('radio', { name: /替 张三 办理/ });
    const fatherText = await page.locator('label.ant-radio-wrapper', { hasText: '替 张三 办理' }).innerText();
    expect(fatherText).toMatch(/3301\*{10}001[0-9X]/);
    expect(fatherText).toContain('您是其儿子');
    expect(fatherText).not.toMatch(/330106194905120/); // never the whole number
    await shot('whom');
    await elderAndAxe('whom');

    // Keyboard only: Tab to the chosen radio, an arrow moves the choice, Tab on to 下一步, Enter.
    await tabTo(page, /^我自己（李四）/);
    await page.keyboard.press('ArrowDown');
    await expect(father.isChecked()).resolves.toBe(true);
    await tabTo(page, /^下一步$/);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: '核对 张三 的信息' }).waitFor();
    const identity = await page.locator('.apply-step').innerText();
    expect(identity).toContain('您正在替 张三 办理');
    expect(identity).toContain('张三');
    expect(identity).not.toContain('李四');
    await shot('identity');
    await page.getByRole('button', { name: '下一步' }).click();

    await page.getByRole('heading', { name: '填写申请信息' }).waitFor();
    await page.getByLabel('原参保地').fill('上海市黄浦区');
    await page.getByLabel('原参保经办机构').fill('黄浦区社会保险事业管理中心');
    await page.getByRole('button', { name: '下一步' }).click();

    // 张三's ID-card scan is offered (李四's library is empty); a new upload would go into 张三's
    // library, and the screen says so.
    await page.getByRole('heading', { name: '居民身份证' }).waitFor();
    await expect(page.getByRole('radio', { name: /用以前交过的：居民身份证正反面扫描件/ }).isChecked()).resolves.toBe(true);
    await expect(page.locator('label', { hasText: '重新上传一份' }).innerText()).resolves.toContain('上传后存入 张三 的材料库');
    await shot('material');
    await elderAndAxe('material');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '通讯地址' }).waitFor();
    await page.getByRole('button', { name: '下一步' }).click();
    // The labour contract 张三 never gave: 李四 scans it in for him.
    await page.getByRole('heading', { name: '劳动合同或就业证明' }).waitFor();
    await page.getByRole('radio', { name: /重新上传一份/ }).check();
    await page.locator('input[type="file"]').setInputFiles({ name: '劳动合同.png', mimeType: 'image/png', buffer: scanPng() });
    await page.getByRole('button', { name: '下一步' }).click();

    await page.getByRole('heading', { name: '确认并提交' }).waitFor();
    const review = await page.locator('.apply-step').innerText();
    expect(review).toContain('您正在替 张三 办理');
    expect(review).toContain('复用：居民身份证正反面扫描件');
    expect(review).toContain('劳动合同.png');
    await shot('review');
    await elderAndAxe('review');
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.getByText('申请已提交').waitFor();
    await page.getByRole('link', { name: '查看办理进度' }).click();
    await page.waitForURL(/\/me\/applications\/[0-9a-f-]{36}$/);
    await waitUntilSettled(page);
    await page.locator('section[aria-labelledby="timeline-heading"]').getByText('您替 张三 办理').waitFor();
    await shot('agent-timeline');
    const id = page.url().split('/').pop()!;

    // The server agrees: the application is 张三's, and 李四 filed it.
    const filed = await call<{ applicant: { kind: string; id: string }; timeline: { actor: string }[] }>('citizen1', 'GET', `/applications/${id}`);
    const zhang = await call<{ person: { id: string } }>('citizen1', 'GET', '/me');
    expect(filed.applicant).toEqual({ kind: 'person', id: zhang.person.id });
    expect(filed.timeline[0]!.actor).toBe('李四');

    // 李四's own page lists it under what he filed for others, naming 张三.
    await page.goto(`${server.baseUrl}/me/applications`, { waitUntil: 'networkidle' });
    await waitUntilSettled(page);
    const forOthers = page.locator('section[aria-labelledby="for-others-heading"]');
    await expect(forOthers.getByRole('heading', { level: 2 }).innerText()).resolves.toBe('我替家人办的');
    await expect(forOthers.locator('.card', { has: page.locator(`a[href="/me/applications/${id}"]`) }).innerText()).resolves.toContain('您替 张三 办理');

    // 张三 finds it in his own list, marked as filed by 李四; its timeline says so too.
    const own = await openPage(browser, server, { path: '/me/applications', elder: true, user: 'citizen1' });
    pages.push(own);
    const item = own.locator('main .card', { has: own.locator(`a[href="/me/applications/${id}"]`) });
    await expect(item.innerText()).resolves.toContain('基本养老保险关系转移接续');
    await expect(item.innerText()).resolves.toContain('由 李四 代办');
    await expect(own.locator('section[aria-labelledby="for-others-heading"]').count()).resolves.toBe(0);
    await item.getByRole('link').click();
    await own.waitForURL(new RegExp(`/me/applications/${id}$`));
    await waitUntilSettled(own);
    await own.locator('section[aria-labelledby="timeline-heading"]').getByText('由 李四 代办').waitFor();
    await own.screenshot({ path: join(screenshotDir, `journey-agent-${String(++n).padStart(2, '0')}-grantor-timeline.png`), fullPage: true });
    expect(await axeViolations(own)).toEqual([]);

    // A matter the grant does not cover: no question, straight to 李四's own details.
    await page.goto(`${server.baseUrl}/matters/330106-SB-005/apply`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: '核对您的身份信息' }).waitFor();
    await expect(page.getByRole('heading', { name: '为谁办理' }).count()).resolves.toBe(0);
    await expect(page.locator('.apply-step').innerText()).resolves.toContain('李四');

    // The same question in English reads as well and stays axe-clean.
    const english = await openPage(browser, server, { path: '/matters/330106-SB-001/apply', elder: false, user: 'citizen2', language: 'en' });
    pages.push(english);
    await english.getByRole('heading', { name: 'Who is this for' }).waitFor();
    await english.getByRole('radio', { name: /For 张三/ }).waitFor();
    await english.screenshot({ path: join(screenshotDir, 'journey-agent-whom-en.png'), fullPage: true });
    expect(await axeViolations(english)).toEqual([]);
  });

  it('(b) company1 applies in the company\'s name with the company\'s own material and e-licence', async (context) => {
    if (server.kind !== 'real') return context.skip();
    const page = await openPage(browser, server, { path: '/matters/330106-SC-003/apply', elder: false, user: 'company1' });
    pages.push(page);
    const shot = (step: string) => page.screenshot({ path: join(screenshotDir, `journey-agent-company-${step}.png`), fullPage: true });

    await page.getByRole('heading', { name: '为谁办理' }).waitFor();
    const company = page.getByRole('radio', { name: /以 杭州西湖味道餐饮有限公司 名义办理/ });
    await expect(page.getByRole('radio', { name: /我自己（王五）/ }).isChecked()).resolves.toBe(true);
    // A company's code is public (it is printed on its licence): shown whole.
    await expect(page.locator('label.ant-radio-wrapper', { hasText: '杭州西湖味道餐饮有限公司' }).innerText()).resolves.toMatch(/统一社会信用代码 [0-9A-Z]{18}/);
    await company.check();
    await shot('01-whom');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '下一步' }).click();

    // The matter's contact fields are the agent's own (王五), under the company's name.
    await page.getByRole('heading', { name: '核对单位和经办人信息' }).waitFor();
    await expect(page.locator('.apply-step').innerText()).resolves.toContain('以 杭州西湖味道餐饮有限公司 名义办理');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '填写申请信息' }).waitFor();
    await shot('01b-form');
    // The matter's person fields include 公民身份号码, which a company applicant is not prefilled
    // with (the server gives a resident ID only for a person applicant): the agent types theirs.
    await page.getByLabel('公民身份号码').fill('33010619801120003X');
    await page.getByLabel('经营者名称').fill('杭州西湖味道餐饮有限公司');
    await page.getByLabel('经营项目').fill('热食类食品制售');
    await page.getByRole('button', { name: '下一步' }).click();

    // The company's library has neither material: each is given afresh, into the company's library.
    for (let i = 0; i < 2; i++) {
      await expect(page.getByRole('radio', { name: /重新上传一份/ }).isChecked()).resolves.toBe(true);
      const heading = await page.locator('#step-heading').innerText();
      await page.locator('input[type="file"]').setInputFiles({ name: `${heading}.png`, mimeType: 'image/png', buffer: scanPng() });
      if (i === 0) await shot('02-material');
      await page.getByRole('button', { name: '下一步' }).click();
      await page.locator('#step-heading').filter({ hasNotText: heading }).waitFor();
    }

    await page.getByRole('heading', { name: '确认并提交' }).waitFor();
    const review = await page.locator('.apply-step').innerText();
    expect(review).toContain('以 杭州西湖味道餐饮有限公司 名义办理');
    expect(review).toContain('重新上传');
    await shot('03-review');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.getByText('申请已提交').waitFor();
    await page.getByRole('link', { name: '查看办理进度' }).click();
    await page.waitForURL(/\/me\/applications\/[0-9a-f-]{36}$/);
    await waitUntilSettled(page);
    await page.getByText('以 杭州西湖味道餐饮有限公司 名义办理').waitFor();
    const id = page.url().split('/').pop()!;
    const companyList = page.locator('section', { has: page.getByRole('heading', { name: '杭州西湖味道餐饮有限公司 的办件' }) });
    await companyList.locator(`a[href="/me/applications/${id}"]`).waitFor();
    await shot('04-timeline');
    const filed = await call<{ applicant: { kind: string } }>('company1', 'GET', `/applications/${id}`);
    expect(filed.applicant.kind).toBe('company');

    // A company-only matter: nothing to ask, the company applies, and its 营业执照 e-licence is offered.
    await page.goto(`${server.baseUrl}/matters/330106-SC-004/apply`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: '核对单位和经办人信息' }).waitFor();
    await expect(page.getByRole('heading', { name: '为谁办理' }).count()).resolves.toBe(0);
    await expect(page.locator('.apply-step').innerText()).resolves.toMatch(/统一社会信用代码\s+91330106MA2H7Q3C2J/);
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '填写申请信息' }).waitFor();
    await page.getByLabel('变更事项').fill('经营范围');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('heading', { name: '营业执照' }).waitFor();
    await expect(page.getByRole('radio', { name: /用电子证照：营业执照/ }).isChecked()).resolves.toBe(true);
    await shot('05-company-only-licence');
  });
});
