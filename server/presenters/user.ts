import type { MeDto } from '../../shared/dto/account.js';
import type { SessionUser } from '../http/middleware/session.js';

/** The signed-in person as `GET /api/me` shows them. */
export function presentMe(user: SessionUser): MeDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    institution: user.institution ?? null,
    isAdmin: user.isAdmin,
    language: user.language,
    timeZone: user.timeZone,
  };
}
