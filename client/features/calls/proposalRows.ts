import { SCALES, type ScaleKind } from '../../../shared/enums';
import type { CallDto, CallReconciliationEntryDto, ProposalSummaryDto } from '../../api/dto';

/** One line of the proposals heat map: the proposal and (when the viewer may see it) its statistics. */
export interface ProposalRow {
  proposal: ProposalSummaryDto;
  /** Undefined while loading; null when hidden from this viewer (e.g. before submitting their own review). */
  reconciliation: CallReconciliationEntryDto | null | undefined;
  criterionMeans: Record<string, number | null>;
  total: number | null;
  agencyTotals: Record<string, number | null>;
  /** Largest per-criterion spread, with its criterion. */
  spread: { value: number; criterion: string } | null;
  /** Largest per-criterion gap between agency means, with its criterion. */
  agencyGap: { value: number; criterion: string } | null;
  flags: number;
}

/** Builds a row from a proposal and its reconciliation. */
export function buildRow(call: CallDto, proposal: ProposalSummaryDto, reconciliation: CallReconciliationEntryDto | null | undefined): ProposalRow {
  const criterionMeans: Record<string, number | null> = {};
  let spread: ProposalRow['spread'] = null;
  let agencyGap: ProposalRow['agencyGap'] = null;
  for (const criterion of call.criteria) {
    const entry = reconciliation?.criteria.find((candidate) => candidate.key === criterion.key);
    criterionMeans[criterion.key] = entry?.mean ?? null;
    const s = entry?.spread;
    if (s !== null && s !== undefined && (!spread || s > spread.value)) spread = { value: s, criterion: criterion.key };
    const g = entry?.agencyGap?.gap;
    if (g !== undefined && (!agencyGap || g > agencyGap.value)) agencyGap = { value: g, criterion: criterion.key };
  }
  const agencyTotals: Record<string, number | null> = {};
  for (const agency of call.agencies) agencyTotals[agency.code] = reconciliation?.total.byAgency[agency.code] ?? null;
  return {
    proposal,
    reconciliation,
    criterionMeans,
    total: reconciliation?.total.mean ?? null,
    agencyTotals,
    spread,
    agencyGap,
    flags: reconciliation?.flags.length ?? 0,
  };
}

/** A sortable column: `ref`, `title`, `total`, `spread`, `gap`, `flags`, `n`, `c:<criterion>` or `a:<agency>`. */
export type SortKey = string;

/**
 * The order a column sorts in on its first click: best scores first (ascending on a
 * lower-is-better scale), the largest spreads, gaps and flag counts first, text A to Z.
 */
export function defaultAscending(key: SortKey, scale: ScaleKind): boolean {
  if (key === 'ref' || key === 'title') return true;
  if (key === 'total' || key.startsWith('c:') || key.startsWith('a:')) return SCALES[scale].direction === 'lower_better';
  return false;
}

function valueOf(row: ProposalRow, key: SortKey): number | null {
  if (key === 'total') return row.total;
  if (key === 'spread') return row.spread?.value ?? null;
  if (key === 'gap') return row.agencyGap?.value ?? null;
  if (key === 'flags') return row.reconciliation ? row.flags : null;
  if (key === 'n') return row.reconciliation?.submitted ?? null;
  if (key.startsWith('c:')) return row.criterionMeans[key.slice(2)] ?? null;
  if (key.startsWith('a:')) return row.agencyTotals[key.slice(2)] ?? null;
  return null;
}

/** Sorts rows by a column in true ascending or descending order of its values; rows without a value go last. */
export function sortRows(rows: ProposalRow[], key: SortKey, ascending: boolean, titleOf: (row: ProposalRow) => string): ProposalRow[] {
  const sign = ascending ? 1 : -1;
  const compare = (a: ProposalRow, b: ProposalRow): number => {
    if (key === 'ref') return sign * a.proposal.ref.localeCompare(b.proposal.ref);
    if (key === 'title') return sign * titleOf(a).localeCompare(titleOf(b));
    const x = valueOf(a, key);
    const y = valueOf(b, key);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y);
  };
  return [...rows].sort((a, b) => compare(a, b) || a.proposal.ref.localeCompare(b.proposal.ref));
}
