import express, { type ErrorRequestHandler } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { minorityView, QUOTE_MARK, sectionFragment } from '../../../shared/collab/reportDoc.js';
import { reportRouter } from '../../../server/collab/report/reportRouter.js';
import { AppError } from '../../../server/errors.js';
import { loadSession } from '../../../server/http/middleware/session.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { connectClient, docSatisfies, synced, type TestClient } from './support/clients.js';
import { createReportFixture, type ReportFixture } from './support/godoHarness.js';

// Named versions, diff, restore and export over REST, with a live editor connected. The router is
// mounted here on its own Express app (createHttpApp mounts it in production) in front of Godo's
// database and collaboration server.

let godo: RunningGodo;
let api: Server;
let fixture: ReportFixture;
let editor: TestClient;

const errors: ErrorRequestHandler = (err, _req, res, _next) => {
  const appError = err instanceof AppError ? err : new AppError(500, 'internal', String(err));
  res.status(appError.status).json(appError.toBody());
};

function as(cookie: string) {
  const client = new HttpClient(`http://127.0.0.1:${(api.address() as AddressInfo).port}`);
  const call = <T = any>(method: string, path: string, body?: unknown) => client.request<T>(method, `/api/proposals/${fixture.proposalId}/report${path}`, body, { cookie });
  return { get: <T = any>(path: string) => call<T>('GET', path), post: <T = any>(path: string, body: unknown = {}) => call<T>('POST', path, body) };
}

function paragraph(text: string, attributes?: Record<string, unknown>): Y.XmlElement {
  const node = new Y.XmlElement('paragraph');
  const run = new Y.XmlText();
  run.insert(0, text, attributes);
  node.insert(0, [run]);
  return node;
}

beforeAll(async () => {
  godo = await startTestGodo();
  fixture = await createReportFixture(godo);
  const app = express();
  app.use(express.json());
  app.use('/api', loadSession(godo.models, () => new Date()));
  app.use('/api', reportRouter({ models: godo.models, clock: () => new Date(), documents: () => godo.collab.registry }));
  app.use(errors);
  api = createServer(app);
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  editor = connectClient(godo.url, fixture.docName, fixture.cookies.reviewer);
  await synced(editor);
  editor.doc.transact(() => {
    sectionFragment(editor.doc, 'summary', 'en').push([paragraph('The panel agrees. '), paragraph('a sound design <script>', { [QUOTE_MARK]: { reviewId: 'review-7' } })]);
    sectionFragment(editor.doc, 'summary', 'ja').push([paragraph('パネルは合意した。')]);
    minorityView(editor.doc, 'excellence', 'ANR').insert(0, 'ANR finds the novelty limited.');
  });
  await onServer(() => minorityView(serverDoc(), 'excellence', 'ANR').length > 0);
});

function serverDoc(): Y.Doc {
  return godo.collab.registry.get(fixture.docName)!.doc;
}

/** Edits travel over the websocket, requests over HTTP: wait until the server has the edit. */
function onServer(predicate: () => boolean): Promise<void> {
  return docSatisfies(serverDoc(), predicate, 'edit on the server');
}

afterAll(async () => {
  editor.destroy();
  await new Promise<void>((resolve) => api.close(() => resolve()));
  await godo.close();
});

