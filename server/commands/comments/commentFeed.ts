import { EventEmitter } from 'node:events';
import type { CommentDto } from '../../../shared/schemas/comment.js';
import type { Models } from '../../models/index.js';

/** A comment was written or changed (edited, deleted, resolved, reopened). */
export interface CommentFeedEvent {
  type: 'created' | 'updated';
  comment: CommentDto;
  /** Published on another process and forwarded here (REDIS_URL): not to be forwarded again. */
  fromPeer?: boolean;
}

/** The domain events of comment commands, which the socket layer delivers live. */
export interface CommentFeed {
  publish(event: CommentFeedEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: CommentFeedEvent) => void): () => void;
}

// One feed per running server, keyed by its models (each server, test servers included, has its
// own), so REST routes and the socket layer meet without a global and without widening the
// HTTP app's dependencies.
const feeds = new WeakMap<Models, CommentFeed>();

/** The comment feed of the server that owns `models`. */
export function commentFeed(models: Models): CommentFeed {
  let feed = feeds.get(models);
  if (!feed) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    feed = {
      publish: (event) => void emitter.emit('comment', event),
      subscribe(listener) {
        emitter.on('comment', listener);
        return () => void emitter.off('comment', listener);
      },
    };
    feeds.set(models, feed);
  }
  return feed;
}
