import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { COLLAB_CLOSE_CODES, COLLAB_MESSAGE, MAX_FRAME_BYTES } from '../../../shared/collab.js';
import { connectClient, docSatisfies, flushedThroughServer, providerClosed, rawSocket, synced, within, type TestClient } from './support/clients.js';
import { newDocName, startFakeCollab, type FakeCollab } from './support/fakeServer.js';

// The protocol server against real y-websocket clients, with an in-memory fake of the persistence
// interface and a fake access rule (the database-backed suites cover those).

let server: FakeCollab;
let docName: string;
const clients: TestClient[] = [];

function client(cookie = server.editor, doc?: Y.Doc): TestClient {
  const created = connectClient(server.url, docName, cookie, { doc });
  clients.push(created);
  return created;
}

function text(c: TestClient): string {
  return c.doc.getText('t').toString();
}

beforeEach(async () => {
  server = await startFakeCollab();
  docName = newDocName();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server.close();
});

describe('co-editing', () => {
  it('ten clients editing at once converge to the same document', async () => {
    const ten = Array.from({ length: 10 }, () => client());
    await Promise.all(ten.map((c) => synced(c)));
    ten.forEach((c, i) => c.doc.getArray<string>('items').push([`from ${i}`]));
    const complete = (c: TestClient) => c.doc.getArray('items').length === 10;
    await Promise.all(ten.map((c, i) => docSatisfies(c.doc, () => complete(c), `client ${i} to see all edits`)));
    const first = JSON.stringify(ten[0].doc.getArray('items').toJSON());
    for (const c of ten) expect(JSON.stringify(c.doc.getArray('items').toJSON())).toBe(first);
    const onServer = server.collab.registry.get(docName)!.doc;
    expect(JSON.stringify(onServer.getArray('items').toJSON())).toBe(first);
  });

  it('a client joining later receives the whole document', async () => {
    const a = client();
    await synced(a);
    a.doc.getText('t').insert(0, 'before you came');
    await server.persistence.next('stored');
    const late = client();
    await synced(late);
    expect(text(late)).toBe('before you came');
  });
});

describe('awareness', () => {
  it('shows everyone to everyone, and drops a client that leaves', async () => {
    const three = Array.from({ length: 3 }, () => client());
    three.forEach((c, i) => c.provider.awareness.setLocalStateField('user', { name: `person ${i}` }));
    const seesAll = (c: TestClient, n: number) =>
      within(
        new Promise<void>((resolve) => {
          const check = () => c.provider.awareness.getStates().size === n && resolve();
          c.provider.awareness.on('change', check);
          check();
        }),
        `awareness of ${n}`,
      );
    await Promise.all(three.map((c) => seesAll(c, 3)));
    three[2].provider.disconnect();
    await Promise.all(three.slice(0, 2).map((c) => seesAll(c, 2)));
  });
});

describe('awareness is trustworthy', () => {
  it("shows the session's name, whatever name a client claims", async () => {
    const mallory = client(server.reader);
    const other = client();
    await Promise.all([synced(mallory), synced(other)]);
    const seen = within(
      new Promise<Record<string, unknown>>((resolve) => {
        other.provider.awareness.on('change', () => {
          const state = other.provider.awareness.getStates().get(mallory.doc.clientID);
          if ((state?.user as { color?: string } | undefined)?.color) resolve(state!.user as Record<string, unknown>);
        });
      }),
      'awareness',
    );
    mallory.provider.awareness.setLocalStateField('user', { name: 'The PO', color: '#f00' });
    expect(await seen).toEqual({ id: 'read-1', name: 'read-1', color: '#f00' });
  });

  it("a client cannot remove or overwrite another client's awareness state", async () => {
    const alice = client();
    const bob = client();
    alice.provider.awareness.setLocalStateField('user', { color: 'blue' });
    await Promise.all([synced(alice), synced(bob)]);
    await within(
      new Promise<void>((resolve) => {
        const check = () => bob.provider.awareness.getStates().has(alice.doc.clientID) && resolve();
        bob.provider.awareness.on('change', check);
        check();
      }),
      'alice visible to bob',
    );
    const attacker = await rawSocket(server.url, docName, server.editor);
    const forge = (clientId: number, state: unknown) => {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, clientId);
      encoding.writeVarUint(inner, 1_000_000);
      encoding.writeVarString(inner, JSON.stringify(state));
      const outer = encoding.createEncoder();
      encoding.writeVarUint(outer, COLLAB_MESSAGE.awareness);
      encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
      return encoding.toUint8Array(outer);
    };
    attacker.ws.send(forge(alice.doc.clientID, null));
    attacker.ws.send(forge(alice.doc.clientID, { user: { name: 'fake alice' } }));
    // The attacker's own state arriving at bob means the forged frames before it were handled.
    const ownArrived = within(
      new Promise<void>((resolve) => {
        const check = () => bob.provider.awareness.getStates().has(424242) && resolve();
        bob.provider.awareness.on('change', check);
      }),
      "attacker's own state",
    );
    attacker.ws.send(forge(424242, { user: { name: 'me' } }));
    await ownArrived;
    expect(bob.provider.awareness.getStates().get(alice.doc.clientID)?.user).toEqual({ color: 'blue', id: 'edit-1', name: 'edit-1' });
    attacker.ws.close();
  });
});

