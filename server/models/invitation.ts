import { Schema, type Connection } from 'mongoose';

/**
 * An invitation to a role in one call. Only the SHA-256 of the token is stored (the token itself
 * is shown once, to the inviting admin, as the accept link); `usedAt` is claimed atomically by
 * the one accept that wins.
 */
const invitationSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    callId: { type: Schema.Types.ObjectId, required: true, ref: 'Call' },
    email: { type: String, required: true, lowercase: true, trim: true },
    role: { type: String, required: true },
    agency: { type: String },
    language: { type: String, enum: ['en', 'ja'], required: true },
    invitedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    usedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: true, collection: 'invitations', versionKey: false },
);
invitationSchema.index({ tokenHash: 1 }, { unique: true });
invitationSchema.index({ callId: 1, usedAt: 1 });

export function invitationModel(connection: Connection) {
  return connection.model('Invitation', invitationSchema);
}
export type InvitationModel = ReturnType<typeof invitationModel>;
