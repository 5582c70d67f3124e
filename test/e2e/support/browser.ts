import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from './server';

const root = path.resolve(import.meta.dirname, '../../..');
const SCREENSHOTS = path.join(root, 'test-artifacts', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, headless, without anything that reaches the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Problems a page reported by itself: script errors, CSP refusals, console errors. */
export interface PageProblems {
  errors: string[];
}

/**
 * A fresh context (own cookies) and page on `baseURL`, collecting page errors and console errors
 * (a CSP violation shows up there) so each test can assert there were none.
 */
export async function openPage(browser: Browser, baseURL: string, options: { locale?: string; timezoneId?: string } = {}) {
  const context: BrowserContext = await browser.newContext({
    baseURL,
    locale: options.locale ?? 'en-GB',
    timezoneId: options.timezoneId ?? 'Europe/London',
    viewport: { width: 1366, height: 900 },
  });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // 4xx answers (401 before sign-in, 403 for hidden statistics, 409 on a refused change) are shown by the UI itself.
    if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) problems.errors.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Signs in through the form and waits for "My calls". */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel(/E-mail|メールアドレス/).fill(email);
  await page.getByLabel(/^(Password|パスワード)$/).fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('#calls-title').waitFor();
}

/** Message keys the i18n layer was asked for but the active language lacks. */
export function missingMessages(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__godoMissingMessages ?? []);
}

/** Runs axe-core in the page and fails on any serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not apply.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}

/** Saves a full-page screenshot to test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits until a screen has drawn `selector` and nothing on it is still loading. */
export async function waitForScreen(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading, .progress-line, [aria-busy="true"]'));
}
