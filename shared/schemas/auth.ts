import { z } from 'zod';
import { LIMITS } from '../limits';
import { EmailSchema } from './common';

/** Body of `POST /auth/login`. The password is taken as typed (never trimmed). */
export const LoginSchema = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1).max(LIMITS.password),
});
export type LoginInput = z.infer<typeof LoginSchema>;

/** Body of `POST /api/me/password`: every other session is revoked when it succeeds. */
export const PasswordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1).max(LIMITS.password),
  newPassword: z.string().min(LIMITS.minPasswordLength).max(LIMITS.password),
});
export type PasswordChangeInput = z.infer<typeof PasswordChangeSchema>;
