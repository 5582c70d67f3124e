import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn, waitForScreen } from './support/browser';
import { expectTranslated } from './support/i18nChecks';
import { signIn as signInApi } from '../helpers/fixtures.js';
import { callIdOf, DEMO_PASSWORD, proposalIdOf, startSeededGodo } from './support/server';

// Proposal 1 of the bilateral call: r1 (JST, profile in Japanese) and r4 (ANR, English) are both
// assigned, neither is conflicted, and the call is in its panel phase, so both may edit its report.
const REF = 'SICORP-FR-2026-001';
const JST_REVIEWER = { email: 'r1@demo.example', name: '鈴木 健' };
const ANR_REVIEWER = { email: 'r4@demo.example', name: 'Julien Bernard' };

let godo: RunningGodo;
let browser: Browser;
let reportPath: string;

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  const callId = await callIdOf(godo, 'bilateral');
  const proposalId = await proposalIdOf(godo, REF);
  reportPath = `/calls/${callId}/proposals/${proposalId}/report`;
});

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

const editor = (page: Page, section: string, language: 'en' | 'ja') => page.locator(`[data-section="${section}"] [data-language="${language}"] .ProseMirror`);
/** The editor once ProseMirror has made it read-only (set from an effect, after the render that decided it). */
const readOnly = (page: Page, section: string, language: 'en' | 'ja') => page.locator(`[data-section="${section}"] [data-language="${language}"] .ProseMirror[contenteditable="false"]`);
const staleNote = (page: Page, section: string, language: 'en' | 'ja') => page.locator(`[data-section="${section}"] [data-language="${language}"][data-stale="true"] .stale-note`);

async function openReport(email: string) {
  const opened = await openPage(browser, godo.url);
  await signIn(opened.page, email);
  await opened.page.goto(reportPath);
  await waitForScreen(opened.page, '#report-title');
  await opened.page.locator('.report-connection[data-state="connected"]').waitFor();
  await editor(opened.page, 'excellence', 'en').waitFor();
  return opened;
}

/** Waits until an editor's text contains (or, with `absent`, no longer contains) `text`. */
async function editorHas(page: Page, section: string, language: 'en' | 'ja', text: string, absent = false): Promise<void> {
  await page.waitForFunction(
    ({ selector, text, absent }) => (document.querySelector(selector)?.textContent?.includes(text) ?? false) !== absent,
    { selector: `[data-section="${section}"] [data-language="${language}"] .ProseMirror`, text, absent },
  );
}

