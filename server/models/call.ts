import { Schema, type Connection } from 'mongoose';

const bilingual = { en: { type: String }, ja: { type: String } };

/** A joint call. Agencies, criteria and thresholds are embedded: they are read with the call, always. */
const callSchema = new Schema(
  {
    title: { en: { type: String, required: true }, ja: { type: String, required: true } },
    programme: { type: String, required: true },
    agencies: [
      {
        _id: false,
        code: { type: String, required: true },
        name: bilingual,
        timeZone: { type: String, required: true },
        currency: { type: String, required: true },
        budgetEnvelope: { type: Number, required: true },
      },
    ],
    criteria: [
      {
        _id: false,
        key: { type: String, required: true },
        name: bilingual,
        scale: { type: String, required: true },
        halfMarks: { type: Boolean, default: false },
        weight: { type: Number, required: true },
        threshold: { type: Number, default: null },
      },
    ],
    overallThreshold: { type: Number, default: null },
    flagThresholds: { spread: { type: Number, required: true }, agencyGap: { type: Number, required: true } },
    timeZone: { type: String, required: true },
    phase: { type: String, required: true, default: 'setup' },
    phases: [{ _id: false, phase: String, deadline: Date }],
    periodMonths: { min: Number, max: Number },
    fundingPerYearJpy: { min: Number, max: Number },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    /** Optimistic concurrency: every update matches on it and increments it. */
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'calls', versionKey: false, minimize: false },
);

export function callModel(connection: Connection) {
  return connection.model('Call', callSchema);
}
export type CallModel = ReturnType<typeof callModel>;
