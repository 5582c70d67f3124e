import { randomBytes } from 'node:crypto';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../../../../server/db/embedded/server.js';
import { OP_COMPRESSED, OP_MSG, OP_REPLY } from '../../../../server/db/embedded/wire/protocol.js';
import { againstRealMongo } from '../commands/harness.js';
import { opMsg, opQuery, RawClient, rawFrame } from './rawClient.js';

let server: EmbeddedServer | undefined;
let client: MongoClient;
const logLines: string[] = [];
/** Where raw sockets connect: the embedded server, or the host:port of TEST_MONGODB_URI (plain TCP, no auth). */
let target: { host: string; port: number };
/** A fresh database name against a real MongoDB, which outlives this file. */
const wire = againstRealMongo ? `wire_${process.pid}_${randomBytes(4).toString('hex')}` : 'wire';

beforeAll(async () => {
  const realUri = process.env.TEST_MONGODB_URI;
  if (realUri) {
    const url = new URL(realUri);
    target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 27017) };
    client = new MongoClient(realUri);
  } else {
    const logger = pino({ level: 'error' }, { write: (line: string) => void logLines.push(line) });
    server = await startEmbeddedServer({ port: 0, dbpath: null, logger });
    target = { host: '127.0.0.1', port: server.port };
    client = new MongoClient(server.uri);
  }
  await client.connect();
});
afterAll(async () => {
  if (againstRealMongo) await client.db(wire).dropDatabase();
  await client.close();
  await server?.close();
});

const connectRaw = () => RawClient.connect(target.port, target.host);

async function expectClosedWithLog(bytes: Buffer, reason: RegExp): Promise<void> {
  const raw = await connectRaw();
  const before = logLines.length;
  raw.send(bytes);
  await raw.closed;
  expect(logLines.slice(before).join('\n')).toMatch(reason);
  // Other clients are unaffected.
  expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
}

// Malformed frames sent to our listener, checked against the embedded server's log lines.
describe.skipIf(againstRealMongo)('malformed input closes only the offending connection', () => {
  it('closes on garbage', () => expectClosedWithLog(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /invalid messageLength/));

  it('closes on a length below the header size', () => expectClosedWithLog(rawFrame(8, OP_MSG), /invalid messageLength 8/));

  it('closes on a huge length before reading the body', () => expectClosedWithLog(rawFrame(0x7fffffff, OP_MSG), /invalid messageLength/));

  it('closes on bad BSON', async () => {
    const message = opMsg(1, { ping: 1, $db: 'admin' });
    message[21 + 4] = 0x77; // an unknown BSON element type
    await expectClosedWithLog(message, /invalid BSON|BSON/);
  });

  it('closes on a truncated header followed by the client leaving', async () => {
    const raw = await connectRaw();
    raw.send(Buffer.from([40, 0, 0]));
    raw.close();
    await raw.closed;
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
  });

  it('refuses OP_COMPRESSED (never negotiated) and unknown opcodes', async () => {
    await expectClosedWithLog(rawFrame(25, OP_COMPRESSED, Buffer.alloc(9)), /OP_COMPRESSED/);
    await expectClosedWithLog(rawFrame(20, 2002, Buffer.alloc(4)), /unsupported opCode 2002/);
  });

  it('closes on a bad checksum', () => expectClosedWithLog(opMsg(1, { ping: 1, $db: 'admin' }, { checksum: true, corruptChecksum: true }), /checksum/));
});

describe('requests on a raw socket', () => {
  it('answers the legacy OP_QUERY handshake with OP_REPLY', async () => {
    const raw = await connectRaw();
    raw.send(opQuery(11, 'admin.$cmd', { isMaster: 1, helloOk: true }));
    const reply = await raw.next();
    expect(reply.opCode).toBe(OP_REPLY);
    expect(reply.responseTo).toBe(11);
    expect(reply.doc).toMatchObject({ ismaster: true, helloOk: true, maxWireVersion: 21, ok: 1 });
    raw.send(opQuery(12, 'admin.$cmd', { $query: { hello: 1 } }));
    expect((await raw.next()).doc.isWritablePrimary).toBe(true);
    raw.close();
  });

  it('refuses other OP_QUERY commands with 352', async () => {
    const raw = await connectRaw();
    raw.send(opQuery(13, 'test.$cmd', { find: 'x' }));
    const reply = await raw.next();
    expect(reply.doc).toMatchObject({ ok: 0, code: 352 });
    expect(reply.flagBits & 2).toBe(2);
    raw.close();
  });

  it('answers OP_MSG with a checksum, and merges document sequences into the command', async () => {
    const raw = await connectRaw();
    raw.send(opMsg(21, { insert: 'seq', $db: wire }, { checksum: true, sequences: { documents: [{ _id: 1 }, { _id: 2 }] } }));
    const reply = await raw.next();
    expect(reply.responseTo).toBe(21);
    expect(reply.doc).toEqual({ n: 2, ok: 1 });
    raw.close();
  });

  it('sends no reply for moreToCome, yet applies the write before later commands', async () => {
    const raw = await connectRaw();
    raw.send(opMsg(31, { insert: 'quiet', $db: wire, documents: [{ _id: 'q' }] }, { flags: 2 }));
    raw.send(opMsg(32, { find: 'quiet', $db: wire, filter: {} }));
    const reply = await raw.next();
    expect(reply.responseTo).toBe(32);
    expect(reply.doc.cursor.firstBatch).toEqual([{ _id: 'q' }]);
    raw.close();
  });

  it('requires $db on OP_MSG commands', async () => {
    const raw = await connectRaw();
    raw.send(opMsg(41, { ping: 1 }));
    expect((await raw.next()).doc).toMatchObject({ ok: 0, code: 40571 });
    raw.close();
  });

  it('answers errors as ok: 0 documents without closing', async () => {
    const raw = await connectRaw();
    raw.send(opMsg(51, { nope: 1, $db: 'admin' }));
    expect((await raw.next()).doc.code).toBe(59);
    raw.send(opMsg(52, { ping: 1, $db: 'admin' }));
    expect((await raw.next()).doc).toEqual({ ok: 1 });
    raw.close();
  });

  it('answers a document over 16 MiB with a write error and keeps the connection', async () => {
    const raw = await connectRaw();
    const huge = { _id: 'huge', blob: 'z'.repeat(17 * 1024 * 1024) };
    raw.send(opMsg(71, { insert: 'huge', $db: wire }, { sequences: { documents: [huge, { _id: 'small' }] } }));
    const reply = await raw.next();
    expect(reply.doc.n).toBe(0);
    expect(reply.doc.writeErrors[0]).toMatchObject({ index: 0, code: 2 });
    expect(reply.doc.writeErrors[0].errmsg).toMatch(/too large/);
    raw.send(opMsg(72, { ping: 1, $db: 'admin' }));
    expect((await raw.next()).doc.ok).toBe(1);
    raw.close();
  });

  it('keeps BSON bytes of stored documents in replies', async () => {
    const raw = await connectRaw();
    const doc = { _id: 5, d: 1.0, s: 'x' };
    raw.send(opMsg(61, { insert: 'bytes', $db: wire }, { sequences: { documents: [doc] } }));
    await raw.next();
    raw.send(opMsg(62, { find: 'bytes', $db: wire, filter: { _id: 5 } }));
    const reply = await raw.next();
    expect(Buffer.from(BSON.serialize(reply.doc.cursor.firstBatch[0]))).toEqual(Buffer.from(BSON.serialize(doc)));
    raw.close();
  });
});
