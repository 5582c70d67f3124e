import type { Document } from 'bson';
import { sliceDocument } from './opMsg.js';
import { encodeBson, HEADER_SIZE, OP_REPLY, ProtocolError, writeHeader } from './protocol.js';

/** A decoded legacy OP_QUERY; only the connection handshake still uses it. */
export interface OpQueryRequest {
  requestId: number;
  flags: number;
  fullCollectionName: string;
  numberToSkip: number;
  numberToReturn: number;
  /** The query document's bytes. */
  query: Buffer;
}

/** Decodes an OP_QUERY (header included); throws ProtocolError when malformed. */
export function decodeOpQuery(message: Buffer, requestId: number): OpQueryRequest {
  let pos = HEADER_SIZE;
  if (message.length < pos + 4 + 1 + 8 + 5) throw new ProtocolError('OP_QUERY too short');
  const flags = message.readInt32LE(pos);
  pos += 4;
  const nul = message.indexOf(0, pos);
  if (nul < 0) throw new ProtocolError('unterminated OP_QUERY collection name');
  const fullCollectionName = message.toString('utf8', pos, nul);
  pos = nul + 1;
  if (pos + 8 > message.length) throw new ProtocolError('truncated OP_QUERY');
  const numberToSkip = message.readInt32LE(pos);
  const numberToReturn = message.readInt32LE(pos + 4);
  pos += 8;
  const query = sliceDocument(message, pos, message.length);
  return { requestId, flags, fullCollectionName, numberToSkip, numberToReturn, query };
}

/** Encodes an OP_REPLY carrying one document (the handshake answer or an error). */
export function encodeOpReply(requestId: number, responseTo: number, doc: Document, queryFailure = false): Buffer {
  const bytes = encodeBson(doc);
  const out = Buffer.alloc(HEADER_SIZE + 20 + bytes.length);
  writeHeader(out, requestId, responseTo, OP_REPLY);
  // responseFlags bit 1 is QueryFailure; bit 3 (AwaitCapable) is always set by modern servers.
  out.writeInt32LE((queryFailure ? 2 : 0) | 8, HEADER_SIZE);
  out.writeBigInt64LE(0n, HEADER_SIZE + 4);
  out.writeInt32LE(0, HEADER_SIZE + 12);
  out.writeInt32LE(1, HEADER_SIZE + 16);
  bytes.copy(out, HEADER_SIZE + 20);
  return out;
}
