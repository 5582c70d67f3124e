import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A signed-in session. `_id` is the SHA-256 of the cookie's token, so a leaked database
 * does not leak usable cookies.
 */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    userAgent: { type: String },
    ip: { type: String },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ userId: 1 });
// A real MongoDB removes expired sessions; the lookup also checks expiresAt, so the embedded server need not.
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SessionRecord = InferSchemaType<typeof sessionSchema>;

export function sessionModel(connection: Connection) {
  return connection.model('Session', sessionSchema);
}

export type SessionModel = ReturnType<typeof sessionModel>;
