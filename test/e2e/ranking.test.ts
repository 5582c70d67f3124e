import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/components/i18n/en';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, signIn, waitForScreen } from './support/browser';
import { callIdOf, startSeededGodo } from './support/server';

let godo: RunningGodo;
let browser: Browser;
let callId: string;

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  callId = await callIdOf(godo, 'bilateral');
});

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

const idAt = (page: Page, position: number) => page.locator(`.joint-list tr[data-position="${position}"]`).getAttribute('data-proposal-id');

describe('the joint ranking', () => {
  it('moves a proposal with the keyboard, only once a reason is given, and records the reason', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'officer@demo.example');
    await page.goto(`/calls/${callId}/ranking`);
    await waitForScreen(page, '.joint-list');
    const first = await idAt(page, 1);
    const second = await idAt(page, 2);

    // Keyboard only: focus "Move … down" on the first row and press Enter.
    await page.locator('.joint-list tr[data-position="1"] .reorder button').nth(1).focus();
    await page.keyboard.press('Enter');
    const form = page.locator('form.move-form');
    await form.waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await expect(form.locator('button[type=submit]').isDisabled()).resolves.toBe(true);
    await page.keyboard.type('Stronger French partner on the second work package');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached' });

    await page.waitForFunction((id) => document.querySelector('.joint-list tr[data-position="2"]')?.getAttribute('data-proposal-id') === id, first);
    expect(await idAt(page, 1)).toBe(second);
    await expect(page.locator('.moves').textContent()).resolves.toContain('Stronger French partner on the second work package');
    // The announcement is a state update of its own, not part of the ranking data that moved the row.
    await page.getByRole('status').filter({ hasText: 'is now at position 2' }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'is now at position 2' }).count()).resolves.toBe(1);
    await expectAccessible(page, 'ranking after a move');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('moves a proposal by drag and drop, again asking for the reason', async () => {
    const { page, context } = await openPage(browser, godo.url);
    await signIn(page, 'officer@demo.example');
    await page.goto(`/calls/${callId}/ranking`);
    await waitForScreen(page, '.joint-list');
    const fifth = await idAt(page, 5);
    await page.locator('.joint-list tr[data-position="5"]').dragTo(page.locator('.joint-list tr[data-position="3"]'));
    const form = page.locator('form.move-form');
    await form.waitFor();
    await expect(form.locator('h4').textContent()).resolves.toMatch(/from position 5 to 3/);
    await form.locator('textarea').fill('Agreed in the panel: fits the ANR priority');
    await form.locator('button[type=submit]').click();
    await page.waitForFunction((id) => document.querySelector('.joint-list tr[data-position="3"]')?.getAttribute('data-proposal-id') === id, fifth);
    const stored = await godo.models.Ranking.findOne({ callId }).lean();
    expect(JSON.stringify(stored)).toContain('Agreed in the panel: fits the ANR priority');
    await context.close();
  });

  it('offers no reordering to a reviewer, who only reads', async () => {
    const { page, context } = await openPage(browser, godo.url);
    await signIn(page, 'r4@demo.example');
    await page.goto(`/calls/${callId}/ranking`);
    await waitForScreen(page, '.joint-list');
    await expect(page.locator('.reorder').count()).resolves.toBe(0);
    await expect(page.locator('.joint-list tr[draggable="true"]').count()).resolves.toBe(0);
    await context.close();
  });
});

describe('the proposals heat map', () => {
  it('sorts by spread and agency gap and filters to flagged proposals', async () => {
    const { page, context } = await openPage(browser, godo.url);
    await signIn(page, 'officer@demo.example');
    await page.goto(`/calls/${callId}`);
    await waitForScreen(page, 'table.heatmap tbody tr');
    // Spreads, gaps and flags come from the call's statistics, a request of their own that waitForScreen does
    // not wait for (its line is not marked busy); it is drawn with the rows while pending, so wait for it to go.
    await page.getByRole('status').filter({ hasText: en['proposals.loadingStats'] }).waitFor({ state: 'detached' });
    const spreadHeader = page.locator('table.heatmap th').filter({ hasText: 'Spread' });
    await spreadHeader.locator('button').click();
    await expect(spreadHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    // Spread sorts largest first: the first row's spread is the maximum of the column.
    const column = await page.locator('table.heatmap thead th').allTextContents();
    const index = column.findIndex((text) => text.startsWith('Spread'));
    const spreads = (await page.locator(`table.heatmap tbody tr td:nth-child(${index + 1})`).allTextContents()).map((text) => parseFloat(text));
    expect(spreads[0]).toBe(Math.max(...spreads.filter((value) => !Number.isNaN(value))));
    await page.locator('table.heatmap th').filter({ hasText: 'Agency gap' }).locator('button').click();
    await page.getByLabel('Only flagged').check();
    const shown = await page.locator('table.heatmap tbody tr').count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(12);
    await expect(page.locator('table.heatmap tbody tr').filter({ hasNot: page.locator('.flag-mark') }).count()).resolves.toBe(0);
    await page.getByLabel('Search reference, title or PI').fill('coral');
    await expect(page.locator('table.heatmap tbody tr').count()).resolves.toBeLessThanOrEqual(1);
    await context.close();
  });
});

