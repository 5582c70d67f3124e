import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true },
    /** Home institution, used to propose conflicts of interest automatically. */
    institution: { type: String },
    /** argon2id hash; absent until an invitation is accepted. */
    passwordHash: { type: String },
    /** Platform administrator (may create calls and invite people). */
    isAdmin: { type: Boolean, default: false },
    language: { type: String, enum: ['en', 'ja'], default: 'en' },
    timeZone: { type: String, default: 'UTC' },
    /** Sessions created before this instant are revoked (password change). */
    sessionsValidAfter: { type: Date, default: () => new Date(0) },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'users' },
);
userSchema.index({ email: 1 }, { unique: true });

export type UserRecord = InferSchemaType<typeof userSchema> & { _id: import('mongoose').Types.ObjectId };

export function userModel(connection: Connection) {
  return connection.model('User', userSchema);
}

export type UserModel = ReturnType<typeof userModel>;