describe('the consensus report editor', () => {
  it('lets two reviewers of different agencies co-write, see each other, version, restore and comment', async () => {
    const a = await openReport(JST_REVIEWER.email);
    const b = await openReport(ANR_REVIEWER.email);
    // A's profile language is Japanese, B's English.
    expect(await a.page.evaluate(() => document.documentElement.lang)).toBe('ja');
    expect(await b.page.evaluate(() => document.documentElement.lang)).toBe('en');

    // Who is here: both names and agencies, on both screens.
    for (const { page } of [a, b]) {
      await page.locator('.report-presence-list li', { hasText: JST_REVIEWER.name }).filter({ hasText: 'JST' }).waitFor();
      await page.locator('.report-presence-list li', { hasText: ANR_REVIEWER.name }).filter({ hasText: 'ANR' }).waitFor();
    }

    // A types in English; B sees the text and A's caret labelled with A's name.
    await editor(a.page, 'excellence', 'en').click();
    await a.page.keyboard.type('Both teams are strong and complementary.');
    await editorHas(b.page, 'excellence', 'en', 'Both teams are strong and complementary.');
    await b.page.locator('[data-section="excellence"] [data-language="en"] .collaboration-carets__label', { hasText: JST_REVIEWER.name }).waitFor();

    // Editing English marks the Japanese stale, for both, with the time and its zone.
    for (const { page } of [a, b]) await staleNote(page, 'excellence', 'ja').waitFor();
    await expect(staleNote(b.page, 'excellence', 'ja').textContent()).resolves.toMatch(/^⚠ Japanese may be out of date — English edited .*GMT/);
    expect(await staleNote(a.page, 'excellence', 'en').count()).toBe(0);

    // B writes the Japanese: now it is current and A sees B's caret, labelled with B's name.
    await editor(b.page, 'excellence', 'ja').click();
    await b.page.keyboard.insertText('両チームとも優れており、相補的である。');
    await editorHas(a.page, 'excellence', 'ja', '両チームとも優れており');
    await a.page.locator('[data-section="excellence"] [data-language="ja"] .collaboration-carets__label', { hasText: ANR_REVIEWER.name }).waitFor();
    await staleNote(a.page, 'excellence', 'en').waitFor();
    await a.page.waitForFunction(() => !document.querySelector('[data-section="excellence"] [data-language="ja"][data-stale="true"]'));

    // A minority view, typed by A, reaches B's textarea.
    await a.page.locator('[data-section="excellence"] .minority-views summary').click();
    await b.page.locator('[data-section="excellence"] .minority-views summary').click();
    await a.page.locator('#minority-excellence-JST').fill('JST reviewers would score 4.5.');
    await b.page.waitForFunction(() => (document.querySelector('#minority-excellence-JST') as HTMLTextAreaElement | null)?.value === 'JST reviewers would score 4.5.');

    // B saves a named version, changes the text, and restores the version: the text returns for both.
    await b.page.getByLabel('Name of the version').fill('Draft agreed by both sides');
    await b.page.getByRole('button', { name: 'Save version' }).click();
    await b.page.locator('li[data-version-label="Draft agreed by both sides"]').filter({ hasText: `saved by ${ANR_REVIEWER.name}` }).waitFor();
    await editor(b.page, 'excellence', 'en').click();
    await b.page.keyboard.press('End');
    await b.page.keyboard.type(' A late objection.');
    await editorHas(a.page, 'excellence', 'en', 'A late objection.');
    await b.page.getByRole('button', { name: 'Compare with now: “Draft agreed by both sides”' }).click();
    await b.page.locator('.report-diff ins', { hasText: 'objection' }).waitFor();
    await b.page.getByRole('button', { name: 'Restore: “Draft agreed by both sides”' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Restore this version?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Restore version' }).click();
    await b.page.getByText('Restored “Draft agreed by both sides”.', { exact: false }).waitFor();
    for (const { page } of [a, b]) {
      await editorHas(page, 'excellence', 'en', 'A late objection.', true);
      await editorHas(page, 'excellence', 'en', 'Both teams are strong and complementary.');
    }
    // The text before the restore was kept as a version of its own, which the server stores as what
    // it is (a backup, and of which version) and each screen names in its reader's language.
    const backupEn = 'Before restoring “Draft agreed by both sides”';
    const backupJa = '「Draft agreed by both sides」を復元する前';
    await b.page.locator(`li[data-version-kind="beforeRestore"][data-version-label="${backupEn}"]`).getByText(backupEn, { exact: true }).waitFor();
    await b.page.getByRole('button', { name: `Compare with now: “${backupEn}”` }).click();
    await b.page.getByRole('heading', { name: `Changes since “${backupEn}”` }).waitFor();
    await b.page.getByRole('button', { name: 'Close comparison' }).click();
    await b.page.getByRole('button', { name: `Restore: “${backupEn}”` }).click();
    await b.page.getByRole('dialog', { name: 'Restore this version?' }).getByText(`The report will become “${backupEn}” again for everyone.`, { exact: false }).waitFor();
    await b.page.getByRole('dialog', { name: 'Restore this version?' }).getByRole('button', { name: 'Cancel' }).click();

    // B comments on a selection; A sees the comment in its rail and jumps to the text.
    await editor(b.page, 'excellence', 'en').click();
    await b.page.keyboard.press('ControlOrMeta+a');
    await b.page.getByLabel('Comment', { exact: true }).fill('Name the complementary skills.');
    await b.page.getByRole('button', { name: 'Comment on selection' }).click();
    const bComment = b.page.locator('.report-comment-list li', { hasText: 'Name the complementary skills.' });
    await bComment.locator('.report-comment-quote', { hasText: 'Both teams are strong and complementary.' }).waitFor();
    const aComment = a.page.locator('.report-comment-list li', { hasText: 'Name the complementary skills.' });
    await aComment.waitFor();
    await aComment.locator('button').click();
    await a.page.waitForFunction(() => window.getSelection()?.toString() === 'Both teams are strong and complementary.');

    // A, reading in Japanese, opens the report again: the backup is named in Japanese everywhere.
    // A restores it; the text before that is again a backup, of that backup.
    await a.page.reload();
    await a.page.locator('.report-connection[data-state="connected"]').waitFor();
    await a.page.locator(`li[data-version-kind="beforeRestore"][data-version-label="${backupJa}"]`).getByText(backupJa, { exact: true }).waitFor();
    await a.page.getByRole('button', { name: `現在と比較：「${backupJa}」` }).click();
    await a.page.getByRole('heading', { name: `「${backupJa}」以降の変更` }).waitFor();
    await a.page.locator('.report-diff del', { hasText: 'objection' }).waitFor();
    await a.page.getByRole('button', { name: `復元：「${backupJa}」` }).click();
    const jaDialog = a.page.getByRole('dialog', { name: 'この版を復元しますか？' });
    await jaDialog.getByText(`報告書は全員に対して「${backupJa}」の内容に戻ります。`, { exact: false }).waitFor();
    await jaDialog.getByRole('button', { name: '版を復元' }).click();
    await a.page.getByText(`「${backupJa}」を復元しました。`, { exact: false }).waitFor();
    await a.page.locator(`li[data-version-kind="beforeRestore"][data-version-label="「${backupJa}」を復元する前"]`).waitFor();
    for (const { page } of [a, b]) await editorHas(page, 'excellence', 'en', 'A late objection.');

    await expectTranslated(a.page, 'ja', 'report');
    await expectTranslated(b.page, 'en', 'report');
    await screenshot(b.page, 'proposal-report');
    await expectAccessible(b.page, 'report (en)');
    await expectAccessible(a.page, 'report (ja)');
    expect(a.problems.errors).toEqual([]);
    expect(b.problems.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('keeps edits typed while the server is away, sends them when it is back (45xx), and stops on 44xx', async () => {
    // B's collaboration socket goes through a route the test controls: while `down`, every
    // connection is closed at once with 4503 (server restarting), as a restarting server does.
    let down = false;
    let live: WebSocketRoute | null = null;
    const b = await openPage(browser, godo.url);
    await b.context.routeWebSocket(/\/collab\//, (ws) => {
      if (down) {
        void ws.close({ code: 4503, reason: 'shutting down' });
        return;
      }
      live = ws;
      ws.connectToServer();
    });
    await signIn(b.page, ANR_REVIEWER.email);
    await b.page.goto(reportPath);
    await b.page.locator('.report-connection[data-state="connected"]').waitFor();
    const a = await openReport(JST_REVIEWER.email);

    down = true;
    await live!.close({ code: 4503, reason: 'shutting down' });
    await b.page.locator('.report-connection[data-state="reconnecting"]').waitFor();
    await editor(b.page, 'impact', 'en').click();
    await b.page.keyboard.type('Typed while the server was away.');
    const status = b.page.locator('.report-connection[data-pending="true"]');
    await expect(status.textContent()).resolves.toContain('Reconnecting — your edits will be sent');
    // Nothing reached A meanwhile.
    expect(await editor(a.page, 'impact', 'en').textContent()).not.toContain('Typed while');

    down = false;
    await b.page.locator('.report-connection[data-state="connected"][data-pending="false"]', { hasText: 'Saved' }).waitFor();
    await editorHas(a.page, 'impact', 'en', 'Typed while the server was away.');

    // 44xx: reconnecting cannot help. The page stops, says why, and stops accepting edits.
    await live!.close({ code: 4401, reason: 'sign in first' });
    await b.page.getByRole('alert').filter({ hasText: 'Your session has ended.' }).waitFor();
    await b.page.locator('.report-connection[data-state="closed"]').waitFor();
    // The editor is made read-only by an effect after the render that shows "closed".
    await readOnly(b.page, 'impact', 'en').waitFor();
    await expect(editor(b.page, 'impact', 'en').getAttribute('contenteditable')).resolves.toBe('false');
    expect(a.problems.errors).toEqual([]);
    expect(b.problems.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('shows the report read-only, with the reason, to an observer', async () => {
    const observer = await openReport('observer@demo.example');
    await observer.page.getByText('Observers can read the report but not edit it.').waitFor();
    await editorHas(observer.page, 'excellence', 'en', 'Both teams are strong and complementary.');
    await expect(editor(observer.page, 'excellence', 'en').getAttribute('contenteditable')).resolves.toBe('false');
    expect(await observer.page.getByRole('button', { name: 'Save version' }).count()).toBe(0);
    await expectAccessible(observer.page, 'report (observer)');
    expect(observer.problems.errors).toEqual([]);
    await observer.context.close();
  });

  it('turns read-only with the reason as soon as the PO reopens review, and editable again when the panel resumes', async () => {
    // r4 (ANR) is not proposal 1's rapporteur: during individual review only the rapporteur drafts.
    const reviewer = await openReport(ANR_REVIEWER.email);
    await expect(editor(reviewer.page, 'excellence', 'en').getAttribute('contenteditable')).resolves.toBe('true');
    const po = await signInApi(godo, 'po@demo.example', DEMO_PASSWORD);
    const callId = await callIdOf(godo, 'bilateral');
    const phase = async (to: string) => {
      const { call } = (await po.get(`/api/calls/${callId}`)).body as { call: { version: number } };
      const res = await po.post(`/api/calls/${callId}/phase`, { to, reason: 'e2e', version: call.version });
      expect(res.status).toBe(200);
    };
    await phase('review');
    try {
      // Well before the page's own 30 s access refresh: the collaboration server closed the
      // connection with `accessChanged`, the page asked again what this person may do.
      await reviewer.page.getByText('The report can be edited from the panel phase on', { exact: false }).waitFor({ timeout: 10_000 });
      // The editor is made read-only by an effect after the render that shows the reason.
      await readOnly(reviewer.page, 'excellence', 'en').waitFor();
      await expect(editor(reviewer.page, 'excellence', 'en').getAttribute('contenteditable')).resolves.toBe('false');
    } finally {
      await phase('panel');
    }
    await expect.poll(() => editor(reviewer.page, 'excellence', 'en').getAttribute('contenteditable'), { timeout: 10_000 }).toBe('true');
    expect(reviewer.problems.errors).toEqual([]);
    await reviewer.context.close();
  });
});
