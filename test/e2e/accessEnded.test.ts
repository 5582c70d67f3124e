import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/components/i18n/en';
import { ja } from '../../client/components/i18n/ja';
import type { RunningGodo } from '../../server/index.js';
import { createUser, signIn as signInApi, TEST_PASSWORD } from '../helpers/fixtures.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn, waitForScreen, type PageProblems } from './support/browser';
import { expectTranslated } from './support/i18nChecks';
import { callIdOf, DEMO_PASSWORD, proposalIdOf, startSeededGodo } from './support/server';

/**
 * What a person sees when the server ends their live access while the screen is open
 * (`meeting:accessEnded`, `comment:accessEnded`, see server/realtime/liveAccessRecheck.ts).
 * The changes are made through the REST API, as the server tests of the re-check do.
 */

let godo: RunningGodo;
let browser: Browser;
let callId: string;
/** The Program Director's API client: adds and removes members. */
let pd: HttpClient;
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
  for (const n of [1, 2]) p[n] = await proposalIdOf(godo, ref(n));
  pd = await signInApi(godo, 'pd@demo.example', DEMO_PASSWORD);
});

afterAll(async () => {
  for (const person of people) await person.close();
  await browser?.close();
  await godo?.close();
});

let added = 0;
/**
 * A reviewer the PD adds to the call now: the seeded reviewers have assignments, which the
 * server will not let a removal leave behind (`member_has_assignments`).
 */
async function newReviewer(language: 'en' | 'ja') {
  const user = await createUser(godo, { email: `late${++added}@example.org`, name: `Late Reviewer ${added}`, language, timeZone: 'Asia/Tokyo' });
  const res = await pd.put(`/api/calls/${callId}/members`, { personId: user.id, role: 'reviewer', agency: 'JST' });
  expect(res.status, res.text).toBe(201);
  return user;
}

/** A signed-in browser page; demo accounts by the demo password, the added reviewers by the test one. */
async function open(email: string): Promise<Person> {
  const { page, context, problems } = await openPage(browser, godo.url);
  const person = { page, problems, close: () => context.close() };
  people.push(person);
  await signIn(page, email, email.endsWith('@demo.example') ? DEMO_PASSWORD : TEST_PASSWORD);
  return person;
}

async function enterMeeting(email: string): Promise<Person> {
  const person = await open(email);
  await person.page.goto(`/calls/${callId}/meeting`);
  await waitForScreen(person.page, '.meeting-grid');
  return person;
}

/** The alert that replaced the screen, once it shows `text`. */
async function alertWith(page: Page, text: string) {
  const alert = page.getByRole('alert').filter({ hasText: text });
  await alert.waitFor();
  return alert;
}

/** Waits until `locator` has the keyboard focus (the notice takes it from an effect, after it is drawn). */
async function focused(page: Page, locator: Locator) {
  await page.waitForFunction((element) => element === document.activeElement, await locator.elementHandle());
}

/**
 * The notice `key` checked as shown (en, then ja after switching from the header): fully
 * translated and accessible in both languages, with a screenshot of the English one.
 */
async function expectNoticeInBothLanguages(page: Page, key: keyof typeof en, screen: string) {
  await expectTranslated(page, 'en', screen);
  await expectAccessible(page, `${screen} (en)`);
  await screenshot(page, screen.replace(/ /g, '-'));
  await switchToJapanese(page);
  await alertWith(page, ja[key]);
  await expectTranslated(page, 'ja', screen);
  await expectAccessible(page, `${screen} (ja)`);
}

