import { Schema, type Connection } from 'mongoose';

/**
 * The panel's agreed scores on one proposal (one document per proposal): per criterion a score,
 * a rationale (en/ja) and the minority views of agency sides, plus summary and recommendation.
 * `criteria` is keyed by criterion key, as the API sends it. `version` is optimistic concurrency.
 */
const consensusSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    /** criterion key -> { score, rationale?: {en?, ja?}, minorityViews: [{ agency, text: {en?, ja?} }] } */
    criteria: { type: Schema.Types.Mixed, default: {} },
    summary: { type: Schema.Types.Mixed, default: null },
    recommendation: { type: String, default: null },
    updatedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'consensus', versionKey: false, minimize: false },
);
consensusSchema.index({ proposalId: 1 }, { unique: true });
consensusSchema.index({ callId: 1 });

/** Binds the consensus model to a connection. */
export function consensusModel(connection: Connection) {
  return connection.model('Consensus', consensusSchema);
}
export type ConsensusModel = ReturnType<typeof consensusModel>;
