import { Types } from 'mongoose';
import type { ProgrammeType } from '../../../shared/enums.js';
import type { ProposalBudget, ProposalCreateInput } from '../../../shared/schemas/proposal.js';
import type { Models } from '../../models/index.js';
import type { MyProposalState, ProposalCounts, ProposalDoc } from '../../presenters/proposal.js';

/** Prefix of proposal references per programme, e.g. `SICORP-2026-007`. */
export const REF_PREFIX: Readonly<Record<ProgrammeType, string>> = {
  bilateral: 'SICORP',
  multilateral_asia: 'EASIA',
  concert_japan: 'CONCERT',
  belmont_forum: 'BELMONT',
  chirp: 'CHIRP',
  j_rapid: 'JRAPID',
};

/** The reference of the `n`th proposal of a call created in `year`. */
export function proposalRef(programme: ProgrammeType, year: number, n: number): string {
  return `${REF_PREFIX[programme]}-${year}-${String(n).padStart(3, '0')}`;
}

const localized = (value: ProposalDoc['title']) => ({
  ...(value?.en ? { en: value.en } : {}),
  ...(value?.ja ? { ja: value.ja } : {}),
});

/** The stored proposal as a `ProposalCreateInput`, for merging a PATCH onto it and re-validating the whole. */
export function proposalInputOf(proposal: ProposalDoc): ProposalCreateInput {
  return {
    title: localized(proposal.title),
    abstract: localized(proposal.abstract),
    pis: proposal.pis.map((pi) => ({ name: pi.name, institution: pi.institution, email: pi.email, agency: pi.agency })),
    budget: proposal.budget as ProposalBudget,
    periodMonths: proposal.periodMonths,
  };
}

/**
 * The requester's assignment and review state for each proposal of a call, and (for staff) the
 * assignment and submitted-review counts, in three queries whatever the number of proposals.
 */
export async function proposalStates(models: Models, callId: Types.ObjectId, userId: string, withCounts: boolean) {
  const reviewerId = new Types.ObjectId(userId);
  const [mine, myReviews, all, submitted] = await Promise.all([
    models.Assignment.find({ callId, reviewerId }, { proposalId: 1, rapporteur: 1, acceptedAt: 1 }).lean(),
    models.Review.find({ callId, reviewerId }, { proposalId: 1, status: 1 }).lean(),
    withCounts ? models.Assignment.find({ callId }, { proposalId: 1, acceptedAt: 1 }).lean() : Promise.resolve([]),
    withCounts ? models.Review.find({ callId, status: 'submitted' }, { proposalId: 1 }).lean() : Promise.resolve([]),
  ]);
  const assignmentBy = new Map(mine.map((a) => [String(a.proposalId), a]));
  const reviewBy = new Map(myReviews.map((r) => [String(r.proposalId), r.status]));
  const counts = new Map<string, ProposalCounts>();
  const countsOf = (id: string) => {
    let entry = counts.get(id);
    if (!entry) counts.set(id, (entry = { assignments: 0, acceptedAssignments: 0, submittedReviews: 0 }));
    return entry;
  };
  for (const a of all) {
    const entry = countsOf(String(a.proposalId));
    entry.assignments += 1;
    if (a.acceptedAt) entry.acceptedAssignments += 1;
  }
  for (const r of submitted) countsOf(String(r.proposalId)).submittedReviews += 1;

  return {
    me(proposalId: string): MyProposalState {
      const assignment = assignmentBy.get(proposalId);
      return {
        assignment: assignment
          ? { id: String(assignment._id), rapporteur: Boolean(assignment.rapporteur), acceptedAt: assignment.acceptedAt ?? null }
          : null,
        reviewStatus: (reviewBy.get(proposalId) as MyProposalState['reviewStatus']) ?? null,
      };
    },
    counts(proposalId: string): ProposalCounts | undefined {
      return withCounts ? (counts.get(proposalId) ?? { assignments: 0, acceptedAssignments: 0, submittedReviews: 0 }) : undefined;
    },
  };
}
