import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/components/i18n/en';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn, waitForScreen } from './support/browser';
import { expectTranslated } from './support/i18nChecks';
import { callIdOf, startSeededGodo } from './support/server';

let godo: RunningGodo;
let browser: Browser;
let callId: string;
let link: string;

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  callId = await callIdOf(godo, 'bilateral');
});

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

describe('setting up a call', () => {
  it('invites a reviewer and shows the invitation link (there is no mail server)', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'admin@demo.example');
    await page.goto(`/calls/${callId}/people`);
    await waitForScreen(page, '#invite-title');
    await page.getByLabel('E-mail', { exact: true }).fill('new.reviewer@example.org');
    await page.getByLabel('Role').selectOption('reviewer');
    await page.locator('select[name=agency]').selectOption('ANR');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    link = await page.getByTestId('invitation-link').inputValue();
    expect(link).toMatch(new RegExp(`^${godo.url}/invite/[A-Za-z0-9_-]{32,}$`));
    await page.locator('caption').filter({ hasText: 'Open invitations (1)' }).waitFor();
    await expectAccessible(page, 'people with a new invitation');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('lets the invitee create an account from the link and lands them in the call', async () => {
    const { page, context, problems } = await openPage(browser, godo.url, { locale: 'ja-JP' });
    await page.goto(link);
    await waitForScreen(page, '#invite-heading');
    await expectTranslated(page, 'ja', 'invitation');
    await expectAccessible(page, 'invitation');
    await screenshot(page, 'invitation-ja');
    await page.getByLabel('氏名').fill('Camille Durand');
    // Same institution as the French PI of proposal 1: Godo proposes a conflict automatically.
    await page.getByLabel('所属機関').fill('Sorbonne Université');
    await page.getByLabel(/新しいパスワード/).fill('a-long-new-password');
    await page.getByLabel('タイムゾーン').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'アカウントを作成して承諾する' }).click();
    await page.waitForURL(new RegExp(`/calls/${callId}$`));
    await waitForScreen(page, 'table.heatmap');
    await page.goto('/');
    await waitForScreen(page, '.call-card');
    await expect(page.locator('.call-card').first().textContent()).resolves.toContain('評価者');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('changes my time zone in the profile and shows deadlines in it', async () => {
    const { page, context } = await openPage(browser, godo.url);
    await signIn(page, 'r4@demo.example');
    await page.goto('/profile');
    await waitForScreen(page, '#password-title');
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor();
    await page.getByRole('link', { name: 'My calls' }).click();
    await waitForScreen(page, '.call-card');
    await expect(page.locator('.zone-viewer').first().textContent()).resolves.toMatch(/Your time\s*America\/New_York.*GMT-[45]/);
    await context.close();
  });

  it('saves call settings and keeps criteria locked once reviews exist', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'admin@demo.example');
    await page.goto(`/calls/${callId}/settings`);
    await waitForScreen(page, '#settings-title');
    await page.getByLabel('Overall threshold for the weighted total (empty for none)').fill('9.5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect((await godo.models.Call.findById(callId).lean())!.overallThreshold).toBe(9.5);

    await page.getByLabel('Weight').first().fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Reviews exist: criteria can be renamed but not changed.');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('saves settings over a newer version that left them alone, and refuses over one that changed them', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'admin@demo.example');
    await page.goto(`/calls/${callId}/settings`);
    await waitForScreen(page, '#settings-title');
    const threshold = page.getByLabel('Overall threshold for the weighted total (empty for none)');
    const save = page.getByRole('button', { name: en['settings.save'] });

    // Someone else's save meanwhile that changed nothing shown here (a version further, same values).
    await threshold.fill('8.5');
    await godo.models.Call.updateOne({ _id: callId }, { $inc: { version: 1 } });
    await save.click();
    // Refused (409), then taken as the new base: nothing of theirs would be overwritten, so saving again goes through.
    await page.getByText(en['common.saveAgain']).waitFor();
    await expect(threshold.inputValue()).resolves.toBe('8.5');
    await save.click();
    await page.getByText(en['settings.saved']).waitFor();
    expect((await godo.models.Call.findById(callId).lean())!.overallThreshold).toBe(8.5);

    // One that changed the same setting: refused, the edit kept, theirs offered.
    await threshold.fill('7.5');
    await godo.models.Call.updateOne({ _id: callId }, { $set: { overallThreshold: 6 }, $inc: { version: 1 } });
    await save.click();
    const warning = page.locator('.notice-warning').filter({ hasText: en['common.changedElsewhere'] });
    await warning.waitFor();
    await expect(threshold.inputValue()).resolves.toBe('7.5');
    expect((await godo.models.Call.findById(callId).lean())!.overallThreshold).toBe(6);
    await warning.getByRole('button', { name: en['common.loadSaved'] }).click();
    await expect(threshold.inputValue()).resolves.toBe('6');
    await warning.waitFor({ state: 'detached' });
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('shows the automatically proposed conflict for staff to confirm or dismiss', async () => {
    const { page, context } = await openPage(browser, godo.url);
    await signIn(page, 'admin@demo.example');
    await page.goto(`/calls/${callId}/conflicts`);
    await waitForScreen(page, 'table.plain');
    // Sorbonne Université hosts the French PI of two proposals: two proposed conflicts.
    const rows = page.locator('tr.conflict-proposed').filter({ hasText: 'Camille Durand' });
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.first().textContent()).resolves.toContain('Proposed automatically');
    await rows.first().getByRole('button', { name: 'Confirm' }).click();
    await page.locator('tr.conflict-confirmed').filter({ hasText: 'Camille Durand' }).waitFor();
    await rows.first().getByRole('button', { name: 'Dismiss' }).click();
    await page.locator('tr.conflict-dismissed').filter({ hasText: 'Camille Durand' }).waitFor();
    await expect(rows.count()).resolves.toBe(0);
    await expectAccessible(page, 'conflicts');
    await context.close();
  });

  it('creates a call from a programme template, then registers a proposal, showing the server\'s problems per field', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'admin@demo.example');
    await page.getByRole('link', { name: 'Create a call' }).click();
    await waitForScreen(page, '#call-new-title');
    await page.locator('select#call-programme').selectOption('bilateral');
    await page.getByLabel('Call title in English').fill('Quantum materials (JST–DFG)');
    await page.getByLabel('Call title in Japanese').fill('量子材料（JST–DFG）');
    // The counterpart agency is left without a code first: the server names the field.
    await page.getByRole('button', { name: 'Create the call' }).click();
    await page.locator('[data-field="agencies.1.code"]').waitFor();
    await expectAccessible(page, 'create call with a field error');
    const counterpart = page.locator('.editor-row').nth(1);
    await counterpart.getByLabel('Code', { exact: true }).fill('DFG');
    await counterpart.getByLabel('Name in English').fill('German Research Foundation');
    await counterpart.getByLabel('Name in Japanese').fill('ドイツ研究振興協会');
    await counterpart.getByLabel(/Budget envelope/).fill('2000000');
    await page.locator('.editor-row').first().getByLabel(/Budget envelope/).fill('300000000');
    await page.getByRole('button', { name: 'Create the call' }).click();
    await page.waitForURL(/\/calls\/[0-9a-f]{24}\/settings$/);
    const newCallId = /\/calls\/([0-9a-f]{24})\//.exec(page.url())![1];
    const stored = (await godo.models.Call.findById(newCallId).lean())!;
    expect(stored.programme).toBe('bilateral');
    expect(stored.agencies.map((agency) => agency.code)).toEqual(['JST', 'DFG']);
    expect(stored.criteria.map((criterion) => criterion.key)).toEqual(['excellence', 'impact', 'implementation']);

    await page.goto(`/calls/${newCallId}`);
    await page.getByRole('link', { name: 'Register a proposal' }).click();
    await waitForScreen(page, '#proposal-new-title');
    await page.getByLabel('Title in English').fill('Topological qubits');
    await page.getByLabel('Title in Japanese').fill('トポロジカル量子ビット');
    await page.getByLabel('Summary in English').fill('Braiding anyons in hybrid nanowires.');
    const [jp, de] = [page.locator('fieldset.editor-row').nth(0), page.locator('fieldset.editor-row').nth(1)];
    await jp.getByLabel('Name', { exact: true }).fill('Aiko Tanaka');
    await jp.getByLabel('Institution').fill('RIKEN');
    await jp.getByLabel('E-mail').fill('aiko@riken.jp');
    await de.getByLabel('Name', { exact: true }).fill('Jonas Weber');
    await de.getByLabel('Institution').fill('TU München');
    await de.getByLabel('E-mail').fill('jonas.weber@tum.de');
    // Year 1 of JST asks for more than the programme's ¥100 million a year: refused, per field.
    for (const [agency, amount] of [['JST', '200000000'], ['DFG', '100000']] as const) {
      const budget = page.locator('fieldset.editor-row').filter({ has: page.locator('legend', { hasText: agency }) }).last();
      for (let year = 1; year <= 3; year++) await budget.getByLabel(`Year ${year}`).fill(year === 1 ? amount : amount.replace(/^2/, '1'));
    }
    await page.getByRole('button', { name: 'Register the proposal' }).click();
    await page.locator('[data-field^="budget.JST"]').first().waitFor();
    const jstBudget = page.locator('fieldset.editor-row').filter({ has: page.locator('legend', { hasText: 'JST' }) }).last();
    await jstBudget.getByLabel('Year 1').fill('10000000');
    await page.getByRole('button', { name: 'Register the proposal' }).click();
    await page.waitForURL(/\/proposals\/[0-9a-f]{24}$/);
    const proposal = (await godo.models.Proposal.findOne({ callId: newCallId }).lean())!;
    expect(proposal.title).toMatchObject({ en: 'Topological qubits', ja: 'トポロジカル量子ビット' });
    expect(proposal.pis.map((pi) => `${pi.agency}:${pi.institution}`)).toEqual(['JST:RIKEN', 'DFG:TU München']);
    expect((proposal.budget as Record<string, number[]>).JST).toEqual([10_000_000, 100_000_000, 100_000_000]);
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
