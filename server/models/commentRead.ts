import { Schema, type Connection } from 'mongoose';

/** How far a person has read a proposal's comments: everything created after `readAt` is unread. */
const commentReadSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    readAt: { type: Date, required: true },
  },
  { collection: 'commentReads', versionKey: false },
);
commentReadSchema.index({ userId: 1, proposalId: 1 }, { unique: true });
commentReadSchema.index({ userId: 1, callId: 1 });

export function commentReadModel(connection: Connection) {
  return connection.model('CommentRead', commentReadSchema);
}
export type CommentReadModel = ReturnType<typeof commentReadModel>;
