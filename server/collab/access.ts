import type { IncomingHttpHeaders } from 'node:http';
import { COLLAB_CLOSE_CODES, parseCollabDocName, type CollabCloseCode } from '../../shared/collab.js';
import type { AccessChange } from '../commands/access/accessChanges.js';
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
  /** The proposal's call (a change of the call's phase or members re-checks its connections). */
  callId: string;
  user: { id: string; name: string };
  /** Observers, people without `report:edit`, and everyone once every agency has signed off (`access.finalised`). */
  readOnly: boolean;
}

/** The answer to a connection attempt (or to a periodic re-check of a live connection). */
export type AccessDecision = { ok: true; grant: ConnectionGrant } | { ok: false; code: CollabCloseCode; reason: string };

/** Decides a connection from the upgrade request's headers and the document name. */
export type ResolveAccess = (headers: IncomingHttpHeaders, docName: string) => Promise<AccessDecision>;

const refuse = (code: CollabCloseCode, reason: string): AccessDecision => ({ ok: false, code, reason });

/** Whether an announced access change concerns a connection: same call, and the proposal and person if named. */
export function accessChangeConcerns(change: AccessChange, grant: ConnectionGrant): boolean {
  return (
    grant.callId === change.callId &&
    (change.proposalId === undefined || grant.proposalId === change.proposalId) &&
    (change.userId === undefined || grant.user.id === change.userId)
  );
}

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
    let callId: string;
    try {
      const loaded = await loadProposalAccess(models, requester, parsed.proposalId);
      access = loaded.access;
      callId = String(loaded.call._id);
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
        callId,
        user: { id: requester.id, name: user.name },
        readOnly: !can(access, 'report:edit'),
      },
    };
  };
}
