import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

const timerSchema = new Schema(
  {
    proposalId: { type: Schema.Types.ObjectId, required: true },
    durationMs: { type: Number, required: true },
    /** Remaining when last paused or started; while running, count down from `runningSince`. */
    remainingMs: { type: Number, required: true },
    runningSince: { type: Date, default: null },
  },
  { _id: false },
);

const handSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    raisedAt: { type: Date, required: true },
  },
  { _id: false },
);

const pollSchema = new Schema(
  {
    id: { type: String, required: true },
    proposalId: { type: Schema.Types.ObjectId, required: true },
    criterion: { type: String, required: true },
    min: { type: Number, required: true },
    max: { type: Number, required: true },
    step: { type: Number, required: true },
    status: { type: String, enum: ['open', 'closed'], required: true },
    /** userId -> { value, agency }: keyed by person so a vote is set (and changed) with one `$set`. */
    votes: { type: Schema.Types.Mixed, default: () => ({}) },
    openedBy: { type: Schema.Types.ObjectId, required: true },
    openedAt: { type: Date, required: true },
    closedAt: { type: Date, default: null },
  },
  { _id: false, minimize: false },
);

const decisionSchema = new Schema(
  {
    id: { type: String, required: true },
    proposalId: { type: Schema.Types.ObjectId, required: true },
    outcome: { type: String, required: true },
    recordedBy: { type: Schema.Types.ObjectId, required: true },
    recordedByName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * The panel meeting of one call: one document, changed only by single-document atomic updates.
 * Every change increments `seq` (the number clients see on each event); changes that must read
 * before they write (agenda, current item, timers) also match and increment `version`.
 * Presence is not stored: it lives with the sockets, so a restart never resurrects ghosts.
 */
const meetingSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    seq: { type: Number, default: 0 },
    version: { type: Number, default: 0 },
    agenda: [{ type: Schema.Types.ObjectId }],
    current: {
      type: new Schema(
        { proposalId: { type: Schema.Types.ObjectId, required: true }, startedAt: { type: Date, required: true } },
        { _id: false },
      ),
      default: null,
    },
    timers: [timerSchema],
    hands: [handSchema],
    polls: [pollSchema],
    decisions: [decisionSchema],
  },
  { timestamps: true, collection: 'meetings', versionKey: false, minimize: false },
);
meetingSchema.index({ callId: 1 }, { unique: true });

export type MeetingRecord = InferSchemaType<typeof meetingSchema> & { _id: Types.ObjectId };

export function meetingModel(connection: Connection) {
  return connection.model('Meeting', meetingSchema);
}
export type MeetingModel = ReturnType<typeof meetingModel>;
