import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { PolicyAction } from '../../../shared/policyActions';
import { fetchCall, fetchProposals } from '../../api/calls';
import type { CallDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';

/** The call named in the address (`/calls/:callId/...`). */
export function useCallId(): string {
  const { callId } = useParams();
  if (!callId) throw new Error('useCallId outside /calls/:callId');
  return callId;
}

/** The call with `me.allowed` (what the server will let this person do). */
export function useCall(callId: string = useCallId()) {
  return useQuery({ queryKey: queryKeys.call(callId), queryFn: async () => (await fetchCall(callId)).call });
}

/** The call's proposals the person may see (conflicted ones never appear). */
export function useProposals(callId: string) {
  return useQuery({ queryKey: queryKeys.proposals(callId), queryFn: async () => (await fetchProposals(callId)).proposals });
}

/** Whether the server's policy allows `action` in this call. */
export function allows(call: CallDto | undefined, action: PolicyAction): boolean {
  return call?.me.allowed.includes(action) ?? false;
}
