import { Schema, type Connection } from 'mongoose';

/** One fixed window of attempts per key (e.g. `login:ip:127.0.0.1`), updated atomically. */
const rateLimitSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    resetAt: { type: Date, required: true },
  },
  { collection: 'rateLimits', versionKey: false },
);
rateLimitSchema.index({ resetAt: 1 }, { expireAfterSeconds: 3600 });

export interface RateLimitRecord {
  _id: string;
  count: number;
  resetAt: Date;
}

export function rateLimitModel(connection: Connection) {
  return connection.model('RateLimit', rateLimitSchema);
}

export type RateLimitModel = ReturnType<typeof rateLimitModel>;