/** Switches the interface to Japanese from the header, as anyone can at any time. */
async function switchToJapanese(page: Page) {
  await page.locator('.language-switch button[data-language=ja]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'ja');
}

describe('meeting: a reviewer removed from the call while in the meeting room', () => {
  it('loses the room at once: a translated notice, no hand or vote controls, nothing of the meeting left on screen', async () => {
    const moderator = await enterMeeting('po@demo.example'); // Japanese profile
    const mod = moderator.page;
    const user = await newReviewer('en');
    const reviewer = await enterMeeting(user.email);
    const page = reviewer.page;

    // The reviewer is in the room with live controls: proposal 1 under discussion, a poll open, a hand to raise.
    await mod.locator(`li[data-proposal-id="${p[1]}"] .agenda-discuss`).click();
    await page.waitForFunction((id) => document.querySelector('.meeting-item')?.getAttribute('data-proposal-id') === id, p[1]);
    await mod.getByRole('button', { name: ja['meeting.poll.openPoll'] }).click();
    await page.locator('.poll-vote').getByRole('button', { name: '4', exact: true }).waitFor();
    await page.getByRole('button', { name: en['meeting.hands.raise'] }).waitFor();
    const attendee = mod.locator(`.attendance-list li[data-user-id="${user.id}"]`);
    await attendee.waitFor();
    const title = (await godo.models.Proposal.findById(p[1]).lean())!.title!;

    // The PD removes them from the call (the change that ends access to the whole meeting).
    const res = await pd.delete(`/api/calls/${callId}/members/${user.id}`);
    expect(res.status, res.text).toBe(204);

    // Told in an alert, in the page's language, that their access ended (not that a link expired);
    // the screen of the call is gone with the room.
    const alert = await alertWith(page, en['access.ended.call']);
    expect(await alert.textContent()).not.toContain(en['error.not_found']);
    await page.locator('section.meeting').waitFor({ state: 'detached' });
    expect(await page.locator('.meeting-grid, .poll-vote, .hands-list, .meeting-attendance').count()).toBe(0);
    for (const control of [en['meeting.hands.raise'], en['meeting.hands.lower']]) expect(await page.getByRole('button', { name: control }).count()).toBe(0);
    expect(await page.locator('.poll-vote button').count()).toBe(0);
    // Nothing of the meeting still shown as if current: not the item, its title, the agenda or the attendance.
    const text = (await page.locator('main').textContent()) ?? '';
    for (const stale of [ref(1), ref(2), title.en!, title.ja!, en['meeting.agenda.title'], en['meeting.poll.title'], '佐藤 花子']) {
      expect(text, `stale "${stale}"`).not.toContain(stale);
    }
    // No retry offered: it would get the same answer. The keyboard is on the notice, not back at the page's start.
    expect(await alert.getByRole('button').count()).toBe(0);
    await focused(page, alert);
    expect(await alert.evaluate((el) => el === document.activeElement)).toBe(true);
    // The moderator sees them go.
    await attendee.waitFor({ state: 'detached' });

    await expectNoticeInBothLanguages(page, 'access.ended.call', 'meeting access ended');

    for (const person of [moderator, reviewer]) expect(person.problems.errors).toEqual([]);
  });
});

describe('comments: a reviewer who declares a conflict with the proposal whose thread is open', () => {
  it('loses the thread and the proposal at once: a translated notice, no composer, no comments left on screen', async () => {
    const user = await newReviewer('en');
    const reviewer = await open(user.email);
    const page = reviewer.page;
    const before = await pd.post(`/api/proposals/${p[2]}/comments`, { body: 'Panel note: the budget annex is missing.' });
    expect(before.status, before.text).toBe(201);
    await page.goto(`/calls/${callId}/proposals/${p[2]}`);
    await waitForScreen(page, '.comments-panel > form.comment-composer');
    await page.locator(`[data-comment-id="${before.body.comment.id}"]`).waitFor();
    // Live before the change: a comment posted now arrives without a reload.
    const live = await pd.post(`/api/proposals/${p[2]}/comments`, { body: 'Panel note: the vessel time is costed.' });
    await page.locator(`[data-comment-id="${live.body.comment.id}"]`).waitFor();
    const title = (await godo.models.Proposal.findById(p[2]).lean())!.title!;

    // They declare the conflict (from elsewhere: another tab, through the API as the server tests do).
    const api = await signInApi(godo, user.email);
    const res = await api.post('/api/conflicts', { proposalId: p[2], type: 'personal' });
    expect(res.status, res.text).toBe(201);

    const alert = await alertWith(page, en['access.ended.proposal']);
    await page.locator('.comments-panel').waitFor({ state: 'detached' });
    expect(await page.locator('form.comment-composer, textarea').count()).toBe(0);
    // Neither the comments nor the proposal stay on screen: they are withheld from a conflicted person.
    const text = (await page.locator('main').textContent()) ?? '';
    for (const stale of ['budget annex', 'vessel time', ref(2), title.en!, title.ja!]) expect(text, `stale "${stale}"`).not.toContain(stale);
    expect(await alert.getByRole('button').count()).toBe(0);
    await focused(page, alert);
    expect(await alert.evaluate((el) => el === document.activeElement)).toBe(true);
    // The call itself stays open to them (only this proposal ended).
    await page.getByRole('link', { name: en['callNav.proposals'], exact: true }).waitFor();

    await expectNoticeInBothLanguages(page, 'access.ended.proposal', 'comments access ended');

    expect(reviewer.problems.errors).toEqual([]);
  });
});
