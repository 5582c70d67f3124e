import { MAX_DOCUMENT_BYTES, MAX_FRAME_BYTES } from '../../shared/collab.js';

/** Tunables of the collaboration server; tests shorten the timings. */
export interface CollabLimits {
  /** Largest accepted frame; larger ones close the connection with `frameTooLarge`. */
  maxFrameBytes: number;
  /** Largest encoded document; an edit growing it further closes the connection with `documentTooLarge`. */
  maxDocumentBytes: number;
  /** Updates are stored at most this long after they were applied (one batch per document). */
  saveDelayMs: number;
  /**
   * Compact into a snapshot once more than this many updates are stored after the last snapshot,
   * counted as stored (a save merges its updates into one) since loading applies each of those.
   */
  compactAfterUpdates: number;
  /** ... or once the stored updates after the last snapshot exceed this many bytes. */
  compactAfterBytes: number;
  /** First retry delay after a failed save; doubles per failure up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long `close()` keeps retrying failed saves before giving up (loudly). */
  shutdownFlushMs: number;
  /** Bytes a connection may send before its document has loaded (they are queued meanwhile). */
  maxQueuedBytes: number;
  /** Bytes waiting to be sent to one connection before it is closed as too slow. */
  maxBufferedBytes: number;
  /** Every connection's access is re-checked this often (sign-off, phase change, conflict, sign-out). 0 disables. */
  revalidateMs: number;
}

/** Production values (the numbers). */
export const DEFAULT_COLLAB_LIMITS: Readonly<CollabLimits> = Object.freeze({
  maxFrameBytes: MAX_FRAME_BYTES,
  maxDocumentBytes: MAX_DOCUMENT_BYTES,
  saveDelayMs: 500,
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  retryBaseMs: 250,
  retryMaxMs: 30_000,
  shutdownFlushMs: 10_000,
  maxQueuedBytes: 4 * MAX_FRAME_BYTES,
  maxBufferedBytes: 4 * MAX_DOCUMENT_BYTES,
  revalidateMs: 60_000,
});

/** Defaults overridden by `overrides`. */
export function collabLimits(overrides: Partial<CollabLimits> = {}): CollabLimits {
  return { ...DEFAULT_COLLAB_LIMITS, ...overrides };
}
