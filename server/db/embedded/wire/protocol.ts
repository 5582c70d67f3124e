import { BSON, type Document } from 'bson';

/**
 * Constants and header helpers of MongoDB's wire protocol, as the embedded server speaks it.
 * Every message starts with a 16-byte header: messageLength, requestID, responseTo, opCode
 * (little-endian int32s).
 */

/** Opcodes the server understands or answers with. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** Bytes in a message header. */
export const HEADER_SIZE = 16;

/** The limits the server advertises in hello; requests beyond them are refused. */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;

/** OP_MSG flag bits. */
export const MSG_CHECKSUM_PRESENT = 1 << 0;
export const MSG_MORE_TO_COME = 1 << 1;
export const MSG_EXHAUST_ALLOWED = 1 << 16;
/** Bits 0-15 are "required": a receiver must fail on ones it does not know. */
export const MSG_KNOWN_REQUIRED_BITS = MSG_CHECKSUM_PRESENT | MSG_MORE_TO_COME;

/** The fixed header every wire-protocol message starts with. */
export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** Reads the header at the start of `buf` (which must hold at least 16 bytes). */
export function readHeader(buf: Buffer): MessageHeader {
  return {
    messageLength: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** Writes a header into the first 16 bytes of `buf`, using `buf.length` as messageLength. */
export function writeHeader(buf: Buffer, requestId: number, responseTo: number, opCode: number): void {
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
}

/**
 * A message that cannot be understood. The connection that sent it is closed (and the
 * reason logged); other connections are unaffected.
 */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Raised by the command layer when the connection must be dropped without a reply (test fail points). */
export class CloseConnection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloseConnection';
  }
}

/** BSON-encodes a document as a Node Buffer (bson's typings promise only a Uint8Array). */
export function encodeBson(doc: Document): Buffer {
  const bytes = BSON.serialize(doc);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
