import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/components/i18n/en';
import { ja } from '../../client/components/i18n/ja';
import { nextSeq } from '../../server/commands/meetings/meetingStore.js';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn, waitForScreen, type PageProblems } from './support/browser';
import { expectTranslated } from './support/i18nChecks';
import { callIdOf, proposalIdOf, startSeededGodo } from './support/server';

let godo: RunningGodo;
let browser: Browser;
let callId: string;
/** Seeded proposals by number: 3 is the one r2 declared an institutional conflict with. */
const p: Record<number, string> = {};
const ref = (n: number) => `SICORP-FR-2026-${String(n).padStart(3, '0')}`;

interface Person {
  page: Page;
  problems: PageProblems;
  close: () => Promise<void>;
}
const people: Person[] = [];

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  callId = await callIdOf(godo, 'bilateral');
  for (const n of [1, 2, 3, 4, 5]) p[n] = await proposalIdOf(godo, ref(n));
  // The seed's one declared conflict is the one this test relies on.
  const r2 = await godo.models.User.findOne({ email: 'r2@demo.example' }).lean();
  expect(await godo.models.Conflict.countDocuments({ callId, proposalId: p[3], userId: r2!._id, status: 'confirmed' })).toBe(1);
});

afterAll(async () => {
  for (const person of people) await person.close();
  await browser?.close();
  await godo?.close();
});

/** Signs a demo account in and opens the meeting room. */
async function enter(email: string): Promise<Person> {
  const { page, context, problems } = await openPage(browser, godo.url);
  await signIn(page, email);
  await page.goto(`/calls/${callId}/meeting`);
  await waitForScreen(page, '.meeting-grid, .leave-screen');
  const person = { page, problems, close: () => context.close() };
  people.push(person);
  return person;
}

const shownItem = (page: Page) => page.locator('.meeting-item').getAttribute('data-proposal-id');
const seqOf = async (page: Page) => Number(await page.locator('section.meeting').getAttribute('data-seq'));

/** The messages of the page's interface language (sign-in switches to the profile's). */
async function messagesOf(page: Page) {
  return (await page.evaluate(() => document.documentElement.lang)) === 'ja' ? ja : en;
}

/** Waits until the page shows `proposalId` as the item on its screen. */
function waitForItem(page: Page, proposalId: string) {
  return page.waitForFunction((id) => document.querySelector('.meeting-item')?.getAttribute('data-proposal-id') === id, proposalId);
}

/** Waits until the page has applied every change up to `seq`. */
function waitForSeq(page: Page, seq: number) {
  return page.waitForFunction((n) => Number(document.querySelector('section.meeting')?.getAttribute('data-seq')) >= n, seq);
}

