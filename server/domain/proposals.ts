import type { CallCreateInput } from '../../shared/schemas/call';
import type { PrincipalInvestigator } from '../../shared/schemas/proposal';
import { JST_AGENCY_CODE, PROGRAMMES } from '../../shared/programmes';
import { DomainError } from './domainError';

/** The agencies a proposal involves: those funding at least one of its PIs, JST first, then call order. */
export function participatingAgencies(
  call: Pick<CallCreateInput, 'agencies'>,
  proposal: { pis: readonly Pick<PrincipalInvestigator, 'agency'>[] },
): string[] {
  const involved = new Set(proposal.pis.map((pi) => pi.agency));
  const order = [JST_AGENCY_CODE, ...call.agencies.map((agency) => agency.code).filter((c) => c !== JST_AGENCY_CODE)];
  const known = order.filter((code) => involved.has(code));
  const unknown = [...involved].filter((code) => !order.includes(code)).sort();
  return [...known, ...unknown];
}

/**
 * Checks that a proposal's sides fit its call: every PI's agency takes part in the call, JST funds a
 * Japanese PI, and the number of sides meets the programme's minimum (a bilateral proposal needs
 * both sides; an e-ASIA one at least three countries, not necessarily every agency in the call).
 * @throws DomainError `proposal_agencies_invalid`.
 */
export function assertProposalAgencies(
  call: Pick<CallCreateInput, 'programme' | 'agencies'>,
  proposal: { pis: readonly Pick<PrincipalInvestigator, 'agency'>[] },
): void {
  const callCodes = new Set(call.agencies.map((agency) => agency.code));
  const sides = participatingAgencies(call, proposal);
  const strangers = sides.filter((code) => !callCodes.has(code));
  if (strangers.length > 0) {
    throw new DomainError('proposal_agencies_invalid', `${strangers.join(', ')} do not take part in this call`, {
      pis: `agency must be one of ${[...callCodes].join(', ')}`,
    });
  }
  if (!sides.includes(JST_AGENCY_CODE)) {
    throw new DomainError('proposal_agencies_invalid', 'a proposal needs a PI funded by JST', {
      pis: 'add the Japanese PI',
    });
  }
  const rule = PROGRAMMES[call.programme].agencies;
  if (sides.length < rule.min) {
    throw new DomainError(
      'proposal_agencies_invalid',
      `a ${call.programme} proposal needs PIs from at least ${rule.min} agencies, has ${sides.length}`,
      { pis: `needs at least ${rule.min} agency sides` },
    );
  }
}
