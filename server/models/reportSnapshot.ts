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
