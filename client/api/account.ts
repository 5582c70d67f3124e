import type { LoginInput } from '../../shared/schemas/auth';
import type { PersonUpdateInput } from '../../shared/schemas/person';
import type { Language } from '../../shared/enums';
import type { InvitationPreviewDto, MeDto, ProfileDto } from './dto';
import { api } from './http';

/** Signs in; the server sets the session cookie. @throws ApiRequestError (`unauthenticated`, `rate_limited`). */
export const login = (input: LoginInput) => api<{ user: MeDto }>('POST', '/auth/login', input);

/** Signs out and clears the session cookie. */
export const logout = () => api<void>('POST', '/auth/logout');

/** The signed-in person. @throws ApiRequestError `unauthenticated` (401) without a session. */
export const fetchMe = () => api<{ user: MeDto }>('GET', '/me');

/** Updates name, institution, language or time zone. */
export const updateProfile = (input: PersonUpdateInput) => api<{ user: ProfileDto }>('PATCH', '/me', input);

/** Changes the password (the server rotates the session). */
export const changePassword = (input: { currentPassword: string; newPassword: string }) =>
  api<void>('POST', '/me/password', input);

/** What an invitation link offers, before accepting. @throws ApiRequestError `not_found` for a used or expired link. */
export const fetchInvitation = (token: string) =>
  api<{ invitation: InvitationPreviewDto }>('GET', `/invitations/${encodeURIComponent(token)}`);

/** Body of accepting an invitation: name and password only when it creates the account. */
export interface InvitationAcceptBody {
  name?: string;
  password?: string;
  language?: Language;
  timeZone?: string;
  institution?: string;
}

/** Accepts an invitation (creating the account or adding the role to the signed-in one). */
export const acceptInvitation = (token: string, body: InvitationAcceptBody) =>
  api<{ user: ProfileDto; callId: string }>('POST', `/invitations/${encodeURIComponent(token)}/accept`, body);
