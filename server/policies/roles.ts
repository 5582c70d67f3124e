import type { Role } from '../../shared/enums.js';
import { JST_AGENCY_CODE } from '../../shared/programmes.js';
import type { CallAccess } from './access.js';

/** Call roles that run a call: set it up, see everything not conflicted, moderate. */
const STAFF: readonly Role[] = ['admin', 'pd', 'po', 'officer'];
/** Roles that moderate panels and negotiate ranking and decisions. */
const MODERATORS: readonly Role[] = ['pd', 'po', 'officer'];

export function roleOf(access: CallAccess): Role | null {
  return access.membership?.role ?? null;
}

/** Platform admins and the call's admin. */
export function isCallAdmin(access: CallAccess): boolean {
  return access.user.isAdmin || roleOf(access) === 'admin';
}

export function isStaff(access: CallAccess): boolean {
  return access.user.isAdmin || STAFF.includes(roleOf(access) as Role);
}

export function isModerator(access: CallAccess): boolean {
  return MODERATORS.includes(roleOf(access) as Role);
}

export function isMember(access: CallAccess): boolean {
  return access.user.isAdmin || access.membership !== null;
}

/**
 * The agency a person signs off for: JST's PD or PO sign for JST, an officer for their own
 * counterpart agency; nobody else signs.
 */
export function signingAgency(access: CallAccess): string | null {
  const role = roleOf(access);
  if (role === 'pd' || role === 'po') return JST_AGENCY_CODE;
  if (role === 'officer' && access.membership?.agency) return access.membership.agency;
  return null;
}
