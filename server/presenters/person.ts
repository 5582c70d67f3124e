import type { Language, Role } from '../../shared/enums.js';
import type { InvitationDto, InvitationPreviewDto, MemberDto, ProfileDto } from '../../shared/dto/index.js';

type Localized = { en?: string | null; ja?: string | null } | null | undefined;

/** A person as stored (lean). */
export interface PersonDoc {
  _id: unknown;
  email: string;
  name: string;
  institution?: string | null;
  isAdmin?: boolean | null;
  language?: string | null;
  timeZone?: string | null;
}

/** The signed-in person's own profile (`PATCH /api/me`, invitation accept). */
export function presentProfile(user: PersonDoc): ProfileDto {
  return {
    id: String(user._id),
    email: user.email,
    name: user.name,
    institution: user.institution ?? null,
    isAdmin: Boolean(user.isAdmin),
    language: (user.language ?? 'en') as 'en' | 'ja',
    timeZone: user.timeZone ?? 'UTC',
  };
}

/**
 * A member of a call. Contact details (e-mail, institution) only for staff: panel members see
 * each other's names, roles and sides.
 */
export function presentMember(
  membership: { userId: unknown; role: string; agency?: string | null; timeZone?: string | null; language?: string | null },
  user: PersonDoc | undefined,
  options: { withContact: boolean },
): MemberDto {
  return {
    userId: String(membership.userId),
    name: user?.name ?? '',
    ...(options.withContact ? { email: user?.email ?? null, institution: user?.institution ?? null } : {}),
    // Role and language are validated against shared/enums on every write.
    role: membership.role as Role,
    agency: membership.agency ?? null,
    timeZone: membership.timeZone ?? null,
    language: (membership.language ?? null) as Language | null,
  };
}

/** An invitation as staff see it (never the token: only its hash is stored). */
export function presentInvitation(invitation: {
  _id: unknown;
  callId: unknown;
  email: string;
  role: string;
  agency?: string | null;
  language: string;
  expiresAt: Date;
  usedAt?: Date | null;
  createdAt?: Date;
}): InvitationDto {
  return {
    id: String(invitation._id),
    callId: String(invitation.callId),
    email: invitation.email,
    role: invitation.role as Role,
    agency: invitation.agency ?? null,
    language: invitation.language as Language,
    expiresAt: invitation.expiresAt.toISOString(),
    usedAt: invitation.usedAt?.toISOString() ?? null,
    createdAt: invitation.createdAt?.toISOString() ?? null,
  };
}

/** What the public invitation page shows before accepting. */
export function presentInvitationPreview(
  invitation: { email: string; role: string; agency?: string | null; language: string; expiresAt: Date },
  call: { _id: unknown; title?: Localized },
  accountExists: boolean,
): InvitationPreviewDto {
  return {
    email: invitation.email,
    role: invitation.role as Role,
    agency: invitation.agency ?? null,
    language: invitation.language as Language,
    expiresAt: invitation.expiresAt.toISOString(),
    call: { id: String(call._id), title: { en: call.title?.en ?? '', ja: call.title?.ja ?? '' } },
    accountExists,
  };
}
