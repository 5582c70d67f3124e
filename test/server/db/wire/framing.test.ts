import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../server/db/embedded/wire/crc32c.js';
import { MessageFramer } from '../../../../server/db/embedded/wire/framer.js';
import { decodeOpMsg, encodeOpMsg } from '../../../../server/db/embedded/wire/opMsg.js';
import { decodeOpQuery } from '../../../../server/db/embedded/wire/opQuery.js';
import { OP_MSG, ProtocolError } from '../../../../server/db/embedded/wire/protocol.js';
import { opMsg, opQuery, rawFrame } from './rawClient.js';
import { againstRealMongo } from '../commands/harness.js';

// Unit tests of our wire codec (no server involved), so TEST_MONGODB_URI runs skip them.

describe.skipIf(againstRealMongo)('CRC-32C', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });
});

describe.skipIf(againstRealMongo)('message framing', () => {
  it('reassembles messages split at any byte and splits coalesced ones', () => {
    const a = opMsg(1, { ping: 1, $db: 'admin' });
    const b = opMsg(2, { hello: 1, $db: 'admin' });
    const stream = Buffer.concat([a, b]);
    for (const cut of [1, 3, 4, 15, 16, a.length - 1, a.length, a.length + 2]) {
      const framer = new MessageFramer();
      const out = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      expect(out.map((m) => m.readInt32LE(4))).toEqual([1, 2]);
      expect(framer.pendingBytes).toBe(0);
    }
  });

  it('rejects lengths below 16 or above 48,000,000', () => {
    expect(() => new MessageFramer().push(rawFrame(15, OP_MSG))).toThrow(ProtocolError);
    expect(() => new MessageFramer().push(rawFrame(48_000_001, OP_MSG))).toThrow(ProtocolError);
    expect(new MessageFramer().push(rawFrame(48_000_000, OP_MSG))).toEqual([]);
  });
});

describe.skipIf(againstRealMongo)('OP_MSG decoding', () => {
  it('reads the body and kind-1 document sequences', () => {
    const message = opMsg(7, { insert: 'c', $db: 'd' }, { sequences: { documents: [{ a: 1 }, { a: 2 }] } });
    const decoded = decodeOpMsg(message, 7);
    expect(BSON.deserialize(decoded.body)).toEqual({ insert: 'c', $db: 'd' });
    expect(decoded.sequences.get('documents')?.map((d) => BSON.deserialize(d))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(decoded.moreToCome).toBe(false);
  });

  it('verifies a present checksum and reports moreToCome', () => {
    expect(decodeOpMsg(opMsg(1, { ping: 1 }, { checksum: true, flags: 2 }), 1).moreToCome).toBe(true);
    expect(() => decodeOpMsg(opMsg(1, { ping: 1 }, { checksum: true, corruptChecksum: true }), 1)).toThrow(/checksum/);
  });

  it('rejects unknown required flag bits, missing bodies and bad section kinds', () => {
    expect(() => decodeOpMsg(opMsg(1, { ping: 1 }, { flags: 4 }), 1)).toThrow(/flag/);
    const noBody = rawFrame(21, OP_MSG, Buffer.from([0, 0, 0, 0, 9]));
    expect(() => decodeOpMsg(noBody, 1)).toThrow(ProtocolError);
  });

  it('rejects a document whose length runs past the message', () => {
    const message = opMsg(1, { ping: 1 });
    message.writeInt32LE(9999, 21);
    expect(() => decodeOpMsg(message, 1)).toThrow(/BSON document size/);
  });

  it('encodes replies that decode back', () => {
    const reply = encodeOpMsg(5, 7, { ok: 1 });
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.readInt32LE(8)).toBe(7);
    expect(BSON.deserialize(decodeOpMsg(reply, 5).body)).toEqual({ ok: 1 });
  });
});

describe.skipIf(againstRealMongo)('OP_QUERY decoding', () => {
  it('reads the namespace and query', () => {
    const decoded = decodeOpQuery(opQuery(3, 'admin.$cmd', { isMaster: 1 }), 3);
    expect(decoded.fullCollectionName).toBe('admin.$cmd');
    expect(BSON.deserialize(decoded.query)).toEqual({ isMaster: 1 });
  });
});
