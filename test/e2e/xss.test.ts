import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachment } from '../../server/presenters/csv.js';
import type { RunningGodo } from '../../server/index.js';
import { reportDocName } from '../../shared/collab.js';
import { sectionFragment } from '../../shared/collab/reportDoc.js';
import { HttpClient } from '../helpers/httpClient.js';
import { connectClient, docSatisfies, synced } from '../server/collab/support/clients.js';
import { launchChromium, openPage, signIn } from './support/browser';
import { callIdOf, DEMO_PASSWORD, proposalIdOf, startSeededGodo } from './support/server';

/*
 * Issue #7: stored XSS. Script-bearing text is written wherever people type (a person's name, an
 * institution, proposal titles and summaries, a comment, the consensus report, an audit entry) and
 * every screen that shows it is opened as a member. Nothing may run (window.__xss stays undefined,
 * no dialog), the payload must read as text, and the CSP must forbid inline script anyway.
 * Screens that are still placeholders are visited too; the checks do not depend on their layout.
 */

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const JS_LINK = 'javascript:window.__xss=1';
const SVG = '"><svg onload="window.__xss=1">';
const ALL = `${IMG} ${SCRIPT} ${JS_LINK} ${SVG}`;
const MARK = 'window.__xss=1';

let godo: RunningGodo;
let browser: Browser;
let base: string;
let proposalPath: string;
let proposalId: string;

async function memberClient(email: string): Promise<HttpClient> {
  const client = new HttpClient(godo.url);
  const res = await client.post('/api/auth/login', { email, password: DEMO_PASSWORD });
  expect(res.status, res.text).toBe(200);
  return client;
}

/** Writes the payloads into the consensus report's Y.Doc as a collaborator would, and waits until the server holds them. */
async function writeReport(cookie: string): Promise<void> {
  const writer = connectClient(godo.url, reportDocName(proposalId), cookie);
  await synced(writer, 'writer sync');
  for (const language of ['en', 'ja'] as const) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`Report ${ALL}`)]);
    sectionFragment(writer.doc, 'summary', language).push([paragraph]);
  }
  // A second client sees the text only once the server has it.
  const reader = connectClient(godo.url, reportDocName(proposalId), cookie);
  await synced(reader, 'reader sync');
  await docSatisfies(reader.doc, () => sectionFragment(reader.doc, 'summary', 'en').toString().includes('javascript:'), 'report payload on the server');
  writer.destroy();
  reader.destroy();
}

beforeAll(async () => {
  [godo, browser] = await Promise.all([startSeededGodo(), launchChromium()]);
  const callId = await callIdOf(godo, 'bilateral');
  proposalId = await proposalIdOf(godo, 'SICORP-FR-2026-002');
  base = `/calls/${callId}`;
  proposalPath = `${base}/proposals/${proposalId}`;
  const { models } = godo;
  await models.User.updateOne({ email: 'r1@demo.example' }, { $set: { name: `Reviewer ${IMG}`, institution: `Institute ${SVG}` } });
  await models.User.updateOne({ email: 'po@demo.example' }, { $set: { institution: `PO institute ${SCRIPT}` } });
  const proposal = (await models.Proposal.findById(proposalId).lean())!;
  await models.Proposal.updateOne(
    { _id: proposalId },
    {
      $set: {
        title: { en: `Title ${SVG} ${IMG}`, ja: `課題 ${SCRIPT} ${SVG}` },
        abstract: { en: `Summary ${ALL}`, ja: `概要 ${ALL}` },
        pis: proposal.pis.map((pi, i) => (i === 0 ? { ...pi, name: `PI ${IMG}`, institution: `University ${SCRIPT} ${JS_LINK}` } : pi)),
        // The ref ends up in the report export's file name.
        ref: `../..\\evil\u0001\r\nX-Injected: 1 ${SVG}`,
      },
    },
  );
  const po = await models.User.findOne({ email: 'po@demo.example' }).lean();
  await models.Audit.create({ callId, proposalId, actorId: po!._id, action: 'ranking.moved', at: new Date(), before: { position: 3 }, after: { position: 2, reason: `Reason ${ALL}` } });
  const client = await memberClient('po@demo.example');
  const comment = await client.post(`/api/proposals/${proposalId}/comments`, { body: `Comment ${ALL}` });
  expect(comment.status, comment.text).toBe(201);
  await writeReport(client.cookieHeader());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await godo?.close();
});

/** Opens a screen and waits until it has drawn and its requests are done (any image's error event included). */
async function open(page: Page, path: string) {
  const response = await page.goto(path);
  await page.locator('main').waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]') && (document.querySelector('main')?.textContent ?? '').trim() !== '');
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  return response!;
}

