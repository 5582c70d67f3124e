import { Schema, type Connection } from 'mongoose';

/** A conflict of interest between a person and a proposal: declared, or proposed automatically. */
const conflictSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    type: { type: String, required: true },
    /** proposed (automatic, pending), confirmed, dismissed. Declared conflicts start confirmed. */
    status: { type: String, required: true },
    source: { type: String, enum: ['declared', 'automatic', 'staff'], required: true },
    note: { type: String },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'conflicts', versionKey: false },
);
conflictSchema.index({ proposalId: 1, userId: 1 }, { unique: true });
conflictSchema.index({ callId: 1, userId: 1 });

export function conflictModel(connection: Connection) {
  return connection.model('Conflict', conflictSchema);
}
export type ConflictModel = ReturnType<typeof conflictModel>;
