import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/domainError';
import { fundingLines } from '../../../server/domain/fundingLine';
import { ANR, JST, NRF } from './fixtures';

const M = 1_000_000;
const jst = { ...JST, budgetEnvelope: 100 * M };
const anr = { ...ANR, budgetEnvelope: 1_000_000 };
const nrf = { ...NRF, budgetEnvelope: 500 * M };

describe('funding line per agency', () => {
  it('walks the joint list and marks where each agency line falls', () => {
    const { entries, lines } = fundingLines([jst, anr], ['p1', 'p2', 'p3'], [
      { proposalId: 'p1', requested: { JST: 40 * M, ANR: 400_000 } },
      { proposalId: 'p2', requested: { JST: 40 * M, ANR: 700_000 } },
      { proposalId: 'p3', requested: { JST: 30 * M, ANR: 200_000 } },
    ]);
    expect(entries.map((e) => [e.proposalId, e.byAgency.JST.within, e.byAgency.ANR.within, e.aboveAllLines])).toEqual([
      ['p1', true, true, true],
      ['p2', true, false, false],
      ['p3', false, false, false],
    ]);
    expect(entries[1].byAgency.ANR).toEqual({ requested: 700_000, cumulative: 1_100_000, within: false });
    expect(lines).toEqual([
      { agency: 'JST', currency: 'JPY', envelope: 100 * M, committed: 80 * M, remaining: 20 * M, lastWithin: 2, firstBelow: 3 },
      { agency: 'ANR', currency: 'EUR', envelope: 1_000_000, committed: 400_000, remaining: 600_000, lastWithin: 1, firstBelow: 2 },
    ]);
  });

  it('does not fill gaps: a smaller proposal below the line stays below it', () => {
    const { entries, lines } = fundingLines([anr], ['big', 'small'], [
      { proposalId: 'big', requested: { ANR: 1_200_000 } },
      { proposalId: 'small', requested: { ANR: 100_000 } },
    ]);
    expect(entries.map((e) => e.byAgency.ANR.within)).toEqual([false, false]);
    expect(lines[0]).toMatchObject({ committed: 0, remaining: 1_000_000, lastWithin: null, firstBelow: 1 });
  });

  it('counts an envelope used exactly as within', () => {
    const { entries, lines } = fundingLines([anr], ['p1'], [{ proposalId: 'p1', requested: { ANR: 1_000_000 } }]);
    expect(entries[0].aboveAllLines).toBe(true);
    expect(lines[0]).toMatchObject({ remaining: 0, firstBelow: null });
  });

  it('charges only the agencies a proposal involves in a three-agency call', () => {
    const { entries, lines } = fundingLines([jst, nrf, anr], ['p1', 'p2', 'p3'], [
      { proposalId: 'p1', requested: { JST: 30 * M, NRF: 300 * M, ANR: 0 } },
      { proposalId: 'p2', requested: { JST: 30 * M, ANR: 900_000 } },
      { proposalId: 'p3', requested: { JST: 30 * M, NRF: 300 * M } },
    ]);
    expect(Object.keys(entries[0].byAgency)).toEqual(['JST', 'NRF']);
    expect(entries.map((e) => e.aboveAllLines)).toEqual([true, true, false]);
    expect(entries[2].byAgency).toMatchObject({ JST: { within: true }, NRF: { within: false } });
    expect(lines.map((l) => [l.agency, l.lastWithin, l.firstBelow])).toEqual([
      ['JST', 3, null],
      ['NRF', 1, 3],
      ['ANR', 2, null],
    ]);
  });

  it('follows the joint order, not the request order', () => {
    const requests = [
      { proposalId: 'p1', requested: { ANR: 600_000 } },
      { proposalId: 'p2', requested: { ANR: 600_000 } },
    ];
    expect(fundingLines([anr], ['p2', 'p1'], requests).entries.map((e) => [e.proposalId, e.byAgency.ANR.within])).toEqual([
      ['p2', true],
      ['p1', false],
    ]);
  });

  it('refuses a proposal without a budget request', () => {
    expect(() => fundingLines([anr], ['p1'], [])).toThrow(DomainError);
  });

  it('handles an empty list', () => {
    expect(fundingLines([anr], [], [])).toEqual({
      entries: [],
      lines: [{ agency: 'ANR', currency: 'EUR', envelope: 1_000_000, committed: 0, remaining: 1_000_000, lastWithin: null, firstBelow: null }],
    });
  });
});
