import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn, waitForScreen } from './support/browser';
import { expectTranslated } from './support/i18nChecks';
import { callIdOf, proposalIdOf, startSeededGodo } from './support/server';

let godo: RunningGodo;
let browser: Browser;
let screens: { name: string; path: string; ready: string }[];
/** Screens only an administrator sees in full: creating a call, registering a proposal in a call in setup. */
let adminScreens: { name: string; path: string; ready: string }[];

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  const call = await callIdOf(godo, 'bilateral');
  const proposal = await proposalIdOf(godo, 'SICORP-FR-2026-002');
  const base = `/calls/${call}`;
  const p = `${base}/proposals/${proposal}`;
  screens = [
    { name: 'my-calls', path: '/', ready: '.call-card' },
    { name: 'profile', path: '/profile', ready: '#password-title' },
    { name: 'call-proposals', path: base, ready: 'table.heatmap tbody tr' },
    { name: 'call-settings', path: `${base}/settings`, ready: '#settings-title' },
    { name: 'call-people', path: `${base}/people`, ready: '#invite-title' },
    { name: 'call-assignments', path: `${base}/assignments`, ready: '#assign-title' },
    { name: 'call-conflicts', path: `${base}/conflicts`, ready: 'table.plain' },
    { name: 'ranking', path: `${base}/ranking`, ready: '#joint-title' },
    { name: 'audit', path: `${base}/audit`, ready: '.audit-table, .audit-empty' },
    { name: 'meeting', path: `${base}/meeting`, ready: '#meeting-title' },
    { name: 'proposal-details', path: p, ready: '#bilingual-title' },
    { name: 'proposal-reviews', path: `${p}/reviews`, ready: '#reviews-title' },
    { name: 'proposal-reconciliation', path: `${p}/reconciliation`, ready: '#consensus-title' },
    { name: 'proposal-decision', path: `${p}/decision`, ready: '#signoff-title' },
    { name: 'proposal-report', path: `${p}/report`, ready: '#report-title' },
  ];
  // A call in setup (a copy of the bilateral one), where proposals can still be registered.
  const { _id, ...bilateral } = (await godo.models.Call.findById(call).lean())!;
  const setupCall = await godo.models.Call.create({ ...bilateral, title: { en: 'Joint call in preparation', ja: '準備中の共同公募' }, phase: 'setup', version: 0 });
  adminScreens = [
    { name: 'call-new', path: '/calls/new', ready: '#call-new-title' },
    { name: 'proposal-new', path: `/calls/${setupCall._id}/proposals/new`, ready: '#proposal-new-title' },
  ];
  // Something for the audit log to show.
  const po = await godo.models.User.findOne({ email: 'po@demo.example' }).lean();
  await godo.models.Audit.create({ callId: call, proposalId: proposal, actorId: po!._id, action: 'ranking.moved', at: new Date(), before: { position: 3 }, after: { position: 2, reason: 'Stronger joint team' } });
});

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

async function walk(page: Page, language: 'en' | 'ja', list = screens): Promise<void> {
  for (const screen of list) {
    await page.goto(screen.path);
    await waitForScreen(page, screen.ready);
    expect(await page.evaluate(() => document.documentElement.lang), screen.name).toBe(language);
    await expectTranslated(page, language, screen.name);
    await expectAccessible(page, `${screen.name} (${language})`);
    await screenshot(page, `${screen.name}-${language}`);
  }
}

describe('every screen in both languages', () => {
  it('signs in on a translated, accessible form in English and in Japanese', async () => {
    for (const [locale, language] of [['en-GB', 'en'], ['ja-JP', 'ja']] as const) {
      const { page, context, problems } = await openPage(browser, godo.url, { locale });
      await page.goto('/signin');
      await waitForScreen(page, 'form[data-ready]');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
      await expectTranslated(page, language, 'sign-in');
      await expectAccessible(page, `sign-in (${language})`);
      await screenshot(page, `sign-in-${language}`);
      expect(problems.errors).toEqual([]);
      await context.close();
    }
  });

  // 30 screens with axe and screenshots: about 4 s each on the shared 2-core machine, so more than the default 120 s.
  it('walks every screen in the profile language, switches language in the header, and walks them again', { timeout: 300_000 }, async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    // The PO's profile says Japanese: signing in switches the interface to it.
    await signIn(page, 'po@demo.example');
    await walk(page, 'ja');

    await page.goto('/');
    await waitForScreen(page, '.call-card');
    const saved = page.waitForResponse((response) => response.url().endsWith('/api/me') && response.request().method() === 'PATCH');
    await page.locator('.language-switch button[data-language=en]').click();
    expect((await saved).status()).toBe(200);
    // Every string re-renders at once, without a reload.
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await expect(page.locator('#calls-title').textContent()).resolves.toBe('My calls');
    await expectTranslated(page, 'en', 'my calls after switching');
    // The choice is kept in the profile: a fresh load starts in English.
    await page.reload();
    await waitForScreen(page, '.call-card');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await walk(page, 'en');
    // The proposal's breadcrumb leads back to its call's proposals, not to My calls.
    const details = screens.find((screen) => screen.name === 'proposal-details')!;
    await page.goto(details.path);
    await waitForScreen(page, details.ready);
    await page.locator('.breadcrumb a').click();
    await waitForScreen(page, 'table.heatmap tbody tr');
    expect(new URL(page.url()).pathname).toBe(screens.find((screen) => screen.name === 'call-proposals')!.path);
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('walks the administrator\'s screens (create a call, register a proposal) in both languages', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'admin@demo.example');
    const start = await page.evaluate(() => document.documentElement.lang as 'en' | 'ja');
    await expect(page.getByRole('link', { name: /Create a call|公募を作成/ }).count()).resolves.toBe(1);
    await walk(page, start, adminScreens);
    const other = start === 'en' ? 'ja' : 'en';
    await page.locator(`.language-switch button[data-language=${other}]`).click();
    await page.waitForFunction((lang) => document.documentElement.lang === lang, other);
    await walk(page, other, adminScreens);
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
