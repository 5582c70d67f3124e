import { Schema, type Connection } from 'mongoose';

/**
 * Append-only audit log: who changed what, when, from what to what. Never updated or deleted;
 * `proposalId` lets reads drop entries about proposals the reader is conflicted with.
 */
const auditSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, ref: 'Proposal', default: null },
    actorId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    action: { type: String, required: true },
    at: { type: Date, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'audit', versionKey: false, minimize: false },
);
auditSchema.index({ callId: 1, at: 1 });

export function auditModel(connection: Connection) {
  return connection.model('AuditEntry', auditSchema);
}
export type AuditModel = ReturnType<typeof auditModel>;
