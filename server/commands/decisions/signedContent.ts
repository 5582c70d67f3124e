import type { Types } from 'mongoose';
import type { DecisionKind } from '../../../shared/enums.js';
import type { LocalizedText } from '../../../shared/schemas/common.js';
import type { Consensus } from '../../domain/consensus.js';
import { contentHash, type Decision, type SignedContent } from '../../domain/decisions.js';
import type { Models } from '../../models/index.js';
import { reportTextSource } from './reportSource.js';

/** A sign-off as stored on the decision document. */
export interface StoredSignOff {
  agency: string;
  personId: Types.ObjectId;
  role: string;
  contentHash: string;
  signedAt: Date;
  voidedAt?: Date | null;
  voidedBy?: string | null;
}

/** Where one participating agency's sign-off stands against the current content. */
export type SignOffState = 'valid' | 'voided' | 'missing';

type ConsensusDoc = {
  criteria?: unknown;
  summary?: unknown;
  recommendation?: string | null;
};
type DecisionDoc = { kind: string; conditions?: unknown };

/** The stored consensus in the domain's shape (null-valued optional parts dropped, so hashes are stable). */
export function consensusOf(doc: ConsensusDoc | null): Consensus | null {
  if (!doc) return null;
  const criteria = (doc.criteria ?? {}) as Consensus['criteria'];
  return {
    criteria: Object.fromEntries(
      Object.entries(criteria).map(([key, entry]) => [
        key,
        {
          score: entry.score,
          ...(entry.rationale ? { rationale: entry.rationale } : {}),
          minorityViews: entry.minorityViews ?? [],
        },
      ]),
    ),
    ...(doc.summary ? { summary: doc.summary as LocalizedText } : {}),
    ...(doc.recommendation ? { recommendation: doc.recommendation as DecisionKind } : {}),
  };
}

/** The stored decision in the domain's shape. */
export function decisionOf(doc: DecisionDoc | null): Decision | null {
  if (!doc) return null;
  return { kind: doc.kind as DecisionKind, ...(doc.conditions ? { conditions: doc.conditions as LocalizedText } : {}) };
}

/**
 * Loads what a sign-off vouches for (submitted scores, consensus, report text, decision) and its content hash.
 * Drafts are left out: they are their author's alone and count nowhere.
 */
export async function loadSignedContent(models: Models, proposalId: Types.ObjectId) {
  const [reviews, consensusDoc, decisionDoc, reportText] = await Promise.all([
    models.Review.find({ proposalId, status: 'submitted' }, { reviewerId: 1, scores: 1 }).lean(),
    models.Consensus.findOne({ proposalId }).lean(),
    models.Decision.findOne({ proposalId }).lean(),
    reportTextSource(models)?.(proposalId),
  ]);
  const content: SignedContent = {
    reviews: reviews.map((review) => ({
      reviewerId: String(review.reviewerId),
      scores: (review.scores ?? {}) as Record<string, number>,
    })),
    consensus: consensusOf(consensusDoc),
    decision: decisionOf(decisionDoc),
    // An empty report is left out so that content signed before anyone wrote keeps its hash.
    ...(reportText && (reportText.en || reportText.ja) ? { reportText } : {}),
  };
  return { content, hash: contentHash(content), consensusDoc, decisionDoc };
}

/**
 * A sign-off is valid while it was never voided and still covers the current content. Once voided
 * it stays voided even if the content is changed back: the signer has to look again.
 */
export function signOffState(record: StoredSignOff | undefined, currentHash: string): SignOffState {
  if (!record) return 'missing';
  return !record.voidedAt && record.contentHash === currentHash ? 'valid' : 'voided';
}

/** Whether a decision is set and every participating agency has a valid sign-off on `currentHash`. */
export function isFinal(
  decision: { signOffs?: readonly StoredSignOff[] | null } | null,
  participating: readonly string[],
  currentHash: string,
): boolean {
  if (!decision || participating.length === 0) return false;
  const signOffs = decision.signOffs ?? [];
  return participating.every((agency) => signOffState(signOffs.find((s) => s.agency === agency), currentHash) === 'valid');
}

/**
 * Whether the proposal's decision is final (its report then frozen): a cheap check first (every
 * participating agency has an unvoided sign-off), the content hash only when that passes.
 */
export async function isProposalFinalised(
  models: Models,
  proposalId: Types.ObjectId,
  participating: readonly string[],
): Promise<boolean> {
  const decision = await models.Decision.findOne({ proposalId }, { signOffs: 1 }).lean();
  if (!decision) return false;
  const unvoided = new Set((decision.signOffs ?? []).filter((s) => !s.voidedAt).map((s) => s.agency));
  if (participating.length === 0 || !participating.every((agency) => unvoided.has(agency))) return false;
  const { hash, decisionDoc } = await loadSignedContent(models, proposalId);
  return isFinal(decisionDoc as { signOffs?: StoredSignOff[] } | null, participating, hash);
}
