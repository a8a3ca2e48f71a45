// How the shell behaves for a person: keyboard only, elder mode remembered, read-aloud and
// language switches, and API failures turned into guidance. API failures are simulated with
// page.route so these hold whether or not the server (and which routes) exist yet.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServer } from './harness/appServer.js';
import { startBrowserAndServer, stopBrowserAndServer } from './harness/suite.js';
import { chromiumAvailable } from './harness/chromium.js';
import { DEMO_PASSWORD, openPage, waitUntilSettled } from './harness/pageSetup.js';


function contractError(status: number, code: string, message: string, details?: unknown[]) {
  return { status, contentType: 'application/json', body: JSON.stringify({ error: { code, message, details } }) };
}

describe.skipIf(!chromiumAvailable)('web UI behaviour in a real browser', { timeout: 120_000 }, () => {
  let server: AppServer;
  let browser: Browser;
  const pages: Page[] = [];
  const open = async (...args: Parameters<typeof openPage> extends [Browser, AppServer, ...infer R] ? R : never) => {
    const page = await openPage(browser, server, ...args);
    pages.push(page);
    return page;
  };

  beforeAll(async () => { ({ server, browser } = await startBrowserAndServer()); }, 240_000);
  afterAll(() => stopBrowserAndServer({ server, browser, pages }), 60_000);

  it('the first Tab reaches a visible skip link that moves focus to the main content', async () => {
    const page = await open({ path: '/', elder: false });
    await page.keyboard.press('Tab');
    const skip = page.locator('.skip-link');
    await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.width > 20).toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });

  it('keyboard focus is drawn with a visible ring', async () => {
    const page = await open({ path: '/', elder: false });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab'); // the brand link
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { width: parseFloat(style.outlineWidth), style: style.outlineStyle };
    });
    expect(outline.style).toBe('solid');
    expect(outline.width).toBeGreaterThanOrEqual(2);
  });

  it('a primary button keeps readable contrast (≥ 4.5:1) while hovered, in both modes', async () => {
    for (const elder of [false, true]) {
      const page = await open({ path: '/login', elder });
      const button = page.locator('main button[type="submit"]');
      await button.hover();
      await page.waitForTimeout(400); // antd animates the colour change
      const ratio = await button.evaluate((el) => {
        const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (css: string) => {
          const [r, g, b] = rgb(css).map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const style = getComputedStyle(el);
        const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
        return (a! + 0.05) / (b! + 0.05);
      });
      expect(ratio, elder ? 'elder' : 'normal').toBeGreaterThanOrEqual(4.5);
    }
  });

  it('elder mode is switched on by keyboard and remembered after a reload', async () => {
    const page = await open({ path: '/', elder: false });
    const toggle = page.getByRole('button', { name: '长辈版' });
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await page.reload({ waitUntil: 'networkidle' });
    await waitUntilSettled(page);
    const state = await page.evaluate(() => ({
      elder: document.documentElement.classList.contains('elder-mode'),
      bodyPx: parseFloat(getComputedStyle(document.body).fontSize),
    }));
    expect(state).toEqual({ elder: true, bodyPx: expect.any(Number) });
    expect(state.bodyPx).toBeGreaterThanOrEqual(18);
    // Elder mode offers the one-tap "ask a relative" link to the 代办 page.
    await expect(page.getByRole('link', { name: '请家人帮我办' }).getAttribute('href')).resolves.toBe('/me/agent-grants');
  });

  it('read-aloud either starts or says clearly why it cannot', async () => {
    const page = await open({ path: '/', elder: true });
    await page.getByRole('button', { name: '朗读本页' }).click();
    const message = await page.locator('.tool-status').innerText();
    expect(message).toMatch(/正在朗读|不支持朗读/);
    // Without speech synthesis the person is told, not left guessing.
    const silent = await open({ path: '/', elder: true });
    await silent.evaluate(() => {
      // @ts-expect-error simulate a browser with no Web Speech API
      delete window.speechSynthesis;
    });
    await silent.getByRole('button', { name: '朗读本页' }).click();
    await expect(silent.locator('.tool-status').innerText()).resolves.toContain('不支持朗读');
  });

  it('the large cursor option is remembered like elder mode', async () => {
    const page = await open({ path: '/', elder: false });
    await page.getByRole('button', { name: '大鼠标' }).click();
    const cursor = await page.evaluate(() => getComputedStyle(document.body).cursor);
    expect(cursor).toContain('url(');
    await page.reload({ waitUntil: 'networkidle' });
    await expect(page.evaluate(() => document.documentElement.classList.contains('big-cursor'))).resolves.toBe(true);
  });

  it('switching to English changes the page language and every label', async () => {
    const page = await open({ path: '/', elder: false });
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await expect(page.locator('main h1').innerText()).resolves.toBe('One-stop government services');
    const cjkInMain = await page.evaluate(() => /[\u4e00-\u9fff]/.test(document.querySelector('nav')!.textContent ?? ''));
    expect(cjkInMain).toBe(false);
  });

  it('an expired token (401) returns the person to login, then back where they were', async () => {
    const page = await open({ path: '/', elder: false, user: 'citizen1' });
    await page.route('**/api/v1/me/licences', (route) => route.fulfill(contractError(401, 'UNAUTHENTICATED', 'token expired')));
    await page.getByRole('navigation').getByRole('link', { name: '我的证照' }).click();
    await page.waitForURL(/\/login\?/);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/me/licences');
    expect(new URL(page.url()).searchParams.get('expired')).toBe('1');
    await page.getByText('登录已过期，请重新登录', { exact: false }).waitFor();
    await expect(page.evaluate(() => localStorage.getItem('tongban.session'))).resolves.toBeNull();
    if (server.kind === 'static') return; // no API to sign in against
    await page.unroute('**/api/v1/me/licences');
    await page.getByLabel('用户名').fill('citizen1');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).last().click();
    await page.waitForURL(/\/me\/licences$/);
  });

  it('a contract error reads as guidance with each offending field named', async () => {
    const page = await open({ path: '/login', elder: false });
    await page.route('**/api/v1/auth/login', (route) =>
      route.fulfill(contractError(400, 'VALIDATION_FAILED', 'bad body', [{ path: '/username', message: 'too long' }])),
    );
    await page.getByLabel('用户名').fill('someone');
    await page.getByLabel('密码').fill('secret');
    await page.getByRole('button', { name: '登录' }).last().click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('填写的内容有误');
    expect(text).toContain('/username: too long');
  });

  it('wrong credentials say what happened and what to do, in the chosen language', async () => {
    const page = await open({ path: '/login', elder: false, language: 'en' });
    await page.route('**/api/v1/auth/login', (route) =>
      route.fulfill(contractError(401, 'AUTH_INVALID_CREDENTIALS', '用户名或密码错误')),
    );
    await page.getByLabel('Username').fill('citizen1');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('The username or password is not right.');
    expect(page.url()).toContain('/login');
  });

  it('anyone can verify a published 双随机 draw from its public page', async (context) => {
    if (server.kind === 'static') return context.skip(); // needs the API's demo draw
    const page = await open({ path: '/supervision/draws', elder: false });
    const firstDraw = page.locator('main .card').first();
    await firstDraw.waitFor();
    await firstDraw.getByRole('button', { name: '在线核验这次抽取' }).click();
    await firstDraw.getByText('核验通过').waitFor();
  });
});
