import type { IncomingHttpHeaders } from 'node:http';
import { COLLAB_CLOSE_CODES, parseCollabDocName, type CollabCloseCode } from '../../shared/collab.js';
import { loadProposalAccess } from '../commands/access/loadAccess.js';
import { resolveSession } from '../commands/auth/sessions.js';
import { NotFoundError } from '../errors.js';
import { readSessionToken } from '../http/middleware/session.js';
import type { Models } from '../models/index.js';
import type { ProposalAccess } from '../policies/access.js';
import { can } from '../policies/authorize.js';
import { isMember } from '../policies/roles.js';

/** Who is connected to which document, and whether their edits are accepted. */
export interface ConnectionGrant {
  docName: string;
  proposalId: string;
  user: { id: string; name: string };
  /** Observers, people without `report:edit`, and everyone once every agency has signed off (`access.finalised`). */
  readOnly: boolean;
}

/** The answer to a connection attempt (or to a periodic re-check of a live connection). */
export type AccessDecision = { ok: true; grant: ConnectionGrant } | { ok: false; code: CollabCloseCode; reason: string };

/** Decides a connection from the upgrade request's headers and the document name. */
export type ResolveAccess = (headers: IncomingHttpHeaders, docName: string) => Promise<AccessDecision>;

const refuse = (code: CollabCloseCode, reason: string): AccessDecision => ({ ok: false, code, reason });

/**
 * The production access rule: the session cookie names the person (`resolveSession`), the policies
 * decide (`report:read` to connect, `report:edit` for read-write). Non-members and conflicted people
 * get `notFound`, like the REST API's 404, so they learn nothing about the proposal.
 */
export function sessionAccessResolver(models: Models, clock: () => Date): ResolveAccess {
  return async (headers, docName) => {
    const parsed = parseCollabDocName(docName);
    if (!parsed) return refuse(COLLAB_CLOSE_CODES.notFound, 'no such document');
    const token = readSessionToken(headers.cookie);
    const session = token ? await resolveSession(models, token, clock()) : null;
    if (!session) return refuse(COLLAB_CLOSE_CODES.unauthenticated, 'sign in first');
    const user = session.user;
    const requester = { id: String(user._id), isAdmin: Boolean(user.isAdmin) };
    let access: ProposalAccess;
    try {
      ({ access } = await loadProposalAccess(models, requester, parsed.proposalId));
    } catch (error) {
      if (error instanceof NotFoundError) return refuse(COLLAB_CLOSE_CODES.notFound, 'no such document');
      throw error;
    }
    if (!can(access, 'report:read')) {
      const hidden = !isMember(access) || access.conflicted;
      return hidden ? refuse(COLLAB_CLOSE_CODES.notFound, 'no such document') : refuse(COLLAB_CLOSE_CODES.forbidden, 'not allowed');
    }
    return {
      ok: true,
      grant: {
        docName,
        proposalId: parsed.proposalId,
        user: { id: requester.id, name: user.name },
        readOnly: !can(access, 'report:edit'),
      },
    };
  };
}
