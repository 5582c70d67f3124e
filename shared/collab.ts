/**
 * The collaboration protocol as client and server both see it: where to connect, how documents are
 * named, the limits the server enforces and the close codes it uses to say why it closed a connection.
 *
 * Close codes live in the private range 4000–4999. Following y-websocket's convention, 44xx mean
 * "reconnecting cannot help" (the provider stops and emits `closed`); 45xx mean "try again later"
 * (the provider reconnects with backoff).
 */

/** Path prefix of collaboration websockets: `/collab/<docName>`. */
export const COLLAB_PATH = '/collab';

/** Largest websocket frame the server accepts (a larger one closes the connection with `frameTooLarge`). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Largest encoded document the server keeps; an edit that would grow it further closes with `documentTooLarge`. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Why the server closed a collaboration connection. */
export const COLLAB_CLOSE_CODES = {
  /** A frame could not be decoded: truncated, bad length, text instead of binary, unknown message type. */
  malformedFrame: 4400,
  /** No valid session cookie. */
  unauthenticated: 4401,
  /** Signed in, but not allowed to read this document (e.g. cross-site origin). */
  forbidden: 4403,
  /** No such document, or one the person may not know about (non-members, conflicted people). */
  notFound: 4404,
  /** A frame larger than `MAX_FRAME_BYTES`. */
  frameTooLarge: 4413,
  /** The edit would grow the document beyond `MAX_DOCUMENT_BYTES`. */
  documentTooLarge: 4414,
  /** The connection could not keep up with what the server had to send it; reconnecting resyncs it. */
  slowConsumer: 4529,
  /** Something failed on the server (e.g. the document could not be loaded); reconnect later. */
  internal: 4500,
  /**
   * The person's write access changed while connected (every agency signed off, or a sign-off was
   * voided): reconnect at once for a connection with the new access, and ask again what you may do.
   */
  accessChanged: 4509,
  /** The server is shutting down or restarting; reconnect later. */
  shuttingDown: 4503,
} as const;
export type CollabCloseCode = (typeof COLLAB_CLOSE_CODES)[keyof typeof COLLAB_CLOSE_CODES];

/** Top-level message types of the y-websocket protocol (first varuint of every frame). */
export const COLLAB_MESSAGE = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

const REPORT_DOC = /^report:([0-9a-f]{24})$/;

/** A parsed document name. Only consensus reports are collaborative today. */
export type CollabDocName = { kind: 'report'; proposalId: string };

/** The collaborative document of one proposal's consensus report. */
export function reportDocName(proposalId: string): string {
  return `report:${proposalId}`;
}

/** Parses `report:<proposalId>`; null for anything else. */
export function parseCollabDocName(name: string): CollabDocName | null {
  const match = REPORT_DOC.exec(name);
  return match ? { kind: 'report', proposalId: match[1] } : null;
}
