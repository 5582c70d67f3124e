import { Schema, type Connection } from 'mongoose';

/** One reviewer's individual review of one proposal. Drafts are private and never counted. */
const reviewSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    reviewerId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    agency: { type: String, required: true },
    /** criterion key -> score */
    scores: { type: Schema.Types.Mixed, default: {} },
    /** criterion key -> comment */
    comments: { type: Schema.Types.Mixed, default: {} },
    overallComment: { type: String, default: '' },
    confidence: { type: Number },
    status: { type: String, enum: ['draft', 'submitted'], default: 'draft' },
    submittedAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'reviews', versionKey: false, minimize: false },
);
reviewSchema.index({ proposalId: 1, reviewerId: 1 }, { unique: true });
reviewSchema.index({ callId: 1 });

export function reviewModel(connection: Connection) {
  return connection.model('Review', reviewSchema);
}
export type ReviewModel = ReturnType<typeof reviewModel>;
