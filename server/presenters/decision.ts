import type { DecisionDto } from '../../shared/dto/ranking.js';
import type { Decision } from '../domain/decisions.js';
import type { SignOffState, StoredSignOff } from '../commands/decisions/signedContent.js';

/** One participating agency's sign-off line. */
export interface SignOffLine {
  agency: string;
  status: SignOffState;
  record: StoredSignOff | undefined;
}

/**
 * A proposal's decision with each participating agency's sign-off status (valid, voided by a later
 * change, or missing), the content hash a signer must send back, and whether it is final.
 */
export function presentDecision(input: {
  proposalId: string;
  decision: Decision | null;
  version: number;
  contentHash: string;
  lines: readonly SignOffLine[];
  names: ReadonlyMap<string, string>;
  mySigningAgency: string | null;
}): DecisionDto {
  const final = input.decision !== null && input.lines.length > 0 && input.lines.every((line) => line.status === 'valid');
  return {
    proposalId: input.proposalId,
    decision: input.decision ? { kind: input.decision.kind, conditions: input.decision.conditions ?? null } : null,
    version: input.version,
    contentHash: input.contentHash,
    final,
    signOffs: input.lines.map(({ agency, status, record }) => ({
      agency,
      status,
      signedBy: record ? { id: String(record.personId), name: input.names.get(String(record.personId)) ?? '', role: record.role } : null,
      signedAt: record ? record.signedAt.toISOString() : null,
      voidedAt: record?.voidedAt ? record.voidedAt.toISOString() : null,
      voidedBy: record?.voidedBy ?? null,
    })),
    mySigningAgency: input.mySigningAgency,
  };
}
export type { DecisionDto };
