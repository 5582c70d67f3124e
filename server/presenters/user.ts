import type { SessionUser } from '../http/middleware/session.js';

/** The signed-in person as `GET /api/me` shows them. */
export function presentMe(user: SessionUser) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    language: user.language,
    timeZone: user.timeZone,
  };
}