/** Elements that would run script if the payload had been parsed as markup. */
function liveMarkup(page: Page) {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) if (/^on/i.test(attribute)) found.push(`${element.tagName}[${attribute}]`);
    }
    for (const link of document.querySelectorAll('a[href], [src], [action]')) {
      const target = link.getAttribute('href') ?? link.getAttribute('src') ?? link.getAttribute('action') ?? '';
      if (/^\s*javascript:/i.test(target)) found.push(`${link.tagName} -> ${target}`);
    }
    for (const script of document.querySelectorAll('script')) if (script.textContent?.includes('__xss')) found.push('inline script');
    return found;
  });
}

describe('stored XSS payloads are shown as text on every screen', () => {
  it('runs nothing, opens no dialog and shows the payload text, on every screen a member opens', { timeout: 240_000 }, async () => {
    const { page, context, problems } = await openPage(browser, godo.url, { locale: 'en-GB' });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, 'po@demo.example');
    const screens: { path: string; showsPayload: boolean }[] = [
      { path: '/', showsPayload: false },
      { path: '/profile', showsPayload: false },
      { path: base, showsPayload: true },
      { path: proposalPath, showsPayload: true },
      { path: `${proposalPath}/reviews`, showsPayload: true },
      { path: `${proposalPath}/reconciliation`, showsPayload: false },
      { path: `${proposalPath}/decision`, showsPayload: false },
      { path: `${proposalPath}/report`, showsPayload: false },
      { path: `${base}/ranking`, showsPayload: true },
      { path: `${base}/audit`, showsPayload: true },
      { path: `${base}/meeting`, showsPayload: false },
      { path: `${base}/people`, showsPayload: true },
      { path: `${base}/assignments`, showsPayload: true },
      { path: `${base}/conflicts`, showsPayload: false },
    ];
    const shown: string[] = [];
    for (const screen of screens) {
      const response = await open(page, screen.path).catch((error: Error) => {
        throw new Error(`${screen.path} did not draw: ${error.message.split('\n')[0]} (page errors: ${problems.errors.join(' | ')})`);
      });
      // Where the payload is expected, the checks below mean something only once it is drawn: the network going
      // quiet is awaited best-effort in open(), so wait for the text itself.
      if (screen.showsPayload) await page.waitForFunction((mark) => document.body.innerText.includes(mark), MARK);
      const csp = response.headers()['content-security-policy'] ?? '';
      const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? /(?:^|;)\s*default-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc, `CSP of ${screen.path}`).toContain("'self'");
      expect(scriptSrc, `CSP of ${screen.path}`).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss), screen.path).toBeUndefined();
      expect(await liveMarkup(page), screen.path).toEqual([]);
      const text = await page.evaluate(() => document.body.innerText);
      if (text.includes(MARK)) shown.push(screen.path);
      if (screen.showsPayload) expect(text, `payload text on ${screen.path}`).toContain(MARK);
    }
    expect(dialogs).toEqual([]);
    // The report editor and the comment thread show their payloads as text when they render them.
    console.info(`XSS payload shown as text on ${shown.length} of ${screens.length} screens: ${shown.join(', ')}`);
    await context.close();
  });

  it('has a CSP that stops an inline script even if markup got into the page', async () => {
    const { page, context, problems } = await openPage(browser, godo.url);
    await signIn(page, 'po@demo.example');
    // The refusal reaches problems.errors as a console event, delivered on its own: wait for it.
    const refused = page.waitForEvent('console', (message) => /Content Security Policy/.test(message.text()));
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__xss = 1';
      document.body.append(script);
    });
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    await refused;
    expect(problems.errors.join('\n')).toMatch(/Content Security Policy/);
    await context.close();
  });
});

describe('export file names', () => {
  it("keeps the report export's file name free of path separators, quotes and control characters", async () => {
    const client = await memberClient('po@demo.example');
    const res = await client.get(`/api/proposals/${proposalId}/report/export?format=markdown`);
    expect(res.status).toBe(200);
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]*)"/.exec(disposition)?.[1] ?? '';
    expect(filename).toMatch(/\.md$/);
    expect(filename).not.toMatch(/[/\\\u0000-\u001f"]/);
    expect(filename.startsWith('.')).toBe(false);
    expect(res.headers.get('x-injected')).toBeNull();
  });

  it('sanitises CSV/JSON download names against ../, backslashes and control characters', () => {
    for (const name of ['../../etc/passwd', '..\\..\\windows\\system32', 'a\u0000b\r\nSet-Cookie: x=1', '"; filename=evil.exe', '.hidden']) {
      const header = attachment(name);
      const ascii = /filename="([^"]*)"/.exec(header)![1];
      expect(ascii, name).not.toMatch(/[/\\\u0000-\u001f"]/);
      expect(ascii.startsWith('.'), name).toBe(false);
      expect(header, name).not.toMatch(/[\r\n\u0000]/);
      expect(header.split('filename*=')[1], name).not.toMatch(/[/\\"]/);
    }
  });
});
