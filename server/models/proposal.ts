import { Schema, type Connection } from 'mongoose';

const proposalSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    /** Human reference shown in tables, e.g. `SICORP-2026-007`. */
    ref: { type: String, required: true },
    title: { en: String, ja: String },
    abstract: { en: String, ja: String },
    pis: [
      {
        _id: false,
        name: { type: String, required: true },
        institution: { type: String, required: true },
        email: { type: String, required: true },
        agency: { type: String, required: true },
      },
    ],
    /** Agency code -> requested amount per project year, in that agency's currency. */
    budget: { type: Schema.Types.Mixed, required: true },
    periodMonths: { type: Number, required: true },
    rapporteurId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'proposals', versionKey: false, minimize: false },
);
proposalSchema.index({ callId: 1, ref: 1 }, { unique: true });

export function proposalModel(connection: Connection) {
  return connection.model('Proposal', proposalSchema);
}
export type ProposalModel = ReturnType<typeof proposalModel>;
