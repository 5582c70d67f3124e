import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn, waitForScreen } from './support/browser';
import { expectTranslated } from './support/i18nChecks';
import { callIdOf, proposalIdOf, startSeededGodo } from './support/server';

let godo: RunningGodo;
let browser: Browser;
let callId: string;
let proposalId: string;

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  callId = await callIdOf(godo, 'bilateral');
  const first = await godo.models.Proposal.findOne({ callId }).sort({ ref: 1 }).lean();
  proposalId = await proposalIdOf(godo, first!.ref);
});

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

/** The row of the proposals table for the proposal of this test. */
const row = (page: Page) => page.locator('table.heatmap tbody tr').filter({ has: page.locator(`a[href$="/proposals/${proposalId}"]`) });

/** Posts a new thread through the composer (the panel's last form); the visibility choice stays as it was unless given. */
async function post(page: Page, text: string, visibility?: 'panel' | 'agency'): Promise<string> {
  const composer = page.locator('.comments-panel > form.comment-composer');
  await composer.locator('textarea').fill(text);
  if (visibility) await composer.getByLabel(visibility === 'agency' ? /My agency only/ : /The whole panel/).check();
  const created = page.waitForResponse((res) => res.url().endsWith(`/api/proposals/${proposalId}/comments`) && res.request().method() === 'POST');
  await composer.locator('button[type=submit]').click();
  const response = await created;
  expect(response.status()).toBe(201);
  return ((await response.json()) as { comment: { id: string } }).comment.id;
}

