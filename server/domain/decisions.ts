// node:crypto is a pure, deterministic built-in (no I/O); SHA-256 makes a forged match with changed content infeasible.
import { createHash } from 'node:crypto';
import type { DecisionKind, Role } from '../../shared/enums';
import { JST_AGENCY_CODE } from '../../shared/programmes';
import type { LocalizedText } from '../../shared/schemas/common';
import type { Consensus } from './consensus';
import { DomainError } from './domainError';

/** The joint decision on a proposal. */
export interface Decision {
  kind: DecisionKind;
  conditions?: LocalizedText;
}

/** Everything a sign-off vouches for: scores, consensus, report text and the decision itself. */
export interface SignedContent {
  reviews: readonly { reviewerId: string; scores: Readonly<Partial<Record<string, number>>> }[];
  consensus: Consensus | null;
  /** The consensus report text as signed (per language), when the report is kept apart from the consensus. */
  reportText?: LocalizedText;
  decision: Decision | null;
}

/** A recorded sign-off, bound to the content hash its signer saw. */
export interface SignOffRecord {
  agency: string;
  personId: string;
  role: Role;
  contentHash: string;
  /** ISO instant. */
  signedAt: string;
}

/** The person signing and their membership in the call. */
export interface Signer {
  personId: string;
  role: Role;
  agency?: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * SHA-256 (hex) of the signed content in a canonical form: object keys sorted, undefined dropped,
 * reviews ordered by reviewer, so the same content always gives the same hash and any change to a
 * score, the consensus, the report text or the decision gives a different one.
 */
export function contentHash(content: SignedContent): string {
  const reviews = [...content.reviews].sort((a, b) => (a.reviewerId < b.reviewerId ? -1 : a.reviewerId > b.reviewerId ? 1 : 0));
  const json = JSON.stringify(canonical({ ...content, reviews }));
  return createHash('sha256').update(json).digest('hex');
}

/** Whether `signer` signs for `agency`: JST's PO or PD for JST, that agency's own officer for a counterpart. */
export function canSignFor(signer: Signer, agency: string): boolean {
  if (signer.agency !== agency) return false;
  return agency === JST_AGENCY_CODE ? signer.role === 'po' || signer.role === 'pd' : signer.role === 'officer';
}

/**
 * Records `signer`'s sign-off for `agency` on the content they were shown (`presentedHash`).
 * @throws DomainError `decision_missing` when no decision is set; `signoff_not_eligible` when the
 *   agency does not take part in the proposal or the signer may not sign for it; `signoff_stale`
 *   when the content changed since the signer saw it.
 */
export function signOff(input: {
  signer: Signer;
  agency: string;
  participating: readonly string[];
  decision: Decision | null;
  presentedHash: string;
  currentHash: string;
  now: Date;
}): SignOffRecord {
  const { signer, agency } = input;
  if (!input.decision) throw new DomainError('decision_missing', 'there is no decision to sign off yet');
  if (!input.participating.includes(agency)) {
    throw new DomainError('signoff_not_eligible', `${agency} does not take part in this proposal`);
  }
  if (!canSignFor(signer, agency)) {
    const who = agency === JST_AGENCY_CODE ? "JST's PO or PD" : `${agency}'s officer`;
    throw new DomainError('signoff_not_eligible', `only ${who} signs off for ${agency}`);
  }
  if (input.presentedHash !== input.currentHash) {
    throw new DomainError('signoff_stale', 'the scores, report or decision changed since you opened them; review and sign again', {
      contentHash: 'is out of date',
    });
  }
  return { agency, personId: signer.personId, role: signer.role, contentHash: input.currentHash, signedAt: input.now.toISOString() };
}

/** The sign-offs with `record` added, replacing that agency's earlier one. */
export function withSignOff(signOffs: readonly SignOffRecord[], record: SignOffRecord): SignOffRecord[] {
  return [...signOffs.filter((existing) => existing.agency !== record.agency), record];
}

/** The sign-offs that still cover the current content. */
export function validSignOffs(signOffs: readonly SignOffRecord[], currentHash: string): SignOffRecord[] {
  return signOffs.filter((record) => record.contentHash === currentHash);
}

/** The sign-offs voided by a change to the content since they were given. */
export function voidedSignOffs(signOffs: readonly SignOffRecord[], currentHash: string): SignOffRecord[] {
  return signOffs.filter((record) => record.contentHash !== currentHash);
}

/** Where a proposal's decision stands: which sides have signed the current content, which have not, which sign-offs are void. */
export interface DecisionStatus {
  /** A decision is set and every participating agency has a valid sign-off on the current content. */
  final: boolean;
  signed: string[];
  pending: string[];
  voided: SignOffRecord[];
}

/** Where a proposal's decision stands, given the current content hash. */
export function decisionStatus(
  decision: Decision | null,
  participating: readonly string[],
  signOffs: readonly SignOffRecord[],
  currentHash: string,
): DecisionStatus {
  const valid = new Set(
    validSignOffs(signOffs, currentHash)
      .filter((record) => participating.includes(record.agency))
      .map((record) => record.agency),
  );
  const signed = participating.filter((agency) => valid.has(agency));
  const pending = participating.filter((agency) => !valid.has(agency));
  return {
    final: decision !== null && participating.length > 0 && pending.length === 0,
    signed,
    pending,
    voided: voidedSignOffs(signOffs, currentHash),
  };
}
