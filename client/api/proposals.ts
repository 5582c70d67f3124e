import type { ConsensusPutInput } from '../../shared/schemas/consensus';
import type { DecisionSetInput } from '../../shared/schemas/decision';
import type { RankingMoveInput, RankingTiersInput } from '../../shared/schemas/ranking';
import type { ReviewPutInput } from '../../shared/schemas/review';
import type { ConsensusDto, DecisionDto, ProposalDto, RankingDto, ReconciliationDto, ReviewDto } from './dto';
import { api } from './http';

const proposal = (id: string) => `/proposals/${encodeURIComponent(id)}`;

export const fetchProposal = (id: string) => api<{ proposal: ProposalDto }>('GET', proposal(id));

export const fetchMyReview = (id: string) => api<{ review: ReviewDto | null }>('GET', `${proposal(id)}/reviews/mine`);
/** Saves (or with `submit: true` submits) my review. @throws ApiRequestError `version_conflict`, `review_incomplete`, score codes. */
export const putMyReview = (id: string, input: ReviewPutInput) => api<{ review: ReviewDto }>('PUT', `${proposal(id)}/reviews/mine`, input);
/** The reviews I may read. @throws ApiRequestError `forbidden` before my own review is submitted. */
export const fetchReviews = (id: string) => api<{ reviews: ReviewDto[] }>('GET', `${proposal(id)}/reviews`);

export const fetchReconciliation = (id: string) =>
  api<{ reconciliation: ReconciliationDto }>('GET', `${proposal(id)}/reconciliation`);
export const putConsensus = (id: string, input: ConsensusPutInput) =>
  api<{ consensus: ConsensusDto }>('PUT', `${proposal(id)}/consensus`, input);

export const fetchDecision = (id: string) => api<{ decision: DecisionDto }>('GET', `${proposal(id)}/decision`);
export const putDecision = (id: string, input: DecisionSetInput & { version?: number }) =>
  api<{ decision: DecisionDto }>('PUT', `${proposal(id)}/decision`, input);
/** Signs off for my agency the content whose hash I was shown. @throws ApiRequestError `signoff_stale`. */
export const signOff = (id: string, contentHash: string) =>
  api<{ decision: DecisionDto }>('POST', `${proposal(id)}/signoffs`, { contentHash });

const ranking = (callId: string) => `/calls/${encodeURIComponent(callId)}/ranking`;
export const fetchRanking = (callId: string) => api<{ ranking: RankingDto }>('GET', ranking(callId));
/** Moves a proposal in the joint list; the reason is required and kept. */
export const moveInRanking = (callId: string, input: RankingMoveInput & { version?: number }) =>
  api<{ ranking: RankingDto }>('POST', `${ranking(callId)}/moves`, input);
export const setTiers = (callId: string, input: RankingTiersInput & { version?: number }) =>
  api<{ ranking: RankingDto }>('PUT', `${ranking(callId)}/tiers`, input);
