import { Schema, type Connection } from 'mongoose';

/**
 * A batch of Yjs updates of one collaborative document, appended by the collaboration server
 * (at most ~500 ms after the edits) and deleted when compacted into its `ReportSnapshot`.
 */
const reportUpdateSchema = new Schema(
  {
    /** `report:<proposalId>`. */
    docName: { type: String, required: true },
    /** Yjs v1 updates, in the order they were applied. */
    updates: { type: [Buffer], required: true },
    bytes: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reportUpdates', versionKey: false },
);
reportUpdateSchema.index({ docName: 1, _id: 1 });

/** Binds the report update model to a connection. */
export function reportUpdateModel(connection: Connection) {
  return connection.model('ReportUpdate', reportUpdateSchema);
}
export type ReportUpdateModel = ReturnType<typeof reportUpdateModel>;
