import type { Document } from 'bson';
import { crc32c } from './crc32c.js';
import {
  HEADER_SIZE,
  MSG_CHECKSUM_PRESENT,
  MSG_KNOWN_REQUIRED_BITS,
  MSG_MORE_TO_COME,
  OP_MSG,
  ProtocolError,
  encodeBson,
  writeHeader,
} from './protocol.js';

/** A decoded OP_MSG request. The body is not deserialized here: the command layer decides how. */
export interface OpMsgRequest {
  requestId: number;
  flagBits: number;
  /** The client does not want a reply (unacknowledged write). */
  moreToCome: boolean;
  /** The kind-0 section's BSON bytes. */
  body: Buffer;
  /** Kind-1 document sequences: identifier -> each document's BSON bytes. */
  sequences: Map<string, Buffer[]>;
}

/**
 * Decodes an OP_MSG (header included). Verifies the CRC-32C when present and checks every
 * section's framing; throws ProtocolError on anything malformed.
 */
export function decodeOpMsg(message: Buffer, requestId: number): OpMsgRequest {
  if (message.length < HEADER_SIZE + 5) throw new ProtocolError('OP_MSG too short');
  const flagBits = message.readUInt32LE(HEADER_SIZE);
  const unknownRequired = flagBits & 0xffff & ~MSG_KNOWN_REQUIRED_BITS;
  if (unknownRequired !== 0) throw new ProtocolError(`unsupported OP_MSG required flag bits 0x${unknownRequired.toString(16)}`);
  let end = message.length;
  if (flagBits & MSG_CHECKSUM_PRESENT) {
    end -= 4;
    if (end < HEADER_SIZE + 5) throw new ProtocolError('OP_MSG too short for its checksum');
    const expected = message.readUInt32LE(end);
    if (crc32c(message.subarray(0, end)) !== expected) throw new ProtocolError('OP_MSG checksum mismatch');
  }
  let body: Buffer | undefined;
  const sequences = new Map<string, Buffer[]>();
  let pos = HEADER_SIZE + 4;
  while (pos < end) {
    const kind = message[pos++];
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has more than one body section');
      body = sliceDocument(message, pos, end);
      pos += body.length;
    } else if (kind === 1) {
      if (pos + 4 > end) throw new ProtocolError('truncated OP_MSG document sequence');
      const size = message.readInt32LE(pos);
      const sectionEnd = pos + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError('invalid OP_MSG document sequence size');
      const nul = message.indexOf(0, pos + 4);
      if (nul < 0 || nul >= sectionEnd) throw new ProtocolError('unterminated OP_MSG sequence identifier');
      const identifier = message.toString('utf8', pos + 4, nul);
      const docs: Buffer[] = sequences.get(identifier) ?? [];
      let at = nul + 1;
      while (at < sectionEnd) {
        const doc = sliceDocument(message, at, sectionEnd);
        docs.push(doc);
        at += doc.length;
      }
      sequences.set(identifier, docs);
      pos = sectionEnd;
    } else {
      throw new ProtocolError(`unsupported OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG has no body section');
  return { requestId, flagBits, moreToCome: (flagBits & MSG_MORE_TO_COME) !== 0, body, sequences };
}

/** Returns the BSON document starting at `pos`, checking its length prefix and terminator. */
export function sliceDocument(buf: Buffer, pos: number, limit: number): Buffer {
  if (pos + 5 > limit) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(pos);
  if (size < 5 || pos + size > limit) throw new ProtocolError(`invalid BSON document size ${size}`);
  if (buf[pos + size - 1] !== 0) throw new ProtocolError('BSON document is not terminated');
  return buf.subarray(pos, pos + size);
}

/**
 * Encodes an OP_MSG reply with a single body section. `body` is either a document to
 * serialize or bytes already encoded (cursor batches built around stored raw documents).
 */
export function encodeOpMsg(requestId: number, responseTo: number, body: Document | Buffer): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : encodeBson(body);
  const out = Buffer.allocUnsafe(HEADER_SIZE + 5 + bytes.length);
  writeHeader(out, requestId, responseTo, OP_MSG);
  out.writeUInt32LE(0, HEADER_SIZE);
  out[HEADER_SIZE + 4] = 0;
  bytes.copy(out, HEADER_SIZE + 5);
  return out;
}
