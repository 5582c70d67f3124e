import { Binary, UUID, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TIMEOUT_MINUTES, SessionRegistry } from '../../../../server/db/embedded/commands/sessions.js';
import { type TestServer, againstRealMongo, startTestServer } from './harness.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const hex = (id: unknown): string => (id as Binary).toString('hex');

async function listedSessionIds(): Promise<string[]> {
  const docs = await t.client.db('admin').aggregate([{ $listLocalSessions: {} }]).toArray();
  return docs.map((d: Document) => hex(d._id.id));
}

describe('$listLocalSessions', () => {
  it('lists the sessions commands have used, the caller\'s own included', async () => {
    const session = t.client.startSession();
    await t.db.command({ ping: 1 }, { session });
    const id = hex(session.id?.id);
    const listed = await listedSessionIds();
    expect(listed).toContain(id);
    const [doc] = await t.client.db('admin').aggregate([{ $listLocalSessions: {} }, { $limit: 1 }]).toArray();
    expect(doc._id.uid).toBeInstanceOf(Binary);
    expect(doc.lastUse).toBeInstanceOf(Date);
    await session.endSession();
  });

  // A real mongod drops ended sessions from its cache only at the next refresh (logicalSessionRefreshMillis).
  it.skipIf(againstRealMongo)('forgets sessions named by endSessions', async () => {
    const session = t.client.startSession();
    await t.db.command({ ping: 1 }, { session });
    const id = hex(session.id?.id);
    expect(await listedSessionIds()).toContain(id);
    await t.run({ endSessions: [session.id] }, 'admin');
    expect(await listedSessionIds()).not.toContain(id);
    await session.endSession();
  });
});

// Unit test of the embedded server's session registry.
describe.skipIf(againstRealMongo)('the session registry', () => {
  it('drops sessions idle longer than the advertised timeout', () => {
    let now = 0;
    const registry = new SessionRegistry(() => now);
    registry.touch({ id: new UUID() });
    registry.touch({ id: 'not a uuid' });
    expect(registry.list()).toHaveLength(1);
    now = SESSION_TIMEOUT_MINUTES * 60_000 + 1;
    expect(registry.list()).toHaveLength(0);
  });
});
