import { Schema, type Connection } from 'mongoose';

/** A reviewer assigned to a proposal; accepting records the no-conflict certification. */
const assignmentSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    reviewerId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    agency: { type: String, required: true },
    rapporteur: { type: Boolean, default: false },
    acceptedAt: { type: Date, default: null },
    noConflictCertifiedAt: { type: Date, default: null },
    assignedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, collection: 'assignments', versionKey: false },
);
assignmentSchema.index({ proposalId: 1, reviewerId: 1 }, { unique: true });
assignmentSchema.index({ callId: 1, reviewerId: 1 });

export function assignmentModel(connection: Connection) {
  return connection.model('Assignment', assignmentSchema);
}
export type AssignmentModel = ReturnType<typeof assignmentModel>;
