import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { PolicyAction } from '../../../shared/policyActions';
import type { ProposalDto } from '../../api/dto';
import { fetchProposal } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';

/** The proposal named in the address (`.../proposals/:proposalId`). */
export function useProposalId(): string {
  const { proposalId } = useParams();
  if (!proposalId) throw new Error('useProposalId outside a proposal route');
  return proposalId;
}

export function useProposal(proposalId: string = useProposalId()) {
  return useQuery({ queryKey: queryKeys.proposal(proposalId), queryFn: async () => (await fetchProposal(proposalId)).proposal });
}

/** Whether the server's policy allows `action` on this proposal. */
export function proposalAllows(proposal: ProposalDto | undefined, action: PolicyAction): boolean {
  return proposal?.me.allowed.includes(action) ?? false;
}
