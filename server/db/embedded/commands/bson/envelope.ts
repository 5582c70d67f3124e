import { Long, type Document } from 'bson';
import { encodeBson } from '../../wire/protocol.js';

/**
 * Builds cursor replies around stored documents' raw bytes, so a batch goes out without
 * deserializing and re-encoding each document:
 * `{ cursor: { <batchKey>: [...raw], id, ns }, ok: 1, ...extra }`.
 */
export function encodeCursorReply(
  ns: string,
  cursorId: bigint,
  batchKey: 'firstBatch' | 'nextBatch',
  docs: Buffer[],
  extra: Document = {},
): Buffer {
  const batch = documentBytes(docs.map((doc, i) => element(0x03, String(i), doc)));
  const idBytes = Buffer.allocUnsafe(8);
  idBytes.writeBigInt64LE(cursorId);
  const cursor = documentBytes([element(0x04, batchKey, batch), element(0x12, 'id', idBytes), element(0x02, 'ns', stringBytes(ns))]);
  const okBytes = Buffer.allocUnsafe(8);
  okBytes.writeDoubleLE(1);
  const extraBytes = Object.keys(extra).length > 0 ? encodeBson(extra) : undefined;
  const parts = [element(0x03, 'cursor', cursor)];
  if (extraBytes) parts.push(extraBytes.subarray(4, extraBytes.length - 1));
  parts.push(element(0x01, 'ok', okBytes));
  return documentBytes(parts);
}

/** Bytes a document adds to a batch array beyond its own size (type, index key, NUL). */
export function batchOverhead(index: number): number {
  return 2 + String(index).length;
}

/** A cursor id as the Long the driver expects. */
export function cursorIdLong(id: bigint): Long {
  return Long.fromBigInt(id);
}

function element(type: number, name: string, value: Buffer): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const out = Buffer.allocUnsafe(1 + nameBytes.length + 1 + value.length);
  out[0] = type;
  nameBytes.copy(out, 1);
  out[1 + nameBytes.length] = 0;
  value.copy(out, 2 + nameBytes.length);
  return out;
}

function stringBytes(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(4 + bytes.length + 1);
  out.writeInt32LE(bytes.length + 1, 0);
  bytes.copy(out, 4);
  out[out.length - 1] = 0;
  return out;
}

function documentBytes(elements: Buffer[]): Buffer {
  const size = 4 + elements.reduce((n, e) => n + e.length, 0) + 1;
  const out = Buffer.allocUnsafe(size);
  out.writeInt32LE(size, 0);
  let pos = 4;
  for (const e of elements) {
    e.copy(out, pos);
    pos += e.length;
  }
  out[pos] = 0;
  return out;
}
