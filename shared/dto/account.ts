import type { Language } from '../enums';

/**
 * Response shapes of the account routes, built by server/presenters/user.ts and person.ts.
 * The presenters are typed with these, so a change on either side is a compile error.
 */

/** The signed-in person (`GET /api/me`, `POST /api/auth/login`). */
export interface MeDto {
  id: string;
  email: string;
  name: string;
  /** Null until the person gives one (conflicts are proposed from it, so it matters). */
  institution: string | null;
  isAdmin: boolean;
  language: Language;
  timeZone: string;
}

/** The own profile as `PATCH /api/me` and invitation acceptance answer (the same fields as MeDto). */
export type ProfileDto = MeDto;
