import { describe, expect, it } from 'vitest';
import { Long } from 'bson';
import type { Document } from 'bson';
import { InMemoryCollection, toStoredDocument } from '../../../../server/db/embedded/storage/collectionStore';
import type { StoreChange } from '../../../../server/db/embedded/storage/collectionStore';
import { serializeBson } from '../../../../server/db/embedded/storage/wal';
import type { StoredDocument } from '../../../../server/db/embedded/storage/types';
import { againstRealMongo } from '../commands/harness.js';

// Storage engine internals: nothing here talks to a server, so TEST_MONGODB_URI runs skip it.

const doc = (plain: Document): StoredDocument => toStoredDocument(serializeBson(plain));
const users = () => new InMemoryCollection('app', 'users', {});
const ids = (docs: StoredDocument[]) => docs.map((d) => d.plain._id);

function expectDuplicate(fn: () => void, message: string, extra?: Document) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code: 11000, codeName: 'DuplicateKey', message });
  if (extra) expect((error as { extra: Document }).extra).toEqual(extra);
}

describe.skipIf(againstRealMongo)('documents by _id', () => {
  it('finds a document by any numerically equal _id', () => {
    const c = users();
    c.insert(doc({ _id: Long.fromNumber(1), name: 'a' }));
    expect(c.getById(1)?.plain.name).toBe('a');
    expect(c.getById(1.0)?.plain.name).toBe('a');
    expect(c.getById('1')).toBeUndefined();
  });

  it('rejects a second document with an equal _id', () => {
    const c = users();
    c.insert(doc({ _id: 1 }));
    expectDuplicate(() => c.insert(doc({ _id: 1.0 })), 'E11000 duplicate key error collection: app.users index: _id_ dup key: { _id: 1 }', {
      keyPattern: { _id: 1 },
      keyValue: { _id: 1 },
    });
    expect(c.count()).toBe(1);
  });

  it('keeps insertion order across replacements and iterates a snapshot', () => {
    const c = users();
    for (const id of [3, 1, 2]) c.insert(doc({ _id: id, v: 0 }));
    c.replace(c.getById(3)!, doc({ _id: 3, v: 1 }));
    const seen: unknown[] = [];
    for (const d of c.all()) {
      seen.push(d.plain._id);
      c.remove(d);
    }
    expect(seen).toEqual([3, 1, 2]);
    expect(c.count()).toBe(0);
  });

  it('treats a document without _id as a programming error', () => {
    expect(() => users().insert(doc({ name: 'x' }))).toThrow(expect.objectContaining({ codeName: 'InternalError' }));
  });
});

