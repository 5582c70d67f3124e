import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from 'pino';
import type { DocumentRelay } from '../collab/document.js';
import type { DocumentRegistry } from '../collab/registry.js';
import type { GodoRedis } from './redisClient.js';

/** Channel of one document's changes; every process listens to the pattern of all of them. */
const CHANNEL_PREFIX = 'godo:collab:';
const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
/** "I just loaded this document, here is my state vector": peers answer with what it lacks. */
const KIND_SYNC_REQUEST = 2;

/**
 * Yjs updates and awareness between processes, over Redis pub/sub (one channel per document).
 *
 * - Every update a document applies on this process (a client's edit, the server's edit marks, a
 *   restore) is published with this process's instance id; a process ignores its own messages.
 * - A process applies another's update only if it has the document in memory (loaded, or loading:
 *   then it waits in the document until the load is done, so nothing published during the load is
 *   lost); it forwards it to its own connections. A process without the document loads it from
 *   MongoDB when a client opens it, as with one process.
 * - Storage: the process whose client made an update stores it (its save queue, as with one
 *   process); relayed updates are not queued, so the normal case writes each update once. A process
 *   that applied relayed updates stores its whole state once before it unloads the document or shuts
 *   down. That covers an update whose own process died before storing it (its clients, reconnecting
 *   here, resend nothing new because this process already has it). Clients also keep every update
 *   and resend what a freshly loaded process lacks, so an update is lost only if every process that
 *   held it and every client that held it died.
 */
export interface CollabRelay {
  /** What documents publish through (pass to createCollabServer before attaching). */
  relay: DocumentRelay;
  /** The subscription is up (false before `attach`, during a Redis outage and after `close`). */
  readonly subscribed: boolean;
  /** Starts delivering other processes' changes to the registry's documents. */
  attach(registry: DocumentRegistry): Promise<void>;
  /** Unsubscribes; publishing stops too. */
  close(): Promise<void>;
}

/**
 * Creates the relay over two Redis connections (`publisher` for commands, a duplicate for the
 * subscription, since a subscribed Redis connection cannot publish).
 */
export function createCollabRelay(publisher: GodoRedis, instanceId: string, logger: Logger): CollabRelay {
  let subscriber: GodoRedis | null = null;
  let closed = false;

  let attachedRegistry: DocumentRegistry | null = null;

  function send(docName: string, kind: number, payload: Uint8Array): void {
    // While Redis is away nothing is queued (node-redis would hold every update in memory for as
    // long as the outage lasts): the documents catch up by state vector once both ends are back.
    if (closed || !publisher.isReady) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, instanceId);
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarUint8Array(encoder, payload);
    publisher
      .publish(CHANNEL_PREFIX + docName, Buffer.from(encoding.toUint8Array(encoder)))
      .catch((error: unknown) => logger.warn({ err: error, docName }, 'collab relay: publishing failed'));
  }

  const relay: DocumentRelay = {
    publish: (docName, kind, payload) => send(docName, kind === 'update' ? KIND_UPDATE : KIND_AWARENESS, payload),
  };

  /** Asks the other processes for whatever they hold of every open document that this one lacks. */
  function requestCatchUp(reason: string): void {
    if (!attachedRegistry || closed) return;
    const names = attachedRegistry.names();
    for (const docName of names) {
      const document = attachedRegistry.get(docName);
      if (document) send(docName, KIND_SYNC_REQUEST, Y.encodeStateVector(document.doc));
    }
    if (names.length > 0) logger.info({ documents: names.length, reason }, 'collab relay: asking peers for changes missed');
  }

  function answerSyncRequest(registry: DocumentRegistry, docName: string, stateVector: Uint8Array): void {
    const document = registry.get(docName);
    if (!document) return;
    // The asker may also hold changes this process lacks (both sides edited while Redis was away,
    // and this side's own request went out before the asker listened again): ask back, once it is
    // known to have something new, so the exchange ends as soon as both hold the same.
    if (holdsMore(Y.decodeStateVector(stateVector), Y.decodeStateVector(Y.encodeStateVector(document.doc)))) {
      send(docName, KIND_SYNC_REQUEST, Y.encodeStateVector(document.doc));
    }
    const missing = Y.encodeStateAsUpdate(document.doc, stateVector);
    // An empty update (no structs, no deletions) encodes to two zero bytes: nothing to send.
    if (missing.length > 2) send(docName, KIND_UPDATE, missing);
    const clients = [...document.awareness.getStates().keys()];
    if (clients.length > 0) send(docName, KIND_AWARENESS, awarenessProtocol.encodeAwarenessUpdate(document.awareness, clients));
  }

  return {
    relay,
    get subscribed() {
      return !closed && subscriber !== null && subscriber.isReady;
    },
    async attach(registry) {
      attachedRegistry = registry;
      subscriber = publisher.duplicate();
      subscriber.on('error', (error: unknown) => logger.warn({ err: error }, 'collab relay: subscriber error'));
      await subscriber.connect();
      // After an outage node-redis reconnects and resubscribes by itself; what was published
      // meanwhile is gone (pub/sub keeps nothing), so both connections coming back trigger a catch-up.
      // The one that comes back last finds the other ready and gets the exchange through.
      subscriber.on('ready', () => requestCatchUp('subscriber reconnected'));
      publisher.on('ready', () => requestCatchUp('publisher reconnected'));
      await subscriber.pSubscribe(
        `${CHANNEL_PREFIX}*`,
        (message: Buffer, channel: Buffer) => {
          try {
            const decoder = decoding.createDecoder(new Uint8Array(message));
            if (decoding.readVarString(decoder) === instanceId) return;
            const kind = decoding.readVarUint(decoder);
            const payload = decoding.readVarUint8Array(decoder);
            const docName = channel.toString('utf8').slice(CHANNEL_PREFIX.length);
            if (kind === KIND_SYNC_REQUEST) answerSyncRequest(registry, docName, payload);
            else registry.peek(docName)?.applyRelayed(kind === KIND_UPDATE ? 'update' : 'awareness', payload);
          } catch (error) {
            logger.warn({ err: error }, 'collab relay: unreadable message ignored');
          }
        },
        true,
      );
      registry.on('loaded', (docName) => {
        const document = registry.get(docName);
        if (document) send(docName, KIND_SYNC_REQUEST, Y.encodeStateVector(document.doc));
      });
    },
    async close() {
      closed = true;
      attachedRegistry = null;
      if (!subscriber) return;
      const s = subscriber;
      subscriber = null;
      try {
        await s.close();
      } catch {
        s.destroy();
      }
    },
  };
}

/** True when state vector `theirs` counts an operation that `mine` does not. */
function holdsMore(theirs: Map<number, number>, mine: Map<number, number>): boolean {
  for (const [client, clock] of theirs) if (clock > (mine.get(client) ?? 0)) return true;
  return false;
}