describe('edits', () => {
  it('reports who changed the document, and not for dropped or repeated edits', async () => {
    const editor = client();
    const reader = client(server.reader);
    await Promise.all([synced(editor), synced(reader)]);
    const edited: string[] = [];
    server.collab.registry.on('edited', (_name, userId) => edited.push(userId));
    reader.doc.getText('t').insert(0, 'dropped');
    await flushedThroughServer(reader, editor, 1);
    editor.doc.getText('t').insert(0, 'kept');
    await server.persistence.next('stored');
    expect(edited).toEqual(['edit-1']);
  });
});

describe('loading', () => {
  it('skips a corrupt stored update (logged) instead of making the report unavailable', async () => {
    const stored = new Y.Doc();
    stored.getText('t').insert(0, 'readable');
    await server.persistence.inner.storeUpdates(docName, [new Uint8Array([0xff, 0xff, 0xff]), Y.encodeStateAsUpdate(stored)]);
    const c = client();
    await synced(c);
    expect(text(c)).toBe('readable');
  });

  it('answers a SyncStep1 only after the stored state has loaded', async () => {
    const stored = new Y.Doc();
    stored.getText('t').insert(0, 'stored earlier');
    await server.persistence.inner.storeUpdates(docName, [Y.encodeStateAsUpdate(stored)]);
    const release = server.persistence.holdLoads();
    const loading = server.persistence.next('load');
    const { ws } = await rawSocket(server.url, docName, server.editor);
    await loading;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, COLLAB_MESSAGE.sync);
    syncProtocol.writeSyncStep1(encoder, new Y.Doc());
    ws.send(encoding.toUint8Array(encoder));
    const frames: Uint8Array[] = [];
    const gotTwo = new Promise<void>((resolve) => ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)) === 2 && resolve()));
    release();
    await within(gotTwo, 'step1 and step2');
    // The server's SyncStep1 first, then the answer to ours: SyncStep2 carrying the stored text.
    expect([...frames[0].slice(0, 2)]).toEqual([COLLAB_MESSAGE.sync, syncProtocol.messageYjsSyncStep1]);
    expect([...frames[1].slice(0, 2)]).toEqual([COLLAB_MESSAGE.sync, syncProtocol.messageYjsSyncStep2]);
    const reader = new Y.Doc();
    const provider = connectClient(server.url, docName, server.editor, { doc: reader });
    clients.push(provider);
    await synced(provider);
    expect(reader.getText('t').toString()).toBe('stored earlier');
    ws.close();
  });
});

describe('read-only connections', () => {
  it("drops a reader's edits: they reach neither the others nor storage; awareness still flows", async () => {
    const editor = client();
    const reader = client(server.reader);
    await Promise.all([synced(editor), synced(reader)]);
    expect(server.collab.stats()).toMatchObject({ connections: 2, readOnlyConnections: 1 });
    reader.doc.getText('t').insert(0, 'observer was here');
    await flushedThroughServer(reader, editor, 1);
    editor.doc.getText('t').insert(0, 'editor');
    await server.persistence.next('stored');
    expect(text(editor)).toBe('editor');
    expect(server.collab.registry.get(docName)!.doc.getText('t').toString()).toBe('editor');
    const stored = new Y.Doc();
    for (const update of server.persistence.storedUpdates) Y.applyUpdate(stored, update);
    expect(stored.getText('t').toString()).toBe('editor');
  });
});

