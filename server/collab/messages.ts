import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { COLLAB_MESSAGE } from '../../shared/collab.js';
import { guardAwarenessUpdate } from './awarenessGuard.js';
import { MalformedFrameError, type Connection } from './connection.js';
import type { CollabDocument } from './document.js';

/**
 * The message switch of the y-websocket protocol, server side. It does not use y-protocols'
 * `readSyncMessage` for incoming edits: that applies every update unconditionally and swallows
 * errors into console.error, while we must drop read-only connections' edits, check the document
 * size first, and close a connection whose update does not decode.
 * @throws MalformedFrameError (or a decoding error) for frames that break the protocol;
 *   DocumentTooLargeError from `CollabDocument.applyEdit`.
 */
export function handleFrame(document: CollabDocument, connection: Connection, frame: Uint8Array): void {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case COLLAB_MESSAGE.sync:
      handleSync(document, connection, decoder);
      return;
    case COLLAB_MESSAGE.awareness: {
      const update = guardAwarenessUpdate(decoding.readVarUint8Array(decoder), connection.grant, (id) => document.awarenessOwnedByOther(id, connection));
      awarenessProtocol.applyAwarenessUpdate(document.awareness, update, connection);
      return;
    }
    case COLLAB_MESSAGE.queryAwareness:
      connection.send(awarenessMessage(document.awareness, [...document.awareness.getStates().keys()]));
      return;
    default:
      // Including `auth`: only the server sends those.
      throw new MalformedFrameError(`unknown message type ${type}`);
  }
}

/**
 * Whether a dropped update of a read-only connection was an edit worth logging: every live update
 * (type 2) is one; a SyncStep2 is one only if it carries structs the server lacks (a client always
 * answers the server's SyncStep1, usually with nothing new but the document's delete set).
 */
function isRealEdit(doc: Y.Doc, syncType: number, update: Uint8Array): boolean {
  if (syncType === syncProtocol.messageYjsUpdate) return true;
  const { to } = Y.parseUpdateMeta(update);
  const known = Y.encodeStateVector(doc);
  const serverClocks = Y.decodeStateVector(known);
  for (const [client, clock] of to) if (clock > (serverClocks.get(client) ?? 0)) return true;
  return false;
}

function handleSync(document: CollabDocument, connection: Connection, decoder: decoding.Decoder): void {
  const syncType = decoding.readVarUint(decoder);
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1: {
      const stateVector = decoding.readVarUint8Array(decoder);
      // Throws on a malformed state vector before we encode anything.
      Y.decodeStateVector(stateVector);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, COLLAB_MESSAGE.sync);
      syncProtocol.writeSyncStep2(encoder, document.doc, stateVector);
      connection.send(encoding.toUint8Array(encoder));
      return;
    }
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate: {
      const update = decoding.readVarUint8Array(decoder);
      if (connection.readOnly) {
        if (isRealEdit(document.doc, syncType, update)) {
          connection.droppedUpdates += 1;
          if (connection.droppedUpdates === 1) connection.logger.warn({ bytes: update.length }, 'collab: edit from a read-only connection dropped');
          else connection.logger.debug({ bytes: update.length, dropped: connection.droppedUpdates }, 'collab: edit from a read-only connection dropped');
        }
        return;
      }
      document.applyEdit(update, connection);
      return;
    }
    default:
      throw new MalformedFrameError(`unknown sync message type ${syncType}`);
  }
}

/** A sync message carrying an update (what the server broadcasts for every change). */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, COLLAB_MESSAGE.sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The server's SyncStep1 (its state vector), sent when a connection joins. */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, COLLAB_MESSAGE.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** An awareness message with the states of `clients`. */
export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, COLLAB_MESSAGE.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}
