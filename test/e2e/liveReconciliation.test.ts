import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { reopenReviewOfR1, startSeededGodo } from './support/server';

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

describe('reconciliation while reviews come in', () => {
  it("shows a reviewer's submitted scores in the moderator's view without a reload", async () => {
    const moderator = await openPage(browser, godo.url);
    await signIn(moderator.page, 'po@demo.example');
    await moderator.page.goto(`/calls/${callId}/proposals/${proposalId}/reconciliation`);
    const panel = moderator.page.locator('.reconciliation');
    await panel.waitFor();
    expect(await panel.getAttribute('data-submitted')).toBe('3');
    // Marks this document: a reload would lose it.
    await moderator.page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await expectAccessible(moderator.page, 'reconciliation');
    await screenshot(moderator.page, 'reconciliation-before');

    const reviewer = await openPage(browser, godo.url);
    await signIn(reviewer.page, 'r1@demo.example');
    await reviewer.page.goto(`/calls/${callId}/proposals/${proposalId}`);
    const form = reviewer.page.locator('form.review-form');
    await form.waitFor();
    await form.locator('#score-significance').selectOption('2');
    await form.locator('#score-approach').selectOption('3');
    // The live total follows the scores: 2 × 2 + 1 × 3 on this call's weights.
    await expect(reviewer.page.getByTestId('live-total').textContent()).resolves.toBe('7');
    await expectAccessible(reviewer.page, 'review form');
    await screenshot(reviewer.page, 'review-form');
    await form.locator('button[type=submit]').click();
    await form.locator('.notice-success').waitFor();

    await moderator.page.waitForFunction(() => document.querySelector('.reconciliation')?.getAttribute('data-submitted') === '4', undefined, {
      timeout: 20_000,
    });
    expect(await moderator.page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    // r1's new significance score (2) is now among the plotted markers of the JST lane.
    await moderator.page.waitForFunction(() => /JST: [^;]*2/.test(document.querySelector('#plot-significance-desc')?.textContent ?? ''));
    await screenshot(moderator.page, 'reconciliation-after');
    expect(moderator.problems.errors).toEqual([]);
    expect(reviewer.problems.errors).toEqual([]);
    await moderator.context.close();
    await reviewer.context.close();
  });
});
