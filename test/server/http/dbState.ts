import type { RunningGodo } from '../../../server/index.js';

/** Every document of every collection, as the driver reads them (ObjectIds and Dates intact). */
export type DbSnapshot = Map<string, Record<string, unknown>[]>;

function database(godo: RunningGodo) {
  const db = godo.db.connection.db;
  if (!db) throw new Error('the database is not connected');
  return db;
}

/** Reads the whole database (small test worlds only). */
export async function takeSnapshot(godo: RunningGodo): Promise<DbSnapshot> {
  const db = database(godo);
  const snapshot: DbSnapshot = new Map();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    snapshot.set(name, await db.collection(name).find({}).toArray());
  }
  return snapshot;
}

/**
 * Puts the database back as it was at `snapshot`: sessions, rate-limit counters and the audit log
 * included, so a request that signed someone out or wrote anything leaves no trace for the next.
 */
export async function restoreSnapshot(godo: RunningGodo, snapshot: DbSnapshot): Promise<void> {
  const db = database(godo);
  const names = new Set([...snapshot.keys(), ...(await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)]);
  for (const name of names) {
    const collection = db.collection(name);
    await collection.deleteMany({});
    const docs = snapshot.get(name) ?? [];
    // insertMany adds an _id to documents without one; copies keep the snapshot reusable.
    if (docs.length) await collection.insertMany(docs.map((doc) => ({ ...doc })));
  }
}

/** One raw request as a browser holding `cookie` would send it (the cookie is never updated). */
export async function probe(baseUrl: string, method: string, path: string, cookie: string | null, body?: unknown) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(cookie ? { cookie } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}