describe('comment threads between two people of a call', () => {
  it('delivers a mention live, counts it unread until read, keeps agency threads to their side, and shows the connection', async () => {
    // A: Kenji Watanabe (r3, JST reviewer). B: Julien Bernard (r4, ANR reviewer).
    const a = await openPage(browser, godo.url);
    const b = await openPage(browser, godo.url);
    await Promise.all([signIn(a.page, 'r3@demo.example'), signIn(b.page, 'r4@demo.example')]);
    // The badges come from a request of their own, sent only once the rows are drawn: waitForScreen does not
    // wait for it, and a badge-less row before it answered would make "no badge" hold vacuously.
    const initiallyCounted = b.page.waitForResponse((res) => res.url().endsWith(`/api/calls/${callId}/comments/unread`));
    await b.page.goto(`/calls/${callId}`);
    await waitForScreen(b.page, 'table.heatmap');
    const initially = (await (await initiallyCounted).json()) as { unread: { proposalId: string }[] };
    expect(initially.unread.map((u) => u.proposalId)).not.toContain(proposalId);
    await expect(row(b.page).locator('.unread-badge').count()).resolves.toBe(0);

    await a.page.goto(`/calls/${callId}/proposals/${proposalId}`);
    await waitForScreen(a.page, '.comments-panel > form.comment-composer');
    // The mention is picked with the keyboard from the combobox of the call's members.
    const box = a.page.locator('.comments-panel > form.comment-composer textarea');
    await box.click();
    await box.pressSequentially('Could you check the budget, @Jul');
    // The suggestions are the call's members, loaded by a request of their own that the composer does not
    // wait for: the list opens once they are in, so wait for the option before reading aria-expanded.
    const option = a.page.getByRole('option', { name: /Julien Bernard/ });
    await option.waitFor();
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(option.getAttribute('aria-selected')).resolves.toBe('true');
    await box.press('Enter');
    await expect(box.inputValue()).resolves.toBe('Could you check the budget, @Julien Bernard ');
    await expect(box.getAttribute('aria-expanded')).resolves.toBe('false');
    const created = a.page.waitForResponse((res) => res.url().endsWith(`/api/proposals/${proposalId}/comments`) && res.request().method() === 'POST');
    await a.page.locator('.comments-panel > form.comment-composer button[type=submit]').click();
    const mention = (await (await created).json()) as { comment: { id: string; mentions: string[] } };
    const julien = await godo.models.User.findOne({ email: 'r4@demo.example' }).lean();
    expect(mention.comment.mentions).toEqual([String(julien!._id)]);

    // B, on the proposals table, is told live and sees the unread badge.
    const notice = b.page.locator(`.mention-notice[data-comment-id="${mention.comment.id}"]`);
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('Kenji Watanabe mentioned you');
    await row(b.page).locator('.unread-badge[data-unread="1"]').waitFor();
    await expectAccessible(b.page, 'proposals table with unread badge and mention');

    // Opening the comment reads it; a later comment appears live in the open thread list.
    await b.page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await notice.getByRole('link').click();
    const mentioned = b.page.locator(`#comment-${mention.comment.id}`);
    await mentioned.waitFor();
    await expect(mentioned.locator('mark.mention').textContent()).resolves.toBe('@Julien Bernard');
    await b.page.waitForFunction((id) => document.activeElement?.id === `comment-${id}`, mention.comment.id);
    const followUp = await post(a.page, 'The second vessel is in the budget annex.');
    await b.page.locator(`[data-comment-id="${followUp}"]`).waitFor();

    // Agency-only: A's JST thread never reaches B (ANR); a panel comment after it is the barrier.
    const internal = await post(a.page, 'JST side only: the personnel costs look high.', 'agency');
    await a.page.locator(`[data-comment-id="${internal}"]`).waitFor();
    await expect(a.page.locator(`.comment-thread[data-thread-id="${internal}"] .agency-only`).textContent()).resolves.toBe('JST only');
    const barrier = await post(a.page, 'Panel: shall we discuss the vessel time?', 'panel');
    await b.page.locator(`[data-comment-id="${barrier}"]`).waitFor();
    await expect(b.page.locator(`[data-comment-id="${internal}"]`).count()).resolves.toBe(0);
    await expect(b.page.locator('.comments-panel').textContent()).resolves.not.toContain('personnel costs');

    await expectAccessible(b.page, 'proposal comments');
    await screenshot(b.page, 'proposal-comments');

    // Back on the table, the proposal has nothing unread: B read everything as it arrived.
    expect(await b.page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    const counted = b.page.waitForResponse((res) => res.url().endsWith(`/api/calls/${callId}/comments/unread`));
    await b.page.goto(`/calls/${callId}`);
    const unread = (await (await counted).json()) as { unread: { proposalId: string }[] };
    expect(unread.unread.map((u) => u.proposalId)).not.toContain(proposalId);
    await waitForScreen(b.page, 'table.heatmap');
    await row(b.page).waitFor();
    await expect(row(b.page).locator('.unread-badge').count()).resolves.toBe(0);

    // Connection indicator: offline, then connected again without a reload; then the server closes the socket.
    await b.page.goto(`/calls/${callId}/proposals/${proposalId}`);
    await waitForScreen(b.page, '.comments-panel');
    const status = b.page.locator('.connection');
    await b.page.locator('.connection[data-connection=online]').waitFor();
    await b.context.setOffline(true);
    await b.page.locator('.connection[data-connection=offline]').waitFor();
    await expect(status.textContent()).resolves.toContain('Offline');
    await b.context.setOffline(false);
    await b.page.locator('.connection[data-connection=online]').waitFor();
    godo.realtime.io.disconnectSockets(true);
    await b.page.locator('.connection[data-connection=reconnecting]').waitFor();
    await b.page.locator('.connection[data-connection=online]').waitFor({ timeout: 15_000 });
    // The subscription came back with the connection: live comments flow again.
    const afterReconnect = await post(a.page, 'Back online? This should reach you live.');
    await b.page.locator(`[data-comment-id="${afterReconnect}"]`).waitFor();

    // Japanese: the same screen has every message.
    await b.page.getByRole('button', { name: '日本語' }).click();
    await b.page.locator('#comments-title', { hasText: 'コメント' }).waitFor();
    await expectTranslated(b.page, 'ja', 'proposal comments');
    await expectAccessible(b.page, 'proposal comments (ja)');

    expect(a.problems.errors).toEqual([]);
    expect(b.problems.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