describe('the panel meeting room', () => {
  it('moves followers with the moderator, leaves browsers alone, sends the conflicted out, and shows hands and polls live', async () => {
    // The PO moderates (Japanese profile), r3 follows, r4 browses freely, r2 is conflicted with proposal 3.
    const moderator = await enter('po@demo.example');
    const follower = await enter('r3@demo.example');
    const browsing = await enter('r4@demo.example');
    const conflicted = await enter('r2@demo.example');
    const mod = moderator.page;
    expect(await mod.evaluate(() => document.documentElement.lang)).toBe('ja');
    // Everyone's agenda starts with the whole call in reference order.
    expect(await follower.page.locator('.agenda-entry').count()).toBe(12);

    // The moderator builds the agenda with the keyboard: proposal 2 moves up, focus stays on it.
    await mod.locator('.agenda-editor summary').click();
    await mod.locator(`[data-editor-id="${p[2]}"] .move-up`).focus();
    await mod.keyboard.press('Enter');
    expect(await mod.evaluate(() => document.activeElement?.closest('[data-editor-id]')?.getAttribute('data-editor-id'))).toBe(p[2]);
    await mod.getByRole('button', { name: ja['meeting.editor.save'] }).click();
    await follower.page.waitForFunction((id) => document.querySelector('.agenda-entry')?.getAttribute('data-proposal-id') === id, p[2]);

    // The moderator starts proposal 2: the follower's screen changes to it without a reload.
    await follower.page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await mod.locator(`li[data-proposal-id="${p[2]}"] .agenda-discuss`).click();
    await waitForItem(follower.page, p[2]);
    await expect(follower.page.locator('.meeting-item').textContent()).resolves.toContain(ref(2));

    // r4 switches to browsing and opens proposal 5.
    await waitForItem(browsing.page, p[2]);
    await browsing.page.getByRole('switch', { name: en['meeting.agenda.browse'] }).check();
    await browsing.page.locator(`li[data-proposal-id="${p[5]}"] .agenda-open`).click();
    await waitForItem(browsing.page, p[5]);

    // "Next item" moves everyone to proposal 1 (second on the new agenda)...
    await mod.getByRole('button', { name: ja['meeting.agenda.next'] }).click();
    await waitForItem(follower.page, p[1]);
    // ...but the browsing reviewer, who received the same change, stays on proposal 5.
    await waitForSeq(browsing.page, await seqOf(follower.page));
    expect(await shownItem(browsing.page)).toBe(p[5]);
    expect(await browsing.page.locator('.agenda-current').getAttribute('data-proposal-id')).toBe(p[1]);
    // "Back to current item" follows again.
    await browsing.page.getByRole('button', { name: en['meeting.agenda.backToCurrent'] }).click();
    await waitForItem(browsing.page, p[1]);
    expect(await follower.page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // Proposal 3 next: r2 is asked to leave, on a full screen that has the focus and says nothing of the proposal.
    await mod.locator(`li[data-proposal-id="${p[3]}"] .agenda-discuss`).click();
    const leave = conflicted.page.locator('[data-testid="leave-screen"]');
    await leave.waitFor();
    await conflicted.page.waitForFunction(() => document.activeElement?.id === 'leave-title');
    // The server sends a reason code; the screen words it in the person's language.
    await expect(leave.locator('#leave-why[data-reason="conflict"]').textContent()).resolves.toBe(ja['meeting.leave.reason.conflict']);
    expect(await conflicted.page.locator('body').textContent()).not.toContain(ref(3));
    expect(await conflicted.page.locator('.meeting-grid').count()).toBe(0);
    await expectTranslated(conflicted.page, 'ja', 'meeting leave screen');
    await expectAccessible(conflicted.page, 'meeting leave screen (ja)');
    await screenshot(conflicted.page, 'meeting-leave');
    // The same notice in English: r2 joins late on a second device with an English profile.
    const r2Language = (await godo.models.User.findOne({ email: 'r2@demo.example' }).lean())!.language;
    await godo.models.User.updateOne({ email: 'r2@demo.example' }, { $set: { language: 'en' } });
    const english = await enter('r2@demo.example');
    people.splice(people.indexOf(english), 1);
    expect(await english.page.evaluate(() => document.documentElement.lang)).toBe('en');
    const englishLeave = english.page.locator('[data-testid="leave-screen"]');
    await expect(englishLeave.locator('#leave-why[data-reason="conflict"]').textContent()).resolves.toBe(en['meeting.leave.reason.conflict']);
    expect(await english.page.locator('body').textContent()).not.toContain(ref(3));
    await expectTranslated(english.page, 'en', 'meeting leave screen');
    await expectAccessible(english.page, 'meeting leave screen (en)');
    expect(english.problems.errors).toEqual([]);
    await english.close();
    await godo.models.User.updateOne({ email: 'r2@demo.example' }, { $set: { language: r2Language } });
    // The moderator sees who must leave (r2, still connected).
    await mod.locator('.must-leave').getByText('高橋 美咲').waitFor();

    // Moving on to proposal 4 brings r2 back, following the new item.
    await mod.getByRole('button', { name: ja['meeting.agenda.next'] }).click();
    await waitForItem(conflicted.page, p[4]);
    expect(await leave.count()).toBe(0);
    await conflicted.page.waitForFunction(() => document.activeElement?.id === 'item-title');
    // Proposal 3 stays on r2's agenda as a withheld entry: no reference, no title.
    await expect(conflicted.page.locator(`li[data-proposal-id="${p[3]}"]`).textContent()).resolves.toBe(ja['meeting.agenda.withheld']);
    const withheld = (await godo.models.Proposal.findById(p[3]).lean())!;
    const r2Text = await conflicted.page.locator('body').textContent();
    for (const secret of [ref(3), withheld.title!.en!, withheld.title!.ja!]) expect(r2Text).not.toContain(secret);

    // A raised hand shows in the moderator's queue.
    const r3 = await godo.models.User.findOne({ email: 'r3@demo.example' }).lean();
    await follower.page.getByRole('button', { name: en['meeting.hands.raise'] }).click();
    await mod.locator(`.hands-list li[data-user-id="${String(r3!._id)}"]`).waitFor();

    // A straw poll: r3's vote shows in the moderator's live distribution, and is marked as r3's own.
    await mod.getByRole('button', { name: ja['meeting.poll.openPoll'] }).click();
    await follower.page.locator('.poll-vote').waitFor();
    await follower.page.locator('.poll-vote').getByRole('button', { name: '4', exact: true }).click();
    await mod.locator('.poll-distribution tr[data-value="4"][data-count="1"]').waitFor();
    await follower.page.locator('.poll-distribution tr.poll-mine[data-value="4"]').waitFor();
    await expect(mod.locator('.poll-distribution caption').textContent()).resolves.toContain('1');
    await expectAccessible(follower.page, 'meeting reviewer with an open poll (en)');
    await screenshot(follower.page, 'meeting-reviewer');

    // Timer and a recorded decision reach everyone.
    await mod.locator('.meeting-timer').getByRole('button', { name: ja['meeting.timer.start'] }).click();
    await follower.page.locator('.timer-display[data-running="true"]').waitFor();
    await mod.getByLabel(ja['meeting.decisions.outcome']).fill('Fund, subject to a 10% budget cut');
    await mod.getByRole('button', { name: ja['meeting.decisions.record'] }).click();
    await follower.page.locator('.decision-list').getByText('Fund, subject to a 10% budget cut').waitFor();

    // Attendance shows each person's agency and local time with its zone name.
    await expect(mod.locator('.meeting-attendance').textContent()).resolves.toMatch(/\d\d:\d\d Europe\/Paris/);
    await expect(mod.locator('.meeting-attendance').textContent()).resolves.toMatch(/\d\d:\d\d Asia\/Tokyo/);

    // The moderator's screen: translated and accessible in Japanese, then in English.
    await expectTranslated(mod, 'ja', 'meeting (moderator)');
    await expectAccessible(mod, 'meeting moderator (ja)');
    await screenshot(mod, 'meeting-moderator');
    await mod.locator('.language-switch button[data-language=en]').click();
    await mod.getByRole('heading', { name: en['meeting.agenda.title'], exact: true }).waitFor();
    await expectTranslated(mod, 'en', 'meeting (moderator)');
    await expectAccessible(mod, 'meeting moderator (en)');
    await expectAccessible(follower.page, 'meeting reviewer (en)');

    for (const person of people) expect(person.problems.errors).toEqual([]);
  });

  it('catches up after a gap in seq and after a lost connection, and leaves when the screen closes', async () => {
    const moderator = await enter('po@demo.example');
    const follower = await enter('r1@demo.example');
    const mod = moderator.page;
    const [modText, followerText] = [await messagesOf(mod), await messagesOf(follower.page)];
    const r1 = String((await godo.models.User.findOne({ email: 'r1@demo.example' }).lean())!._id);
    const attendee = mod.locator(`.attendance-list li[data-user-id="${r1}"]`);
    await attendee.waitFor();

    // A change the follower never receives (a seq taken without a broadcast): the next event shows a gap, and it syncs.
    await nextSeq(godo.models, callId);
    await mod.locator(`li[data-proposal-id="${p[5]}"] .agenda-discuss`).click();
    await waitForItem(follower.page, p[5]);
    await waitForSeq(follower.page, await seqOf(mod));

    // The connection drops (the transport closes, as on a network cut); the item changes meanwhile; it rejoins and catches up.
    const sockets = [...godo.realtime.io.sockets.sockets.values()].filter((socket) => socket.data.user.id === r1);
    expect(sockets).toHaveLength(1);
    sockets[0].conn.close();
    await mod.locator(`li[data-proposal-id="${p[1]}"] .agenda-discuss`).click();
    await waitForItem(follower.page, p[1]);
    await waitForSeq(follower.page, await seqOf(mod));
    await attendee.waitFor();

    // The timer counts down from the server's anchor: one with 1.5 s left runs out on the follower's screen, announced politely.
    await mod.locator('.meeting-timer').getByRole('button', { name: modText['meeting.timer.start'] }).click();
    await follower.page.locator('.timer-display[data-running="true"]').waitFor();
    await godo.models.Meeting.updateOne(
      { callId },
      { $set: { 'timers.$[t].remainingMs': 1_500, 'timers.$[t].runningSince': new Date() } },
      { arrayFilters: [{ 't.proposalId': p[1] }] },
    );
    // Written behind the server's back, so the follower learns it through a gap and a sync.
    await nextSeq(godo.models, callId);
    await follower.page.getByRole('button', { name: followerText['meeting.hands.raise'] }).click();
    await follower.page.getByRole('status').filter({ hasText: followerText['meeting.timer.upAnnouncement'] }).waitFor();
    await expect(follower.page.locator('.timer-display').textContent()).resolves.toBe('0:00');

    // Leaving the screen leaves the meeting: the moderator sees the person go.
    await follower.page.getByRole('link', { name: followerText['callNav.proposals'], exact: true }).click();
    await attendee.waitFor({ state: 'detached' });

    for (const person of [moderator, follower]) expect(person.problems.errors).toEqual([]);
  });
});
