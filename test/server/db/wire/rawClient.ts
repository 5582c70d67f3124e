import net from 'node:net';
import { BSON, type Document } from 'bson';
import { crc32c } from '../../../../server/db/embedded/wire/crc32c.js';
import { MessageFramer } from '../../../../server/db/embedded/wire/framer.js';
import { OP_MSG, OP_QUERY, readHeader } from '../../../../server/db/embedded/wire/protocol.js';

/** A reply read off a raw socket. */
export interface RawReply {
  responseTo: number;
  opCode: number;
  flagBits: number;
  doc: Document;
}

/** A bare TCP client for wire-protocol tests: sends hand-built frames, reads decoded replies. */
export class RawClient {
  readonly closed: Promise<void>;
  private readonly framer = new MessageFramer();
  private readonly replies: RawReply[] = [];
  private waiters: Array<(reply: RawReply) => void> = [];

  private constructor(private readonly socket: net.Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      for (const message of this.framer.push(chunk)) this.deliver(decodeReply(message));
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves with the next reply (rejects if the socket closes first). */
  next(): Promise<RawReply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      void this.closed.then(() => reject(new Error('socket closed before a reply')));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private deliver(reply: RawReply): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(reply);
    else this.replies.push(reply);
  }
}

function decodeReply(message: Buffer): RawReply {
  const header = readHeader(message);
  if (header.opCode === OP_MSG) {
    return { responseTo: header.responseTo, opCode: header.opCode, flagBits: message.readUInt32LE(16), doc: BSON.deserialize(message.subarray(21)) };
  }
  return { responseTo: header.responseTo, opCode: header.opCode, flagBits: message.readInt32LE(16), doc: BSON.deserialize(message.subarray(36)) };
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(0, 8);
  out.writeInt32LE(opCode, 12);
  return out;
}

/** Builds an OP_MSG: a body section, optional kind-1 sequences, flag bits and checksum. */
export function opMsg(
  requestId: number,
  body: Document,
  options: { flags?: number; sequences?: Record<string, Document[]>; checksum?: boolean; corruptChecksum?: boolean } = {},
): Buffer {
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [identifier, docs] of Object.entries(options.sequences ?? {})) {
    const payload = Buffer.concat([Buffer.from(`${identifier}\0`), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    sections.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((options.flags ?? 0) | (options.checksum ? 1 : 0));
  const content = Buffer.concat([flags, ...sections]);
  const length = 16 + content.length + (options.checksum ? 4 : 0);
  const message = Buffer.concat([header(length, requestId, OP_MSG), content]);
  if (!options.checksum) return message;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE((crc32c(message) ^ (options.corruptChecksum ? 1 : 0)) >>> 0);
  return Buffer.concat([message, crc]);
}

/** Builds a legacy OP_QUERY on `ns`. */
export function opQuery(requestId: number, ns: string, query: Document): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from(`${ns}\0`), Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), Buffer.from(BSON.serialize(query))]);
  return Buffer.concat([header(16 + body.length, requestId, OP_QUERY), body]);
}

/** A raw header announcing `length` bytes with the given opCode, plus optional payload. */
export function rawFrame(length: number, opCode: number, payload: Buffer = Buffer.alloc(0), requestId = 1): Buffer {
  return Buffer.concat([header(length, requestId, opCode), payload]);
}
