import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
