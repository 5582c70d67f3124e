import type { RankingDto } from '../../shared/dto/ranking.js';
import type { visibleRanking } from '../commands/ranking/jointList.js';

/** A recorded move as stored on the ranking document. */
export interface MoveDoc {
  proposalId: unknown;
  fromPosition: number;
  toPosition: number;
  reason: string;
  by: unknown;
  at: Date;
}

/**
 * The ranking as one person sees it: each agency's ranking side by side, the joint list with
 * tiers and each agency's funding line, and the moves with their reasons. Moves of hidden
 * proposals are left out; for a person with hidden proposals, recorded positions (which are
 * full-list positions) are left out too, because they would show where the hidden ones sit.
 */
export function presentRanking(input: {
  callId: string;
  version: number;
  initialised: boolean;
  view: ReturnType<typeof visibleRanking>;
  moves: readonly MoveDoc[];
  hidden: ReadonlySet<string>;
  names: ReadonlyMap<string, string>;
  refs: ReadonlyMap<string, string>;
}): RankingDto {
  const { view, hidden } = input;
  const showPositions = hidden.size === 0;
  return {
    callId: input.callId,
    version: input.version,
    /** False while the joint list is still the overall-score order (no move or tier stored yet). */
    initialised: input.initialised,
    // Titles come from validated proposals, whose lean type still allows null per language.
    joint: view.joint as RankingDto['joint'],
    agencies: view.agencies,
    tiers: view.tiers,
    fundingLines: view.fundingLines,
    moves: input.moves
      .filter((move) => !hidden.has(String(move.proposalId)))
      .map((move) => ({
        proposalId: String(move.proposalId),
        ref: input.refs.get(String(move.proposalId)) ?? null,
        fromPosition: showPositions ? move.fromPosition : null,
        toPosition: showPositions ? move.toPosition : null,
        reason: move.reason,
        by: { id: String(move.by), name: input.names.get(String(move.by)) ?? '' },
        at: move.at.toISOString(),
      })),
  };
}
export type { RankingDto };