describe('malformed frames close that connection only', () => {
  const truncatedVarint = new Uint8Array([0x80]);
  // sync / update / length 4294967296 (2^32) with two bytes following
  const hugeLength = new Uint8Array([0, 2, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 2]);
  const cases: Array<[string, Uint8Array | string, number]> = [
    ['a truncated varint', truncatedVarint, COLLAB_CLOSE_CODES.malformedFrame],
    ['4294967296 as a length', hugeLength, COLLAB_CLOSE_CODES.malformedFrame],
    ['a text frame', 'hello', COLLAB_CLOSE_CODES.malformedFrame],
    ['an unknown message type', new Uint8Array([7]), COLLAB_CLOSE_CODES.malformedFrame],
    ['an auth message (server to client only)', new Uint8Array([2, 0, 0]), COLLAB_CLOSE_CODES.malformedFrame],
    ['an unknown sync message type', new Uint8Array([0, 9, 0]), COLLAB_CLOSE_CODES.malformedFrame],
    ['an update that does not decode', new Uint8Array([0, 2, 3, 0xff, 0xff, 0xff]), COLLAB_CLOSE_CODES.malformedFrame],
    ['an awareness update that is not JSON', new Uint8Array([1, 5, 1, 1, 1, 1, 0x7b]), COLLAB_CLOSE_CODES.malformedFrame],
    ['a frame over the size limit', new Uint8Array(MAX_FRAME_BYTES + 1), COLLAB_CLOSE_CODES.frameTooLarge],
  ];

  it.each(cases)('%s', async (_name, frame, code) => {
    const a = client();
    const b = client();
    await Promise.all([synced(a), synced(b)]);
    const socket = await rawSocket(server.url, docName, server.editor);
    await socket.nextFrame();
    socket.ws.send(frame, { binary: typeof frame !== 'string' });
    expect((await socket.closed).code).toBe(code);
    // The document and its other connections keep working.
    a.doc.getText('t').insert(0, 'still fine');
    await docSatisfies(b.doc, () => text(b) === 'still fine', 'edit after the bad frame');
    expect(server.collab.stats().connections).toBe(2);
  });

  it('a frame far over the limit is refused by the websocket layer (1009)', async () => {
    const socket = await rawSocket(server.url, docName, server.editor);
    socket.ws.send(new Uint8Array(MAX_FRAME_BYTES * 4 + 1));
    expect((await socket.closed).code).toBe(1009);
  });

  it('a malformed frame sent while the document loads closes the connection once it has loaded', async () => {
    const release = server.persistence.holdLoads();
    const loading = server.persistence.next('load');
    const socket = await rawSocket(server.url, docName, server.editor);
    await loading;
    socket.ws.send(new Uint8Array([0x80]));
    release();
    expect((await socket.closed).code).toBe(COLLAB_CLOSE_CODES.malformedFrame);
  });
});

describe('document size limit', () => {
  it('closes the connection whose edit would grow the document past the limit, with its own code', async () => {
    await server.close();
    server = await startFakeCollab({ limits: { maxDocumentBytes: 64 * 1024 } });
    const a = client();
    const b = client();
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText('t').insert(0, 'small');
    await docSatisfies(b.doc, () => text(b) === 'small', 'small edit');
    const closed = providerClosed(a);
    a.doc.getText('t').insert(0, 'x'.repeat(100 * 1024));
    expect(await closed).toMatchObject({ code: COLLAB_CLOSE_CODES.documentTooLarge });
    b.doc.getText('t').insert(5, '!');
    const onServer = server.collab.registry.get(docName)!.doc;
    await docSatisfies(onServer, () => onServer.getText('t').toString() === 'small!', 'later edit on the server');
  });
});

describe('refusals', () => {
  it('closes an unauthenticated connection with 4401 before sending anything', async () => {
    const socket = await rawSocket(server.url, docName, undefined);
    expect((await socket.closed).code).toBe(COLLAB_CLOSE_CODES.unauthenticated);
    expect(socket.frames).toEqual([]);
  });

  it('closes a connection to an unknown document name with 4404', async () => {
    docName = 'meeting:xyz';
    const socket = await rawSocket(server.url, docName, server.editor);
    expect((await socket.closed).code).toBe(COLLAB_CLOSE_CODES.notFound);
  });

  it('refuses a cross-site origin with 4403', async () => {
    const socket = await rawSocket(server.url, docName, server.editor, { origin: 'https://evil.example' });
    expect((await socket.closed).code).toBe(COLLAB_CLOSE_CODES.forbidden);
  });
});
