import type { ConflictStatus, ConflictType } from '../../shared/enums.js';
import type { ConflictDto } from '../../shared/dto/people.js';

type Localized = { en?: string | null; ja?: string | null } | null | undefined;

/** A conflict as stored (lean). */
export interface ConflictDoc {
  _id: unknown;
  callId: unknown;
  proposalId: unknown;
  userId: unknown;
  type: string;
  status: string;
  source: string;
  note?: string | null;
  decidedBy?: unknown;
  version?: number | null;
  createdAt?: Date;
  updatedAt?: Date;
}

/**
 * A conflict of interest. Staff see who it concerns; a person sees only their own, so `person`
 * is the requester then. The proposal is named by ref and title only.
 */
export function presentConflict(
  conflict: ConflictDoc,
  extra: {
    proposal?: { ref: string; title?: Localized } | null;
    person?: { name: string; email: string; institution?: string | null } | null;
  },
): ConflictDto {
  return {
    id: String(conflict._id),
    callId: String(conflict.callId),
    proposalId: String(conflict.proposalId),
    proposal: extra.proposal
      ? { ref: extra.proposal.ref, title: { ...(extra.proposal.title?.en ? { en: extra.proposal.title.en } : {}), ...(extra.proposal.title?.ja ? { ja: extra.proposal.title.ja } : {}) } }
      : null,
    userId: String(conflict.userId),
    person: extra.person
      ? { name: extra.person.name, email: extra.person.email, institution: extra.person.institution ?? null }
      : null,
    // The model's enums are these lists (shared/enums), so the stored strings are members.
    type: conflict.type as ConflictType,
    status: conflict.status as ConflictStatus,
    source: conflict.source,
    note: conflict.note ?? null,
    decidedBy: conflict.decidedBy ? String(conflict.decidedBy) : null,
    version: conflict.version ?? 0,
    createdAt: conflict.createdAt?.toISOString() ?? null,
    updatedAt: conflict.updatedAt?.toISOString() ?? null,
  };
}
