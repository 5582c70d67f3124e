import { Schema, type Connection } from 'mongoose';

/**
 * The negotiated joint ranking of one call (one document per call). Created on the first move
 * from the overall scores; afterwards `order` is authoritative. Every move is kept with its reason,
 * actor and time (positions are 1-based, in the full list).
 */
const rankingSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    /** Proposal ids, best first. */
    order: [{ type: Schema.Types.ObjectId, ref: 'Proposal' }],
    moves: [
      {
        _id: false,
        proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
        fromPosition: { type: Number, required: true },
        toPosition: { type: Number, required: true },
        reason: { type: String, required: true },
        by: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
        at: { type: Date, required: true },
      },
    ],
    tiers: [{ _id: false, label: { type: String, required: true }, lastPosition: { type: Number, required: true } }],
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'rankings', versionKey: false, minimize: false },
);
rankingSchema.index({ callId: 1 }, { unique: true });

/** Binds the ranking model to a connection. */
export function rankingModel(connection: Connection) {
  return connection.model('Ranking', rankingSchema);
}
export type RankingModel = ReturnType<typeof rankingModel>;
