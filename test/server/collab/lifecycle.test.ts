import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CollabLimits } from '../../../server/collab/limits.js';
import { connectClient, docSatisfies, providerClosed, synced, within, type TestClient } from './support/clients.js';
import { ERROR_LEVEL, fakeHarness, godoHarness, type CollabHarness } from './support/godoHarness.js';
import { storedDoc } from './support/persistence.js';

// Every lifecycle rule, against a real server on port 0, once with the in-memory persistence fake
// and once with Godo's embedded MongoDB behind the Mongoose persistence.

const backends: Array<[string, (limits?: Partial<CollabLimits>) => Promise<CollabHarness>]> = [
  ['in-memory persistence', fakeHarness],
  ['MongoDB persistence', godoHarness],
];

describe.each(backends)('document lifecycle (%s)', (_name, start) => {
  let harness: CollabHarness;
  const clients: TestClient[] = [];

  async function setup(limits: Partial<CollabLimits> = {}): Promise<CollabHarness> {
    harness = await start(limits);
    return harness;
  }

  function client(doc?: Y.Doc): TestClient {
    const created = connectClient(harness.url, harness.docName, harness.editor, { doc });
    clients.push(created);
    return created;
  }

  function serverDoc(): Y.Doc {
    const document = harness.collab.registry.get(harness.docName);
    if (!document) throw new Error('document not loaded');
    return document.doc;
  }

  async function editOnServer(c: TestClient, content: string): Promise<void> {
    c.doc.getText('t').insert(c.doc.getText('t').length, content);
    const expected = c.doc.getText('t').toString();
    await docSatisfies(serverDoc(), () => serverDoc().getText('t').toString() === expected, 'edit on the server');
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await harness?.close();
  });

  it('stores the document before unloading it when the last connection closes', async () => {
    await setup();
    const events: string[] = [];
    harness.persistence.on('stored', () => events.push('stored'));
    harness.collab.registry.on('unloaded', () => events.push('unloaded'));
    const c = client();
    await synced(c);
    await editOnServer(c, 'saved before unload');
    const unloaded = once(harness.collab.registry, 'unloaded');
    c.provider.disconnect();
    await within(unloaded, 'unload');
    expect(events.at(-1)).toBe('unloaded');
    expect(events).toContain('stored');
    expect((await storedDoc(harness.persistence.inner, harness.docName)).getText('t').toString()).toBe('saved before unload');
  });

  it('does not unload while a save is pending', async () => {
    await setup();
    const c = client();
    await synced(c);
    const release = harness.persistence.holdStores();
    const started = harness.persistence.next('storeStarted');
    await editOnServer(c, 'slow disk');
    await within(started, 'store start');
    const left = once(harness.collab.registry, 'left');
    c.provider.disconnect();
    await within(left, 'connection left');
    expect(harness.collab.registry.get(harness.docName)).toBeDefined();
    expect(harness.collab.stats()).toMatchObject({ documents: 1, connections: 0 });
    const unloaded = once(harness.collab.registry, 'unloaded');
    release();
    await within(unloaded, 'unload after the save');
    expect((await storedDoc(harness.persistence.inner, harness.docName)).getText('t').toString()).toBe('slow disk');
  });

  it('keeps a document whose save failed in memory, logs at error level, and retries until it is stored', async () => {
    await setup();
    const c = client();
    await synced(c);
    harness.persistence.failNextStores(3);
    const failedThrice = new Promise<void>((resolve) => {
      let failures = 0;
      harness.collab.registry.on('saveFailed', () => ++failures === 3 && resolve());
    });
    await editOnServer(c, 'must not be lost');
    await within(failedThrice, 'three failed saves');
    const errors = harness.logs.filter((line) => line.level >= ERROR_LEVEL && /FAILED/.test(line.msg));
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors[0]).toMatchObject({ docName: harness.docName });
    const unloaded = once(harness.collab.registry, 'unloaded');
    c.provider.disconnect();
    await within(unloaded, 'unload after a successful retry');
    expect((await storedDoc(harness.persistence.inner, harness.docName)).getText('t').toString()).toBe('must not be lost');
  });

  it('a document with failing saves and no connections stays loaded', async () => {
    await setup({ retryBaseMs: 1_000, retryMaxMs: 1_000 });
    const c = client();
    await synced(c);
    harness.persistence.failNextStores(2);
    await editOnServer(c, 'x');
    const failedTwice = new Promise<void>((resolve) => {
      let failures = 0;
      harness.collab.registry.on('saveFailed', () => ++failures === 2 && resolve());
    });
    c.provider.disconnect();
    // The disconnect flushes at once (failure 1); the retry a second later fails again (failure 2).
    await within(failedTwice, 'two failures');
    expect(harness.collab.registry.get(harness.docName)).toBeDefined();
    expect(harness.collab.stats()).toMatchObject({ documents: 1, connections: 0, failingDocuments: 1 });
    await within(once(harness.collab.registry, 'unloaded'), 'unload after recovery');
  });

  it('close() stores everything still pending', async () => {
    await setup({ saveDelayMs: 60_000 });
    const c = client();
    await synced(c);
    await editOnServer(c, 'stored at shutdown');
    expect(harness.collab.stats().pendingUpdates).toBeGreaterThan(0);
    await harness.collab.close();
    expect((await storedDoc(harness.persistence.inner, harness.docName)).getText('t').toString()).toBe('stored at shutdown');
  });

  it('close() gives up at its deadline, loudly, when the database keeps failing or hangs', async () => {
    await setup({ saveDelayMs: 60_000, shutdownFlushMs: 300 });
    const c = client();
    await synced(c);
    await editOnServer(c, 'cannot be stored');
    harness.persistence.failNextStores(1_000);
    await harness.collab.close();
    const lost = harness.logs.find((line) => line.level >= ERROR_LEVEL && /UNSAVED UPDATES/.test(line.msg));
    expect(lost).toMatchObject({ docName: harness.docName, pendingUpdates: 1 });
  });

  it('batches updates: a burst of edits is stored in a few writes, soon after', async () => {
    await setup({ saveDelayMs: 500 });
    const c = client();
    await synced(c);
    for (let i = 0; i < 100; i += 1) c.doc.getText('t').insert(0, 'x');
    await docSatisfies(serverDoc(), () => serverDoc().getText('t').length === 100, '100 edits on the server');
    const startedAt = Date.now();
    while (harness.collab.stats().pendingUpdates > 0) await within(harness.persistence.next('stored'), 'stored');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(harness.persistence.storeCalls).toBeLessThanOrEqual(3);
    expect(harness.persistence.storedUpdates.length).toBe(100);
  });

  it('compacts the stored updates into a snapshot when they pile up', async () => {
    await setup({ compactAfterUpdates: 20, saveDelayMs: 5 });
    const c = client();
    await synced(c);
    // The tail is counted as stored, and a save merges the edits it finds into one: each edit is
    // let reach storage before the next, so 30 edits make more than 20 stored updates however
    // slow the machine (a busy CI batched 60 quick edits into fewer than 6 saves).
    for (let i = 0; i < 30; i += 1) {
      await editOnServer(c, `${i},`);
      while (harness.collab.stats().pendingUpdates > 0) await within(harness.persistence.next('stored'), 'stored');
    }
    while (harness.persistence.compactions === 0) await within(harness.persistence.next('compacted'), 'compaction');
    // Unloading waits for every save (and the compaction that may follow it).
    const unloaded = once(harness.collab.registry, 'unloaded');
    c.provider.disconnect();
    await within(unloaded, 'unload');
    const stored = await harness.persistence.inner.load(harness.docName);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeLessThanOrEqual(20);
    expect((await storedDoc(harness.persistence.inner, harness.docName)).getText('t').toString()).toBe(c.doc.getText('t').toString());
  });

  it('after a restart, reconnecting clients do not write their state again', async () => {
    await setup();
    const a = client();
    const b = client();
    await Promise.all([synced(a), synced(b)]);
    await editOnServer(a, 'x'.repeat(20_000));
    await docSatisfies(b.doc, () => b.doc.getText('t').length === 20_000, 'b has the text');
    while (harness.collab.stats().pendingUpdates > 0) await within(harness.persistence.next('stored'), 'stored');
    const dropped = Promise.all([providerClosed(a), providerClosed(b)]);
    await harness.restart();
    await dropped;
    await Promise.all([synced(a, 'a resync'), synced(b, 'b resync')]);
    a.doc.getText('t').insert(0, 'after restart ');
    await within(harness.persistence.next('stored'), 'small edit stored');
    // Only the small edit was stored by the new server: not the 20 KB both clients resent.
    expect(harness.persistence.storedUpdates.length).toBe(1);
    expect(harness.persistence.storedBytes).toBeLessThan(200);
    await docSatisfies(b.doc, () => b.doc.getText('t').toString().startsWith('after restart '), 'b sees the edit');
  });
});
