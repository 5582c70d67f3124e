import { Schema, type Connection } from 'mongoose';

/** A person's role in one call (one role per person per call). */
const membershipSchema = new Schema(
  {
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    role: { type: String, required: true },
    agency: { type: String },
    timeZone: { type: String },
    language: { type: String },
  },
  { timestamps: true, collection: 'memberships', versionKey: false },
);
membershipSchema.index({ callId: 1, userId: 1 }, { unique: true });
membershipSchema.index({ userId: 1 });

export function membershipModel(connection: Connection) {
  return connection.model('Membership', membershipSchema);
}
export type MembershipModel = ReturnType<typeof membershipModel>;
