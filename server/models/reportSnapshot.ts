import { Schema, type Connection } from 'mongoose';

/**
 * The compacted state of one collaborative document (`_id` is the document name, e.g.
 * `report:<proposalId>`): `Y.encodeStateAsUpdate` of the document when its stored updates were
 * compacted. Loading applies it, then the `ReportUpdate` batches stored after it.
 */
const reportSnapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: Buffer, required: true },
    bytes: { type: Number, required: true },
    compactedAt: { type: Date, required: true },
  },
  { collection: 'reportSnapshots', versionKey: false },
);

/** Binds the report snapshot model to a connection. */
export function reportSnapshotModel(connection: Connection) {
  return connection.model('ReportSnapshot', reportSnapshotSchema);
}
export type ReportSnapshotModel = ReturnType<typeof reportSnapshotModel>;

/**
 * A named version of a consensus report: its full Yjs state when someone saved it under a label
 * ("before the panel", "agreed text"). Versions are compared and restored; never changed.
 */
const reportVersionSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    label: { type: String, required: true },
    state: { type: Buffer, required: true },
    bytes: { type: Number, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reportVersions', versionKey: false },
);
reportVersionSchema.index({ proposalId: 1, createdAt: -1 });

/** Binds the report version model to a connection. */
export function reportVersionModel(connection: Connection) {
  return connection.model('ReportVersion', reportVersionSchema);
}
export type ReportVersionModel = ReturnType<typeof reportVersionModel>;
