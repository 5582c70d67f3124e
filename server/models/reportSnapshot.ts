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
 * ("before the panel", "agreed text"), or when the server saved it before a restore (`kind`
 * `beforeRestore`, with the version restored in `restoredFrom` instead of a label, so that screens
 * word it in their own language; shared/collab/reportVersions.ts `ReportVersionName`). Versions
 * are compared and restored; never changed.
 */
const reportVersionSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    proposalId: { type: Schema.Types.ObjectId, required: true, ref: 'Proposal' },
    label: {
      type: String,
      required(this: { kind?: string }) {
        return this.kind !== 'beforeRestore';
      },
    },
    kind: { type: String, enum: ['beforeRestore'] },
    // `{ versionId, label }` or, when a backup was restored, `{ versionId, kind, restoredFrom }`:
    // nested to any depth, so Mixed; versionCommands validates it with ReportVersionSourceSchema.
    restoredFrom: { type: Schema.Types.Mixed },
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
