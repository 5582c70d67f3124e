import { Schema, type Connection } from 'mongoose';

/**
 * The joint decision on one proposal and each agency's sign-off of it. A sign-off is bound to the
 * content hash (scores, consensus, decision) its signer saw; a later change voids it (`voidedAt`).
 * `version` counts decision changes; `signOffsVersion` serialises concurrent sign-offs.
 */
const decisionSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    kind: { type: String, enum: ['fund', 'fund_with_conditions', 'reserve', 'reject'], required: true },
    conditions: { type: Schema.Types.Mixed, default: null },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    signOffs: [
      {
        _id: false,
        agency: { type: String, required: true },
        personId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
        role: { type: String, required: true },
        contentHash: { type: String, required: true },
        signedAt: { type: Date, required: true },
        voidedAt: { type: Date, default: null },
        /** What voided it, e.g. `consensus.updated`. */
        voidedBy: { type: String, default: null },
      },
    ],
    version: { type: Number, default: 0 },
    signOffsVersion: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'decisions', versionKey: false, minimize: false },
);
decisionSchema.index({ proposalId: 1 }, { unique: true });
decisionSchema.index({ callId: 1 });

/** Binds the decision model to a connection. */
export function decisionModel(connection: Connection) {
  return connection.model('Decision', decisionSchema);
}
export type DecisionModel = ReturnType<typeof decisionModel>;