describe.skipIf(againstRealMongo)('unique indexes', () => {
  it('rejects a duplicate with MongoDB message, keyPattern and keyValue', () => {
    const c = users();
    c.createIndex({ name: 'email_1', key: { email: 1 }, unique: true });
    c.insert(doc({ _id: 1, email: 'x' }));
    expectDuplicate(() => c.insert(doc({ _id: 2, email: 'x' })), 'E11000 duplicate key error collection: app.users index: email_1 dup key: { email: "x" }', {
      keyPattern: { email: 1 },
      keyValue: { email: 'x' },
    });
  });

  it('enforces compound uniqueness on the whole tuple', () => {
    const c = users();
    c.createIndex({ name: 'a_1_b_1', key: { a: 1, b: 1 }, unique: true });
    c.insert(doc({ _id: 1, a: 1, b: 1 }));
    c.insert(doc({ _id: 2, a: 1, b: 2 }));
    expectDuplicate(() => c.insert(doc({ _id: 3, a: 1.0, b: Long.fromNumber(1) })), 'E11000 duplicate key error collection: app.users index: a_1_b_1 dup key: { a: 1, b: 1 }');
  });

  it('counts missing fields as null unless the index is sparse', () => {
    const plain = users();
    plain.createIndex({ name: 'email_1', key: { email: 1 }, unique: true });
    plain.insert(doc({ _id: 1 }));
    expectDuplicate(() => plain.insert(doc({ _id: 2 })), 'E11000 duplicate key error collection: app.users index: email_1 dup key: { email: null }');

    const sparse = users();
    sparse.createIndex({ name: 'email_1', key: { email: 1 }, unique: true, sparse: true });
    sparse.insert(doc({ _id: 1 }));
    sparse.insert(doc({ _id: 2 }));
    sparse.insert(doc({ _id: 3, email: null }));
    expect(() => sparse.insert(doc({ _id: 4, email: null }))).toThrow(expect.objectContaining({ code: 11000 }));
    expect(sparse.count()).toBe(3);
  });

  it('applies only to documents matching the partial filter', () => {
    const c = users();
    c.createIndex({ name: 'email_1', key: { email: 1 }, unique: true, partialFilterExpression: { active: true } });
    c.insert(doc({ _id: 1, email: 'x', active: false }));
    c.insert(doc({ _id: 2, email: 'x', active: false }));
    c.insert(doc({ _id: 3, email: 'x', active: true }));
    expect(() => c.insert(doc({ _id: 4, email: 'x', active: true }))).toThrow(expect.objectContaining({ code: 11000 }));
    expect(() => c.replace(c.getById(1)!, doc({ _id: 1, email: 'x', active: true }))).toThrow(expect.objectContaining({ code: 11000 }));
  });

  it('compares every element of a multikey value, but not a document with itself', () => {
    const c = users();
    c.createIndex({ name: 'tags_1', key: { tags: 1 }, unique: true });
    c.insert(doc({ _id: 1, tags: ['a', 'b', 'a'] }));
    expectDuplicate(() => c.insert(doc({ _id: 2, tags: ['c', 'b'] })), 'E11000 duplicate key error collection: app.users index: tags_1 dup key: { tags: "b" }');
    c.replace(c.getById(1)!, doc({ _id: 1, tags: ['b', 'z'] }));
    expect(c.findByIndex('tags_1', ['a'])).toEqual([]);
  });

  it('makes a failed insert change nothing, whichever index fails', () => {
    const c = users();
    c.createIndex({ name: 'email_1', key: { email: 1 }, unique: true });
    c.createIndex({ name: 'login_1', key: { login: 1 }, unique: true });
    c.insert(doc({ _id: 1, email: 'a', login: 'x' }));
    expect(() => c.insert(doc({ _id: 2, email: 'b', login: 'x' }))).toThrow(expect.objectContaining({ code: 11000 }));
    expect(c.count()).toBe(1);
    expect(c.getById(2)).toBeUndefined();
    expect(c.findByIndex('email_1', ['b'])).toEqual([]);
  });

  it('makes a failed replace leave the old document and its index entries', () => {
    const c = users();
    c.createIndex({ name: 'email_1', key: { email: 1 }, unique: true });
    c.createIndex({ name: 'login_1', key: { login: 1 }, unique: true });
    const old = doc({ _id: 1, email: 'a', login: 'x' });
    c.insert(old);
    c.insert(doc({ _id: 2, email: 'b', login: 'y' }));
    expect(() => c.replace(old, doc({ _id: 1, email: 'new', login: 'y' }))).toThrow(expect.objectContaining({ code: 11000 }));
    expect(c.getById(1)).toBe(old);
    expect(ids(c.findByIndex('email_1', ['a']))).toEqual([1]);
    expect(c.findByIndex('email_1', ['new'])).toEqual([]);
  });

  it('refuses to build a unique index over existing duplicates and keeps no trace of it', () => {
    const c = users();
    c.insert(doc({ _id: 1, email: 'x' }));
    c.insert(doc({ _id: 2, email: 'x' }));
    expect(() => c.createIndex({ name: 'email_1', key: { email: 1 }, unique: true })).toThrow(expect.objectContaining({ code: 11000 }));
    expect(c.indexes().map((s) => s.name)).toEqual(['_id_']);
  });
});

describe.skipIf(againstRealMongo)('index management', () => {
  it('reports an identical index as already present and conflicts as errors', () => {
    const c = users();
    expect(c.createIndex({ name: 'email_1', key: { email: 1 } })).toBe(true);
    expect(c.createIndex({ name: 'email_1', key: { email: 1 }, unique: false })).toBe(false);
    expect(c.createIndex({ name: '_id_', key: { _id: 1 } })).toBe(false);
    expect(() => c.createIndex({ name: 'email_1', key: { email: 1 }, unique: true })).toThrow(expect.objectContaining({ code: 85 }));
    expect(() => c.createIndex({ name: 'email_1', key: { email: -1 } })).toThrow(expect.objectContaining({ code: 86 }));
    expect(() => c.createIndex({ name: 'other', key: { email: 1 } })).toThrow(expect.objectContaining({ code: 85 }));
    expect(c.indexes().map((s) => s.name)).toEqual(['_id_', 'email_1']);
  });

  it('drops indexes by name, never _id_', () => {
    const c = users();
    c.createIndex({ name: 'email_1', key: { email: 1 } });
    expect(() => c.dropIndex('_id_')).toThrow(expect.objectContaining({ code: 72 }));
    expect(() => c.dropIndex('nope')).toThrow(expect.objectContaining({ code: 27 }));
    c.dropIndex('email_1');
    expect(() => c.findByIndex('email_1', ['x'])).toThrow(expect.objectContaining({ code: 27 }));
  });
});

