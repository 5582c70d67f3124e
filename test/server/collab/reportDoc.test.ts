import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  EDIT_MARK_RESOLUTION_MS,
  markSectionsEdited,
  minorityView,
  QUOTE_MARK,
  reportQuotes,
  reportSectionKeys,
  sectionFragment,
  sectionMeta,
  staleLanguages,
} from '../../../shared/collab/reportDoc.js';
import { connectClient, docSatisfies, flushedThroughServer, synced, type TestClient } from './support/clients.js';
import { newDocName, startFakeCollab, type FakeCollab } from './support/fakeServer.js';

describe('report structure', () => {
  it('has a section per criterion, then summary and recommendation, each in English and Japanese', () => {
    const doc = new Y.Doc();
    expect(reportSectionKeys(['excellence', 'impact'])).toEqual(['excellence', 'impact', 'summary', 'recommendation']);
    expect(sectionFragment(doc, 'impact', 'ja')).toBeInstanceOf(Y.XmlFragment);
    expect(doc.share.has('section:impact:ja')).toBe(true);
  });

  it('keeps the link from a quote to its source review', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    sectionFragment(doc, 'excellence', 'en').insert(0, [paragraph]);
    const textNode = new Y.XmlText();
    paragraph.insert(0, [textNode]);
    textNode.insert(0, 'The panel agrees: ');
    textNode.insert(textNode.length, 'a convincing design', { [QUOTE_MARK]: { reviewId: 'review-1' } });
    expect(reportQuotes(doc, ['excellence'])).toEqual([{ section: 'excellence', language: 'en', text: 'a convincing design', reviewId: 'review-1' }]);
  });

  it('records minority views per criterion and agency without losing concurrent first writes', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    minorityView(a, 'impact', 'ANR').insert(0, 'ANR side: ');
    minorityView(b, 'impact', 'ANR').insert(0, 'scope too narrow');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(minorityView(a, 'impact', 'ANR').toString()).toBe(minorityView(b, 'impact', 'ANR').toString());
    expect(minorityView(a, 'impact', 'ANR').toString()).toContain('ANR side: ');
    expect(minorityView(a, 'impact', 'ANR').toString()).toContain('scope too narrow');
  });
});

describe('stale languages', () => {
  it('marks the other language stale after an edit, and clears it when that language is edited', () => {
    const doc = new Y.Doc();
    const meta = sectionMeta(doc, 'summary');
    expect(staleLanguages(meta)).toEqual([]);
    markSectionsEdited(doc, [{ section: 'summary', language: 'en' }], 1_000, null);
    expect(staleLanguages(meta)).toEqual(['ja']);
    markSectionsEdited(doc, [{ section: 'summary', language: 'ja' }], 5_000, null);
    expect(staleLanguages(meta)).toEqual(['en']);
  });

  it('does not rewrite the edit time on every keystroke, yet stays exact when languages alternate', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => (updates += 1));
    for (let t = 0; t < 500; t += 10) markSectionsEdited(doc, [{ section: 'summary', language: 'en' }], 10_000 + t, null);
    expect(updates).toBe(1);
    markSectionsEdited(doc, [{ section: 'summary', language: 'ja' }], 10_600, null);
    markSectionsEdited(doc, [{ section: 'summary', language: 'en' }], 10_700, null);
    expect(staleLanguages(sectionMeta(doc, 'summary'))).toEqual(['ja']);
    markSectionsEdited(doc, [{ section: 'summary', language: 'en' }], 10_700 + EDIT_MARK_RESOLUTION_MS, null);
    expect(updates).toBe(4);
  });

  it('opens no transaction for a keystroke that writes no edit time (the server marks after every edit)', () => {
    const doc = new Y.Doc();
    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    markSectionsEdited(doc, [{ section: 'summary', language: 'en' }], 10_000, null);
    expect(transactions).toBe(1);
    for (let t = 10; t < 500; t += 10) markSectionsEdited(doc, [{ section: 'summary', language: 'en' }], 10_000 + t, null);
    expect(transactions).toBe(1);
  });

  it('one edit of both languages leaves neither looking stale', () => {
    const doc = new Y.Doc();
    markSectionsEdited(doc, [{ section: 'impact', language: 'en' }], 1_000, null);
    markSectionsEdited(doc, [{ section: 'impact', language: 'ja' }], 2_000, null);
    markSectionsEdited(
      doc,
      [
        { section: 'impact', language: 'en' },
        { section: 'impact', language: 'ja' },
      ],
      2_000 + EDIT_MARK_RESOLUTION_MS - 1,
      null,
    );
    expect(staleLanguages(sectionMeta(doc, 'impact'))).toEqual([]);
  });

  it('an edit never looks older than the other language, even when clocks step back', () => {
    const doc = new Y.Doc();
    markSectionsEdited(doc, [{ section: 'impact', language: 'ja' }], 50_000, null);
    markSectionsEdited(doc, [{ section: 'impact', language: 'en' }], 40_000, null);
    expect(staleLanguages(sectionMeta(doc, 'impact'))).toEqual(['ja']);
  });
});

describe('the server writes edit times when clients edit sections', () => {
  let server: FakeCollab;
  const clients: TestClient[] = [];
  let docName: string;
  beforeEach(async () => {
    server = await startFakeCollab();
    docName = newDocName();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
  });

  const write = (c: TestClient, language: 'en' | 'ja', words: string) => {
    const text = new Y.XmlText();
    text.insert(0, words);
    sectionFragment(c.doc, 'summary', language).push([text]);
  };

  it('an English edit makes the Japanese stale for everyone; a Japanese edit turns it around', async () => {
    const editor = connectClient(server.url, docName, server.editor);
    const other = connectClient(server.url, docName, server.editor);
    clients.push(editor, other);
    await Promise.all([synced(editor), synced(other)]);
    const meta = sectionMeta(other.doc, 'summary');
    write(editor, 'en', 'Strong proposal.');
    await docSatisfies(other.doc, () => staleLanguages(meta).join() === 'ja', 'ja stale');
    write(editor, 'ja', '優れた提案。');
    await docSatisfies(other.doc, () => staleLanguages(meta).join() === 'en' || staleLanguages(meta).length === 0, 'ja fresh');
    expect(staleLanguages(meta)).not.toContain('ja');
  });

  it("a read-only person's edit marks nothing", async () => {
    const reader = connectClient(server.url, docName, server.reader);
    const editor = connectClient(server.url, docName, server.editor);
    clients.push(reader, editor);
    await Promise.all([synced(reader), synced(editor)]);
    write(reader, 'en', 'ignored');
    await flushedThroughServer(reader, editor, 1);
    write(editor, 'ja', '日本語');
    const meta = sectionMeta(editor.doc, 'summary');
    await docSatisfies(editor.doc, () => meta.has('ja'), 'ja marked');
    expect(meta.has('en')).toBe(false);
    expect(sectionFragment(editor.doc, 'summary', 'en').length).toBe(0);
  });
});
