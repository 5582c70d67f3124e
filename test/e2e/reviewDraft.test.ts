import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ja } from '../../client/components/i18n/ja';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { reopenReviewOfR1, startSeededGodo } from './support/server';

// A reviewer's unsaved changes to their review: kept when they leave the page and come back, never
// replaced by a newer copy from the server, and never saved over a version saved from another tab.
// r1 works in Japanese (their profile language), so the screen is read in Japanese.

let godo: RunningGodo;
let browser: Browser;
let callId: string;
let proposalId: string;

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  ({ callId, proposalId } = await reopenReviewOfR1(godo));
});

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

const form = (page: Page) => page.locator('form.review-form');
const overall = (page: Page) => form(page).getByLabel(ja['review.overallComment']);
const storedDrafts = (page: Page) => page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('godo.reviewDraft.')));

async function openReview(page: Page) {
  await page.goto(`/calls/${callId}/proposals/${proposalId}`);
  await form(page).waitFor();
}

describe('unsaved changes to my review', () => {
  it('are kept when I leave the page and come back (a link, a reload), asked about before the tab goes, and forgotten once saved', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'r1@demo.example');
    await openReview(page);
    await overall(page).fill('Strong consortium; the Thai work package needs a clearer timeline.');
    await form(page).getByText(ja['review.unsaved']).waitFor();

    // Away through a link and back through history: the same tab, no reload.
    await page.getByRole('link', { name: ja['callNav.proposals'], exact: true }).click();
    await page.locator('table.heatmap').waitFor();
    await page.goBack();
    await form(page).getByText(ja['review.restoredDraft']).waitFor();
    await expect(overall(page).inputValue()).resolves.toBe('Strong consortium; the Thai work package needs a clearer timeline.');
    await expectAccessible(page, 'review form with restored changes');

    // A reload: the browser asks first (accepted here), and the changes are back after it.
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    await form(page).getByText(ja['review.restoredDraft']).waitFor();
    expect(asked).toEqual(['beforeunload']);
    await expect(overall(page).inputValue()).resolves.toBe('Strong consortium; the Thai work package needs a clearer timeline.');

    await form(page).getByRole('button', { name: ja['review.saveDraft'] }).click();
    await form(page).getByText(ja['review.savedNotice']).waitFor();
    await form(page).getByText(ja['review.unsaved']).waitFor({ state: 'detached' });
    expect(await storedDrafts(page)).toEqual([]);
    const stored = await godo.models.Review.findOne({ proposalId, status: 'draft' }).lean();
    expect(stored?.overallComment).toBe('Strong consortium; the Thai work package needs a clearer timeline.');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('are neither replaced by nor saved over a version saved from another tab, and can be swapped for it on request', async () => {
    const a = await openPage(browser, godo.url);
    const b = await openPage(browser, godo.url);
    await Promise.all([signIn(a.page, 'r1@demo.example'), signIn(b.page, 'r1@demo.example')]);
    await Promise.all([openReview(a.page), openReview(b.page)]);
    await overall(a.page).fill('Written in tab A, not saved yet.');

    await overall(b.page).fill('Saved from tab B.');
    await form(b.page).getByRole('button', { name: ja['review.saveDraft'] }).click();
    await form(b.page).getByText(ja['review.savedNotice']).waitFor();

    // A saves: refused (409) rather than overwriting B; A fetches B's copy, keeps its own text and says why.
    const refused = a.page.waitForResponse((res) => res.url().endsWith(`/api/proposals/${proposalId}/reviews/mine`) && res.request().method() === 'PUT');
    await form(a.page).getByRole('button', { name: ja['review.saveDraft'] }).click();
    expect((await refused).status()).toBe(409);
    const warning = form(a.page).locator('.notice-warning').filter({ hasText: ja['review.changedElsewhere'] });
    await warning.waitFor();
    await expect(overall(a.page).inputValue()).resolves.toBe('Written in tab A, not saved yet.');
    expect((await godo.models.Review.findOne({ proposalId, status: 'draft' }).lean())?.overallComment).toBe('Saved from tab B.');
    await expectAccessible(a.page, 'review saved elsewhere');
    await screenshot(a.page, 'review-changed-elsewhere');

    await warning.getByRole('button', { name: ja['common.loadSaved'] }).click();
    await warning.waitFor({ state: 'detached' });
    await expect(overall(a.page).inputValue()).resolves.toBe('Saved from tab B.');
    expect(await storedDrafts(a.page)).toEqual([]);
    expect(a.problems.errors).toEqual([]);
    expect(b.problems.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
