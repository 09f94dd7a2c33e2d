// A real browser for journeys: Debian's Chromium driven by playwright-core,
// a Reachable listening on a free port, axe-core on every page, sign-in
// with a code from an authenticator app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { totpCode } from '../../src/platform/totp.ts';
import { testApp, TEST_PASSWORD, type TestApp } from './app.ts';
import { NAVIGATION } from '../../src/platform/navigation.ts';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Browser {
  t: TestApp;
  base: string;
  context: BrowserContext;
  /** Paths axe-core has checked. */
  checked: string[];
  close(): Promise<void>;
}

/** With `localhost`, the page is a secure context with a domain name, as passkeys (WebAuthn) need; PUBLIC_URL follows it. */
export async function openBrowser(options: { hostname?: 'localhost'; width?: number } = {}): Promise<Browser> {
  const t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address() as { port: number };
  if (options.hostname) t.app.config.publicUrl = `http://${options.hostname}:${address.port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-chromium-'));
  // 375 px is a phone (issue 22: a navigator in an A&E corridor); 1280 a desktop.
  const width = options.width ?? 1280;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width, height: width < 600 ? 812 : 720 },
    isMobile: width < 600,
    hasTouch: width < 600,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    t,
    base: `http://${options.hostname ?? '127.0.0.1'}:${address.port}`,
    context,
    checked: [],
    async close() {
      await context.close();
      await t.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Runs axe-core (WCAG 2.2 A and AA rules) on the page and fails on any violation. */
export async function axe(b: Browser, page: Page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return run.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
  });
  b.checked.push(new URL(page.url()).pathname);
  // Nothing wider than the screen: wide tables scroll inside their own region, the page never does.
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.reachable-table-scroll'));
    const outermost = wide.filter((e) => !wide.includes(e.parentElement!));
    return [`page ${document.documentElement.scrollWidth} px on a ${width} px screen`, ...outermost.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)} px)`)];
  });
  expect(overflow, `wider than the screen on ${page.url()}`).toBeNull();
  expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')}) on ${page.url()}`)).toEqual([]);
}

export async function signIn(b: Browser, page: Page, user: { email: string; totpSecret?: string | null }) {
  await b.context.clearCookies();
  await page.goto(`${b.base}/sign-in`);
  await page.fill('#email', user.email);
  await page.fill('#password', TEST_PASSWORD);
  await page.click('button:has-text("Continue")');
  await page.fill('#code', await totpCode(user.totpSecret!));
  await page.click('button:has-text("Sign in")');
  await page.waitForURL(`${b.base}/`);
}

/** Opens a page from the menu as a user would: its group's entry, then the group's sub-navigation when the page is not the group's first. */
export async function openFromMenu(page: Page, text: string) {
  const group = NAVIGATION.find((g) => g.items.some((i) => i.text === text));
  if (!group) throw new Error(`No menu entry for ${text}`);
  // On a phone the menu is folded behind its "Menu" button.
  const toggle = page.locator('.govuk-service-navigation__toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.click(`.govuk-service-navigation a:has-text("${group.text}")`);
  if (!(await page.isVisible(`.moj-sub-navigation a[aria-current="page"]:has-text("${text}")`)) && (await page.isVisible('.moj-sub-navigation'))) {
    await page.click(`.moj-sub-navigation a:has-text("${text}")`);
  }
}
