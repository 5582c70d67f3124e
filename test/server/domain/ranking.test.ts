import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/domainError';
import {
  agencyRanking,
  agencyRankings,
  applyMoves,
  assignTiers,
  overallRanking,
  rankByScore,
  type RankingMove,
} from '../../../server/domain/ranking';
import { EU_CRITERIA, eu, nihCriterion, review } from './fixtures';

const proposals = [
  { proposalId: 'p1', reviews: [review('j1', 'JST', eu(4, 4, 4)), review('a1', 'ANR', eu(3, 3, 3))] },
  { proposalId: 'p2', reviews: [review('j1', 'JST', eu(3, 3, 3)), review('a1', 'ANR', eu(5, 5, 5))] },
  { proposalId: 'p3', reviews: [review('j1', 'JST', eu(4, 4, 4)), review('a1', 'ANR', eu(4, 4, 4), 'draft')] },
  { proposalId: 'p4', reviews: [] },
];

const move = (proposalId: string, toPosition: number, reason = 'discussed at panel'): RankingMove => ({
  proposalId,
  toPosition,
  reason,
  by: 'po-1',
  at: '2025-05-10T09:00:00Z',
});

describe('ranking by score', () => {
  it('orders best first by the scale direction', () => {
    const higher = rankByScore('zero_to_five', [
      { proposalId: 'a', score: 9, n: 1 },
      { proposalId: 'b', score: 12, n: 1 },
    ]);
    expect(higher.map((r) => r.proposalId)).toEqual(['b', 'a']);
    const lower = rankByScore('nine_point_lower_better', [
      { proposalId: 'a', score: 2, n: 1 },
      { proposalId: 'b', score: 5, n: 1 },
    ]);
    expect(lower.map((r) => r.proposalId)).toEqual(['a', 'b']);
  });

  it('reports ties with a shared rank and breaks them by proposal id', () => {
    const ranked = rankByScore('zero_to_five', [
      { proposalId: 'z', score: 10, n: 2 },
      { proposalId: 'm', score: 12, n: 2 },
      { proposalId: 'b', score: 10, n: 2 },
      { proposalId: 'c', score: 0.1 + 0.2 + 9.7, n: 2 },
      { proposalId: 'y', score: 8, n: 2 },
    ]);
    expect(ranked.map((r) => [r.proposalId, r.rank])).toEqual([
      ['m', 1],
      ['b', 2],
      ['c', 2],
      ['z', 2],
      ['y', 5],
    ]);
    expect(ranked[1].tiedWith).toEqual(['c', 'z']);
    expect(ranked[0].tiedWith).toEqual([]);
  });

  it('is the same whatever the input order', () => {
    const input = [
      { proposalId: 'b', score: 3, n: 1 },
      { proposalId: 'a', score: 3, n: 1 },
      { proposalId: 'c', score: 4, n: 1 },
    ];
    const one = rankByScore('one_to_five', input).map((r) => r.proposalId);
    const two = rankByScore('one_to_five', [...input].reverse()).map((r) => r.proposalId);
    expect(one).toEqual(two);
  });

  it('puts unscored proposals last without a rank', () => {
    const ranked = rankByScore('zero_to_five', [
      { proposalId: 'x', score: null, n: 0 },
      { proposalId: 'a', score: 1, n: 1 },
    ]);
    expect(ranked.map((r) => [r.proposalId, r.rank])).toEqual([
      ['a', 1],
      ['x', null],
    ]);
  });
});

describe("each agency's ranking", () => {
  it("ranks by that agency's reviewers' weighted totals, side by side", () => {
    const rankings = agencyRankings(EU_CRITERIA, ['JST', 'ANR'], proposals);
    expect(rankings.JST.map((r) => [r.proposalId, r.rank, r.score])).toEqual([
      ['p1', 1, 12],
      ['p3', 1, 12],
      ['p2', 3, 9],
      ['p4', null, null],
    ]);
    expect(rankings.ANR.map((r) => r.proposalId)).toEqual(['p2', 'p1', 'p3', 'p4']);
  });

  it('ignores drafts, so a side with only a draft is unscored', () => {
    const anr = agencyRanking(EU_CRITERIA, 'ANR', proposals);
    expect(anr.find((r) => r.proposalId === 'p3')).toMatchObject({ score: null, n: 0, rank: null });
  });

  it('ranks lower-is-better calls ascending', () => {
    const criteria = [nihCriterion('impact')];
    const ranked = overallRanking(criteria, [
      { proposalId: 'p1', reviews: [review('r', 'JST', { impact: 5 })] },
      { proposalId: 'p2', reviews: [review('r', 'JST', { impact: 2 })] },
    ]);
    expect(ranked.map((r) => r.proposalId)).toEqual(['p2', 'p1']);
  });

  it('starts the joint list from all sides together', () => {
    expect(overallRanking(EU_CRITERIA, proposals).map((r) => [r.proposalId, r.score])).toEqual([
      ['p2', 12],
      ['p3', 12],
      ['p1', 10.5],
      ['p4', null],
    ]);
  });
});

describe('joint ranking moves', () => {
  const start = ['p1', 'p2', 'p3', 'p4'];

  it('applies moves in order and records where each came from', () => {
    const { order, history } = applyMoves(start, [move('p3', 1, 'ANR strategic priority'), move('p1', 4)]);
    expect(order).toEqual(['p3', 'p2', 'p4', 'p1']);
    expect(history.map((h) => [h.proposalId, h.fromPosition, h.toPosition, h.reason])).toEqual([
      ['p3', 3, 1, 'ANR strategic priority'],
      ['p1', 2, 4, 'discussed at panel'],
    ]);
    expect(start).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('requires a reason for every move', () => {
    try {
      applyMoves(start, [move('p3', 1, '  ')]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('ranking_reason_required');
    }
  });

  it('rejects unknown proposals, positions outside the list and moves to the same place', () => {
    const code = (m: RankingMove) => {
      try {
        applyMoves(start, [m]);
      } catch (error) {
        return (error as DomainError).code;
      }
      return null;
    };
    expect(code(move('p9', 1))).toBe('ranking_move_invalid');
    expect(code(move('p1', 5))).toBe('ranking_move_invalid');
    expect(code(move('p1', 0))).toBe('ranking_move_invalid');
    expect(code(move('p2', 2))).toBe('ranking_move_invalid');
  });
});

describe('tiers', () => {
  it('cuts the joint list from the top and leaves the rest untiered', () => {
    const tiers = assignTiers(['p1', 'p2', 'p3', 'p4'], [
      { label: 'A', lastPosition: 1 },
      { label: 'B', lastPosition: 3 },
    ]);
    expect(tiers.map((t) => [t.proposalId, t.position, t.tier])).toEqual([
      ['p1', 1, 'A'],
      ['p2', 2, 'B'],
      ['p3', 3, 'B'],
      ['p4', 4, null],
    ]);
  });

  it('rejects duplicate labels and cuts that do not go down', () => {
    expect(() => assignTiers(['p1'], [{ label: 'A', lastPosition: 1 }, { label: 'A', lastPosition: 2 }])).toThrow(/defined twice/);
    expect(() => assignTiers(['p1'], [{ label: 'A', lastPosition: 2 }, { label: 'B', lastPosition: 2 }])).toThrow(/end below/);
  });
});