describe.skipIf(againstRealMongo)('findByIndex', () => {
  function populated() {
    const c = users();
    c.createIndex({ name: 'call_1_email_1', key: { callId: 1, email: 1 } });
    c.createIndex({ name: 'tags_1', key: { tags: 1 } });
    c.insert(doc({ _id: 'b', callId: 1, email: 'x', tags: ['red', 'blue'] }));
    c.insert(doc({ _id: 'a', callId: 2, email: 'x', tags: ['red'] }));
    c.insert(doc({ _id: 'c', callId: 1, email: 'y', tags: [] }));
    c.insert(doc({ _id: 'd', callId: Long.fromNumber(1) }));
    return c;
  }

  it('looks up a prefix or the whole compound key, in natural order', () => {
    const c = populated();
    expect(ids(c.findByIndex('call_1_email_1', [1]))).toEqual(['b', 'c', 'd']);
    expect(ids(c.findByIndex('call_1_email_1', [1.0, 'y']))).toEqual(['c']);
    expect(ids(c.findByIndex('call_1_email_1', [1, null]))).toEqual(['d']);
    expect(ids(c.findByIndex('_id_', ['a']))).toEqual(['a']);
  });

  it('returns a multikey document once, and finds it by an array value', () => {
    const c = populated();
    expect(ids(c.findByIndex('tags_1', ['red']))).toEqual(['b', 'a']);
    expect(ids(c.findByIndex('tags_1', [['red', 'blue']]))).toEqual(['b', 'a']);
    expect(ids(c.findByIndex('tags_1', [[]]))).toEqual(['c']);
  });

  it('keeps index entries in step with replace and remove', () => {
    const c = populated();
    c.replace(c.getById('b')!, doc({ _id: 'b', callId: 3, email: 'x' }));
    c.remove(c.getById('a')!);
    expect(ids(c.findByIndex('tags_1', ['red']))).toEqual([]);
    expect(ids(c.findByIndex('call_1_email_1', [3]))).toEqual(['b']);
    expect(ids(c.findByIndex('call_1_email_1', [1]))).toEqual(['c', 'd']);
  });

  it('does not read the documents of the collection', () => {
    const c = users();
    c.createIndex({ name: 'n_1', key: { n: 1 } });
    let reads = 0;
    for (let i = 0; i < 1000; i++) {
      const stored = doc({ _id: i, n: i % 10 });
      c.insert({
        raw: stored.raw,
        get plain() {
          reads++;
          return stored.plain;
        },
      });
    }
    reads = 0;
    expect(c.findByIndex('n_1', [7])).toHaveLength(100);
    expect(reads).toBe(0);
  });
});

describe.skipIf(againstRealMongo)('change journal', () => {
  it('reports each applied change, and a throwing journal vetoes the change', () => {
    const changes: StoreChange['op'][] = [];
    let refuse = false;
    const c = new InMemoryCollection('app', 'users', {}, (_c, change) => {
      if (refuse) throw new Error('log failed');
      changes.push(change.op);
    });
    c.createIndex({ name: 'email_1', key: { email: 1 }, unique: true });
    c.insert(doc({ _id: 1, email: 'a' }));
    expect(() => c.insert(doc({ _id: 2, email: 'a' }))).toThrow();
    c.replace(c.getById(1)!, doc({ _id: 1, email: 'b' }));
    c.setOptions({ validationLevel: 'off' });
    c.remove(c.getById(1)!);
    c.dropIndex('email_1');
    expect(changes).toEqual(['createIndex', 'put', 'put', 'setOptions', 'del', 'dropIndex']);
    refuse = true;
    expect(() => c.insert(doc({ _id: 3 }))).toThrow('log failed');
    expect(c.count()).toBe(0);
  });

  it('refuses writes through a reference to a dropped collection', () => {
    const c = users();
    c.detach();
    expect(() => c.insert(doc({ _id: 1 }))).toThrow(expect.objectContaining({ codeName: 'NamespaceNotFound' }));
  });
});