describe('named versions', () => {
  let first: { id: string };
  let backup: { id: string };

  it('saves the live report under a label, including edits not yet stored', async () => {
    const res = await as(fixture.cookies.reviewer).post('/versions', { label: 'draft 1' });
    expect(res.status).toBe(201);
    expect(res.body.version).toMatchObject({ label: 'draft 1', createdBy: { name: expect.stringContaining('reviewer') } });
    first = res.body.version;
    const list = await as(fixture.cookies.observer).get('/versions');
    expect(list.status).toBe(200);
    expect(list.body.versions.map((v: { label: string }) => v.label)).toEqual(['draft 1']);
  });

  it('shows what changed since a version, word by word and per language', async () => {
    const text = editor.doc.getXmlFragment('section:summary:en').get(0) as Y.XmlElement;
    (text.get(0) as Y.XmlText).insert('The panel '.length, 'strongly ');
    await onServer(() => sectionFragment(serverDoc(), 'summary', 'en').toString().includes('strongly'));
    const res = await as(fixture.cookies.reviewer).get(`/versions/diff?from=${first.id}&to=current`);
    expect(res.status).toBe(200);
    const en = res.body.diff.sections.find((s: { key: string; language: string }) => s.key === 'summary' && s.language === 'en');
    const ja = res.body.diff.sections.find((s: { key: string; language: string }) => s.key === 'summary' && s.language === 'ja');
    expect(en.changed).toBe(true);
    expect(en.parts.filter((p: { op: string }) => p.op !== 'equal')).toEqual([{ op: 'insert', text: 'strongly ' }]);
    expect(ja.changed).toBe(false);
  });

  it('restores a version into the live report, after saving the current text as a version', async () => {
    const res = await as(fixture.cookies.reviewer).post(`/versions/${first.id}/restore`);
    expect(res.status).toBe(200);
    // The backup says what it is, not an English sentence: each screen words it in its language.
    expect(res.body.backup).toMatchObject({ kind: 'beforeRestore', restoredFrom: { versionId: first.id, label: 'draft 1' } });
    expect(res.body.backup).not.toHaveProperty('label');
    backup = res.body.backup;
    const en = () => sectionFragment(editor.doc, 'summary', 'en').toString();
    await docSatisfies(editor.doc, () => !en().includes('strongly'), 'the editor sees the restored text');
    expect(en()).toContain('The panel agrees.');
    const list = await as(fixture.cookies.reviewer).get('/versions');
    expect(list.body.versions).toHaveLength(2);
    expect(list.body.versions[0]).toEqual({ ...backup, id: backup.id });
    const stored = await godo.models.ReportVersion.findById(backup.id).lean();
    expect(stored).toMatchObject({ kind: 'beforeRestore', restoredFrom: { versionId: first.id, label: 'draft 1' } });
    expect(stored?.label).toBeUndefined();
  });

  it('names the backup of a restored backup by the backup it restored', async () => {
    const res = await as(fixture.cookies.reviewer).post(`/versions/${backup.id}/restore`);
    expect(res.status).toBe(200);
    expect(res.body.restored).toMatchObject({ id: backup.id, kind: 'beforeRestore' });
    expect(res.body.backup).toMatchObject({
      kind: 'beforeRestore',
      restoredFrom: { versionId: backup.id, kind: 'beforeRestore', restoredFrom: { versionId: first.id, label: 'draft 1' } },
    });
    await docSatisfies(editor.doc, () => sectionFragment(editor.doc, 'summary', 'en').toString().includes('strongly'), 'the editor sees the backup restored');
  });

  it('caps the name of a backup of a backup of a backup at two levels ("an earlier backup" below)', async () => {
    const list = (await as(fixture.cookies.reviewer).get('/versions')).body.versions as { id: string; kind?: string; restoredFrom?: { versionId: string } }[];
    // The backup made by the previous test: "Before restoring “Before restoring “draft 1””".
    const twoDeep = list.find((v) => v.kind === 'beforeRestore' && v.restoredFrom?.versionId === backup.id)!;
    const res = await as(fixture.cookies.reviewer).post(`/versions/${twoDeep.id}/restore`);
    expect(res.status).toBe(200);
    expect(res.body.backup).toEqual({
      ...res.body.backup,
      kind: 'beforeRestore',
      restoredFrom: { versionId: twoDeep.id, kind: 'beforeRestore', restoredFrom: { versionId: backup.id, kind: 'beforeRestore' } },
    });
    const html = await as(fixture.cookies.reviewer).get(`/export?format=html&version=${res.body.backup.id}`);
    expect(html.text).toContain('Version: Before restoring “Before restoring “an earlier backup”” · exported');
    // Undone, so that the tests below see the report as the previous test left it.
    expect((await as(fixture.cookies.reviewer).post(`/versions/${res.body.backup.id}/restore`)).status).toBe(200);
  });

  it('exports a backup under its English name, and lists versions saved with an English label as they are', async () => {
    const html = await as(fixture.cookies.reviewer).get(`/export?format=html&version=${backup.id}`);
    expect(html.text).toContain('Version: Before restoring “draft 1” · exported');
    const markdown = await as(fixture.cookies.reviewer).get(`/export?format=markdown&version=${backup.id}`);
    expect(markdown.text).toContain('Version: Before restoring “draft 1” · exported');
    // A backup saved before versions stored their kind: an English label and nothing else.
    const named = (await godo.models.ReportVersion.findById(first.id).lean())!;
    const old = await godo.models.ReportVersion.create({
      callId: named.callId,
      proposalId: named.proposalId,
      label: 'Before restoring “draft 0”',
      state: named.state,
      bytes: named.bytes,
      createdBy: named.createdBy,
      createdAt: new Date(Date.now() + 60_000),
    });
    const list = await as(fixture.cookies.observer).get('/versions');
    expect(list.body.versions[0]).toMatchObject({ id: String(old._id), label: 'Before restoring “draft 0”' });
    expect(list.body.versions[0]).not.toHaveProperty('kind');
    await godo.models.ReportVersion.deleteOne({ _id: old._id });
  });

  it('refuses versions to observers, and everything to outsiders and conflicted people', async () => {
    expect((await as(fixture.cookies.observer).post('/versions', { label: 'mine' })).status).toBe(403);
    expect((await as(fixture.cookies.observer).post(`/versions/${first.id}/restore`)).status).toBe(403);
    expect((await as(fixture.cookies.outsider).get('/versions')).status).toBe(404);
    expect((await as(fixture.cookies.conflicted).get('/export')).status).toBe(404);
    expect((await as(fixture.cookies.reviewer).post('/versions', { label: '' })).status).toBe(400);
    expect((await as(fixture.cookies.reviewer).get('/versions/diff?from=000000000000000000000000')).status).toBe(404);
  });
});

describe('export', () => {
  it('writes Markdown with both languages, minority views and quote sources', async () => {
    const res = await as(fixture.cookies.observer).get('/export?format=markdown');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(res.text).toContain('## Summary / 総評');
    expect(res.text).toContain('パネルは合意した。');
    expect(res.text).toContain('**ANR**: ANR finds the novelty limited.');
    expect(res.text).toMatch(/“a sound design \\<script\\>”\[\^r1\]/);
    expect(res.text).toContain('[^r1]: Quoted from review review-7');
  });

  it('writes a printable HTML page with the languages side by side and user text escaped', async () => {
    const res = await as(fixture.cookies.reviewer).get('/export?format=html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<td lang="ja"><p>パネルは合意した。</p></td>');
    expect(res.text).toContain('a sound design &lt;script&gt;');
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('data-review-id="review-7"');
  });
});
