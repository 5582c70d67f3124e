import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/**
 * A comment on a proposal. A thread is its first comment (`threadId` null) and the replies that
 * name it; replies copy the thread's visibility and agency so every read filters on one document.
 * Edits push the previous body into `history`; deletion is soft (`deletedAt`), keeping the history.
 */
const commentSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    threadId: { type: Schema.Types.ObjectId, default: null },
    /** Opaque base64 pair of Yjs relative positions in the consensus report; null for proposal threads. */
    anchor: { type: String, default: null },
    authorId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    body: { type: String, default: '' },
    mentions: [{ type: Schema.Types.ObjectId }],
    visibility: { type: String, enum: ['panel', 'agency'], required: true },
    agency: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
    resolvedBy: { type: Schema.Types.ObjectId, default: null },
    history: [{ _id: false, body: { type: String, required: true }, replacedAt: { type: Date, required: true } }],
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
  },
  { collection: 'comments', versionKey: false },
);
commentSchema.index({ proposalId: 1, createdAt: 1 });
commentSchema.index({ callId: 1, createdAt: 1 });

export type CommentRecord = InferSchemaType<typeof commentSchema> & { _id: Types.ObjectId };

export function commentModel(connection: Connection) {
  return connection.model('Comment', commentSchema);
}
export type CommentModel = ReturnType<typeof commentModel>;
