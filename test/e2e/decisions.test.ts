import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/components/i18n/en';
import { ja } from '../../client/components/i18n/ja';
import type { RunningGodo } from '../../server/index.js';
import { expectAccessible, launchChromium, openPage, screenshot, signIn, waitForScreen } from './support/browser';
import { callIdOf, proposalIdOf, startSeededGodo } from './support/server';

let godo: RunningGodo;
let browser: Browser;
let callId: string;
let proposalId: string;

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  callId = await callIdOf(godo, 'bilateral');
  proposalId = await proposalIdOf(godo, 'SICORP-FR-2026-005');
});

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

describe('consensus, decision and sign-off', () => {
  it('records a consensus score with its rationale and a minority view of one side', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'officer@demo.example');
    await page.goto(`/calls/${callId}/proposals/${proposalId}/reconciliation`);
    await waitForScreen(page, '#consensus-title');
    const excellence = page.locator('fieldset.consensus-criterion').first();
    await excellence.locator('select').selectOption('4.5');
    await excellence.locator('textarea[lang=en]').first().fill('Both sides rate the team highly.');
    await excellence.locator('summary').click();
    await excellence.locator('fieldset.bilingual-input').filter({ hasText: 'Minority view of ANR' }).locator('textarea[lang=en]').fill('ANR reviewers would give 5.');
    await page.getByRole('button', { name: 'Save consensus' }).click();
    await page.getByText('Consensus saved.', { exact: false }).waitFor();
    const stored = await godo.models.Consensus.findOne({ proposalId }).lean();
    expect(JSON.stringify(stored)).toContain('ANR reviewers would give 5.');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('keeps an edit made while the other side saved, refuses to overwrite their save, and offers their version', async () => {
    const officer = await openPage(browser, godo.url);
    const po = await openPage(browser, godo.url);
    await Promise.all([signIn(officer.page, 'officer@demo.example'), signIn(po.page, 'po@demo.example')]);
    const reconciliation = `/calls/${callId}/proposals/${proposalId}/reconciliation`;
    await Promise.all([officer.page.goto(reconciliation), po.page.goto(reconciliation)]);
    await Promise.all([waitForScreen(officer.page, '#consensus-title'), waitForScreen(po.page, '#consensus-title')]);
    const form = (page: Page) => page.locator('form.consensus-form');
    const summary = form(officer.page).locator('fieldset.bilingual-input').filter({ hasText: en['consensus.summary'] }).locator('textarea[lang=en]');
    const rationale = (page: Page) => form(page).locator('fieldset.consensus-criterion').first().locator('textarea[lang=en]').first();

    // The ANR officer starts a summary; the JST PO (working in Japanese) saves a rationale meanwhile.
    await summary.fill('Officer: fund, pending the data plan.');
    await rationale(po.page).fill('PO: both teams are strong; the data plan is thin.');
    await form(po.page).locator('button[type=submit]').click();
    await form(po.page).getByText(ja['consensus.saved']).waitFor();

    // The officer's save is refused (409) rather than overwriting the PO's; their summary stays on screen.
    const refused = officer.page.waitForResponse((res) => res.url().endsWith(`/api/proposals/${proposalId}/consensus`) && res.request().method() === 'PUT');
    await form(officer.page).locator('button[type=submit]').click();
    expect((await refused).status()).toBe(409);
    const warning = form(officer.page).locator('.notice-warning').filter({ hasText: en['common.changedElsewhere'] });
    await warning.waitFor();
    await expect(summary.inputValue()).resolves.toBe('Officer: fund, pending the data plan.');
    const stored = JSON.stringify(await godo.models.Consensus.findOne({ proposalId }).lean());
    expect(stored).toContain('PO: both teams are strong; the data plan is thin.');
    expect(stored).not.toContain('Officer: fund');
    await expectAccessible(officer.page, 'consensus saved elsewhere');

    // Their version on request; written again on top of it, the summary is saved with the PO's rationale kept.
    await warning.getByRole('button', { name: en['common.loadSaved'] }).click();
    await warning.waitFor({ state: 'detached' });
    await expect(rationale(officer.page).inputValue()).resolves.toBe('PO: both teams are strong; the data plan is thin.');
    await summary.fill('Officer: fund, pending the data plan.');
    await form(officer.page).locator('button[type=submit]').click();
    await form(officer.page).getByText(en['consensus.saved']).waitFor();
    const both = JSON.stringify(await godo.models.Consensus.findOne({ proposalId }).lean());
    expect(both).toContain('PO: both teams are strong; the data plan is thin.');
    expect(both).toContain('Officer: fund, pending the data plan.');
    expect(officer.problems.errors).toEqual([]);
    expect(po.problems.errors).toEqual([]);
    await officer.context.close();
    await po.context.close();
  });

  it('sets the decision and collects a sign-off from every participating agency', async () => {
    await godo.models.Call.updateOne({ _id: callId }, { $set: { phase: 'finalization' } });
    const po = await openPage(browser, godo.url);
    await signIn(po.page, 'po@demo.example');
    await po.page.goto(`/calls/${callId}/proposals/${proposalId}/decision`);
    await waitForScreen(po.page, '#signoff-title');
    await po.page.locator('section[aria-labelledby="decision-title"] select').first().selectOption('fund');
    await po.page.locator('section[aria-labelledby="decision-title"] form button[type=submit]').click();
    await po.page.locator('tr.signoff-missing').first().waitFor();
    await po.page.locator('section[aria-labelledby="signoff-title"] .actions button.primary').click();
    await po.page.locator('tr.signoff-valid').filter({ hasText: 'JST' }).waitFor();

    const officer = await openPage(browser, godo.url);
    await signIn(officer.page, 'officer@demo.example');
    await officer.page.goto(`/calls/${callId}/proposals/${proposalId}/decision`);
    await waitForScreen(officer.page, '#signoff-title');
    await officer.page.getByRole('button', { name: 'Sign off for ANR' }).click();
    await officer.page.getByText('final: every agency signed off').waitFor();
    await expectAccessible(officer.page, 'decision');
    await screenshot(officer.page, 'decision-final');

    // The ranking overview shows both agencies' sign-offs.
    await officer.page.goto(`/calls/${callId}/ranking`);
    await waitForScreen(officer.page, '#decisions-title');
    const row = officer.page.locator('#decisions-title ~ .table-scroll tr').filter({ hasText: 'SICORP-FR-2026-005' });
    await expect(row.textContent()).resolves.toMatch(/Fund.*Signed off.*Signed off/);
    expect(po.problems.errors).toEqual([]);
    expect(officer.problems.errors).toEqual([]);
    await po.context.close();
    await officer.context.close();
  });
});
