import { EventEmitter } from 'node:events';
import type { ReviewSubmittedEvent } from '../../../shared/realtime/reviewSchemas.js';
import type { Models } from '../../models/index.js';
import type { Review } from '../../domain/reviews.js';

/** The domain events of review commands that the socket layer delivers live (`review:submitted`). */
export interface ReviewFeed {
  publish(event: ReviewSubmittedEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ReviewSubmittedEvent) => void): () => void;
}

// One feed per running server, keyed by its models, as commentFeed: commands publish without
// importing the socket layer, and each test server has its own.
const feeds = new WeakMap<Models, ReviewFeed>();

/** The review feed of the server that owns `models`. */
export function reviewFeed(models: Models): ReviewFeed {
  let feed = feeds.get(models);
  if (!feed) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    feed = {
      publish: (event) => void emitter.emit('review', event),
      subscribe(listener) {
        emitter.on('review', listener);
        return () => void emitter.off('review', listener);
      },
    };
    feeds.set(models, feed);
  }
  return feed;
}

/**
 * The criterion keys whose score differs between two versions of a review (every scored key when
 * there was none before). Scores are compared, never sent.
 */
export function changedCriteria(before: Pick<Review, 'scores'> | null, after: Pick<Review, 'scores'>): string[] {
  const keys = new Set([...Object.keys(before?.scores ?? {}), ...Object.keys(after.scores)]);
  return [...keys].filter((key) => before?.scores[key] !== after.scores[key]).sort();
}
