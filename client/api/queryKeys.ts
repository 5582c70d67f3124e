/** React Query keys, one place so invalidations match the queries they mean. */
export const queryKeys = {
  me: ['me'] as const,
  calls: ['calls'] as const,
  call: (id: string) => ['call', id] as const,
  proposals: (callId: string) => ['call', callId, 'proposals'] as const,
  callReconciliation: (callId: string) => ['call', callId, 'reconciliation'] as const,
  members: (callId: string) => ['call', callId, 'members'] as const,
  assignments: (callId: string) => ['call', callId, 'assignments'] as const,
  conflicts: (callId: string) => ['call', callId, 'conflicts'] as const,
  ranking: (callId: string) => ['call', callId, 'ranking'] as const,
  audit: (callId: string, filters: object) => ['call', callId, 'audit', filters] as const,
  proposal: (id: string) => ['proposal', id] as const,
  myReview: (id: string) => ['proposal', id, 'myReview'] as const,
  reviews: (id: string) => ['proposal', id, 'reviews'] as const,
  reconciliation: (id: string) => ['proposal', id, 'reconciliation'] as const,
  decision: (id: string) => ['proposal', id, 'decision'] as const,
  invitation: (token: string) => ['invitation', token] as const,
  /** Set (never fetched) when the server ends this person's live access: see realtime/accessEnded.ts. */
  accessEnded: (scope: 'call' | 'proposal', id: string) => ['accessEnded', scope, id] as const,
};
