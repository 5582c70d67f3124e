import { HEADER_SIZE, MAX_MESSAGE_SIZE_BYTES, ProtocolError } from './protocol.js';

/**
 * Cuts a TCP byte stream into whole wire-protocol messages. Chunks are kept in a list and
 * joined only when a full message is available, so a large message arriving in many small
 * chunks is copied once.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /**
   * Adds bytes and returns every complete message now available (each including its header).
   * Throws ProtocolError when a header announces a length outside [16, 48,000,000]; the
   * caller must then close the connection, since the stream can no longer be re-synchronised.
   */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE_BYTES) {
        throw new ProtocolError(`invalid messageLength ${length} (must be between ${HEADER_SIZE} and ${MAX_MESSAGE_SIZE_BYTES})`);
      }
      if (this.buffered < length) break;
      messages.push(this.take(length));
    }
    return messages;
  }

  /** Bytes received that do not yet form a whole message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32LE(0);
    const head = Buffer.concat(this.chunks).subarray(0, 4);
    return head.readInt32LE(0);
  }

  private take(length: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const message = all.subarray(0, length);
    const rest = all.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return message;
  }
}
