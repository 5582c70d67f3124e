import type { Logger } from 'pino';
import { WebSocket, type RawData } from 'ws';
import { COLLAB_CLOSE_CODES, type CollabCloseCode } from '../../shared/collab.js';
import type { ConnectionGrant } from './access.js';
import type { CollabLimits } from './limits.js';

/** What a connection hands its frames to once its document is loaded. */
export interface FrameHandler {
  handleFrame(connection: Connection, frame: Uint8Array): void;
}

/** What a connection needs from the server. */
export interface ConnectionDeps {
  logger: Logger;
  limits: Pick<CollabLimits, 'maxFrameBytes' | 'maxQueuedBytes' | 'maxBufferedBytes'>;
  /** Called once when the connection ends, whoever ended it. */
  onClose(connection: Connection): void;
}

/** A frame that cannot be decoded (truncated, bad length, unknown type). Closes that connection only. */
export class MalformedFrameError extends Error {
  override name = 'MalformedFrameError';
}

/** An edit that would grow the document beyond the limit. */
export class DocumentTooLargeError extends Error {
  override name = 'DocumentTooLargeError';
}

const SEND_BINARY = { binary: true } as const;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/**
 * One person's websocket on one document. Frames arriving before the document has loaded are
 * queued (so a client's SyncStep1 is answered from the stored state, never from an empty document);
 * a frame that breaks the protocol or the limits closes this connection only, with a shared close code.
 */
export class Connection {
  /** Awareness client ids this connection introduced (removed for everyone when it closes). */
  readonly awarenessIds = new Set<number>();
  /** Updates sent by a read-only connection and dropped. */
  droppedUpdates = 0;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private handler: FrameHandler | null = null;
  private closed = false;
  readonly logger: Logger;

  constructor(
    private readonly ws: WebSocket,
    public grant: ConnectionGrant,
    private readonly deps: ConnectionDeps,
  ) {
    this.logger = deps.logger.child({ docName: grant.docName, userId: grant.user.id });
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('close', () => this.ended());
    ws.on('error', (error) => {
      this.logger.debug({ err: error }, 'collab: websocket error');
      this.ended();
    });
  }

  get docName(): string {
    return this.grant.docName;
  }

  get readOnly(): boolean {
    return this.grant.readOnly;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts handing frames to the document, the queued ones first. */
  attach(handler: FrameHandler): void {
    if (this.closed) return;
    this.handler = handler;
    const queued = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const frame of queued) {
      if (this.closed) return;
      this.process(frame);
    }
  }

  /** Sends one protocol message; closes the connection when the peer does not keep up. */
  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount + message.length > this.deps.limits.maxBufferedBytes) {
      this.close(COLLAB_CLOSE_CODES.slowConsumer, 'too slow to receive updates');
      return;
    }
    // No per-send callback (a closure per message on the hot path): a failed write surfaces as the
    // websocket's 'error' event, which ends the connection.
    this.ws.send(message, SEND_BINARY);
  }

  /** Closes with a shared code; the connection leaves its document at once. */
  close(code: CollabCloseCode, reason: string): void {
    if (this.closed) return;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    this.ended();
  }

  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    if (this.droppedUpdates > 0) this.logger.warn({ droppedUpdates: this.droppedUpdates }, 'collab: read-only connection closed; its edits were dropped');
    this.deps.onClose(this);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const frame = toBytes(data);
    if (!isBinary) {
      this.logger.warn('collab: text frame refused');
      this.close(COLLAB_CLOSE_CODES.malformedFrame, 'binary frames only');
      return;
    }
    if (frame.length > this.deps.limits.maxFrameBytes) {
      this.logger.warn({ bytes: frame.length }, 'collab: frame too large');
      this.close(COLLAB_CLOSE_CODES.frameTooLarge, 'frame too large');
      return;
    }
    if (!this.handler) {
      this.queuedBytes += frame.length;
      if (this.queuedBytes > this.deps.limits.maxQueuedBytes) {
        this.close(COLLAB_CLOSE_CODES.frameTooLarge, 'too much sent before the document loaded');
        return;
      }
      this.queue.push(frame);
      return;
    }
    this.process(frame);
  }

  private process(frame: Uint8Array): void {
    try {
      this.handler!.handleFrame(this, frame);
    } catch (error) {
      if (error instanceof DocumentTooLargeError) {
        this.logger.warn({ err: error }, 'collab: edit refused, document too large');
        this.close(COLLAB_CLOSE_CODES.documentTooLarge, 'document too large');
      } else {
        // Everything a frame handler does is decoding or applying what the client sent.
        this.logger.warn({ err: error, bytes: frame.length }, 'collab: malformed frame');
        this.close(COLLAB_CLOSE_CODES.malformedFrame, 'malformed frame');
      }
    }
  }
}
