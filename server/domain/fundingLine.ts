import type { Agency } from '../../shared/schemas/call';
import { DomainError } from './domainError';

/** What one proposal asks of each agency in total over all years (agencies it does not involve are absent or 0). */
export interface FundingRequest {
  proposalId: string;
  requested: Readonly<Partial<Record<string, number>>>;
}

/** One agency's share of one proposal in the walk. */
export interface AgencyShare {
  requested: number;
  /** Running total of this agency's requests down to and including this proposal. */
  cumulative: number;
  /** Whether this proposal lies above the agency's funding line. */
  within: boolean;
}

/** One proposal of the joint list with its place against each involved agency's line. */
export interface FundingLineEntry {
  proposalId: string;
  position: number;
  /** Only the agencies the proposal asks money from. */
  byAgency: Record<string, AgencyShare>;
  /** Above the line of every agency it involves: fundable jointly. */
  aboveAllLines: boolean;
}

/** Where an agency's line falls in the joint list. */
export interface AgencyLine {
  agency: string;
  currency: string;
  envelope: number;
  /** Sum of requests above the line. */
  committed: number;
  remaining: number;
  /** 1-based position of the last proposal above the line that involves this agency, or null. */
  lastWithin: number | null;
  /** 1-based position of the first proposal that does not fit; the line falls just above it. Null if all fit. */
  firstBelow: number | null;
}

/**
 * Walks the joint list top-down, adding each proposal's requests to each agency's running total
 * against that agency's envelope (in its own currency), and marks where each agency's line falls.
 * The walk does not fill gaps: once a proposal does not fit an agency's envelope, every later
 * proposal involving that agency is below its line, even a smaller one, because funding out of
 * ranked order is a decision the panel takes explicitly (by moving the proposal, with a reason).
 * @throws DomainError `not_found` when `order` names a proposal without a funding request.
 */
export function fundingLines(
  agencies: readonly Pick<Agency, 'code' | 'currency' | 'budgetEnvelope'>[],
  order: readonly string[],
  requests: readonly FundingRequest[],
): { entries: FundingLineEntry[]; lines: AgencyLine[] } {
  const lines = new Map<string, AgencyLine & { cumulative: number }>(
    agencies.map((agency) => [
      agency.code,
      {
        agency: agency.code,
        currency: agency.currency,
        envelope: agency.budgetEnvelope,
        committed: 0,
        remaining: agency.budgetEnvelope,
        lastWithin: null,
        firstBelow: null,
        cumulative: 0,
      },
    ]),
  );
  const entries = order.map((proposalId, i): FundingLineEntry => {
    const request = requests.find((candidate) => candidate.proposalId === proposalId);
    if (!request) throw new DomainError('not_found', `no budget request for ${proposalId}`);
    const position = i + 1;
    const byAgency: Record<string, AgencyShare> = {};
    for (const [code, requested] of Object.entries(request.requested)) {
      const line = lines.get(code);
      if (!line || !requested) continue;
      line.cumulative += requested;
      // The running total includes requests below the line, so once it passes the envelope it stays past.
      const within = line.cumulative <= line.envelope;
      if (within) {
        line.committed += requested;
        line.remaining = line.envelope - line.committed;
        line.lastWithin = position;
      } else if (line.firstBelow === null) {
        line.firstBelow = position;
      }
      byAgency[code] = { requested, cumulative: line.cumulative, within };
    }
    return { proposalId, position, byAgency, aboveAllLines: Object.values(byAgency).every((share) => share.within) };
  });
  return { entries, lines: [...lines.values()].map(({ cumulative: _, ...line }) => line) };
}
