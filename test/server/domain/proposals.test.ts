import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/domainError';
import { assertProposalAgencies, participatingAgencies } from '../../../server/domain/proposals';
import { bilateralCall, multilateralCall } from './fixtures';

const pi = (agency: string) => ({ agency });

describe('participating agencies', () => {
  it('lists each side once, JST first, then in call order', () => {
    expect(participatingAgencies(multilateralCall(), { pis: [pi('ANR'), pi('JST'), pi('NRF'), pi('ANR')] })).toEqual(['JST', 'NRF', 'ANR']);
  });
});

describe('proposal sides fit the call', () => {
  it('accepts a bilateral proposal with both sides', () => {
    expect(() => assertProposalAgencies(bilateralCall(), { pis: [pi('JST'), pi('ANR')] })).not.toThrow();
  });

  it('requires a JST-funded PI', () => {
    expect(() => assertProposalAgencies(bilateralCall(), { pis: [pi('ANR')] })).toThrow(/funded by JST/);
  });

  it('requires every side to be a call agency', () => {
    expect(() => assertProposalAgencies(bilateralCall(), { pis: [pi('JST'), pi('ANR'), pi('DFG')] })).toThrow(DomainError);
  });

  it('requires the programme minimum of sides', () => {
    expect(() => assertProposalAgencies(bilateralCall(), { pis: [pi('JST')] })).toThrow(/at least 2 agencies/);
    expect(() => assertProposalAgencies(multilateralCall(), { pis: [pi('JST'), pi('NRF')] })).toThrow(/at least 3/);
    expect(() => assertProposalAgencies(multilateralCall(), { pis: [pi('JST'), pi('NRF'), pi('ANR')] })).not.toThrow();
  });
});
