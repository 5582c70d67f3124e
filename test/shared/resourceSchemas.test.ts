import { describe, expect, it } from 'vitest';
import { ApiErrorSchema, ERROR_CODES } from '../../shared/schemas/apiError';
import { AssignmentAcceptSchema, AssignmentCreateSchema } from '../../shared/schemas/assignment';
import { LoginSchema } from '../../shared/schemas/auth';
import { ConflictDeclareSchema } from '../../shared/schemas/conflict';
import { ConsensusPutSchema } from '../../shared/schemas/consensus';
import { DecisionSetSchema, SignOffSchema } from '../../shared/schemas/decision';
import { InvitationAcceptSchema, InvitationCreateSchema } from '../../shared/schemas/invitation';
import { MembershipSchema, PersonCreateSchema, PersonUpdateSchema } from '../../shared/schemas/person';
import { ProposalCreateSchema, ProposalUpdateSchema } from '../../shared/schemas/proposal';
import { RankingMoveSchema, RankingTiersSchema } from '../../shared/schemas/ranking';
import { ReviewPutSchema } from '../../shared/schemas/review';
import { POLICY_ACTIONS, PolicyActionSchema } from '../../shared/policyActions';

const ID = '65a1b2c3d4e5f60718293a4b';
const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe('login', () => {
  it('accepts e-mail and password, lower-casing the e-mail', () => {
    expect(LoginSchema.parse({ email: 'PO@JST.go.jp', password: ' secret ' })).toEqual({ email: 'po@jst.go.jp', password: ' secret ' });
  });

  it('rejects operator objects (NoSQL injection) and unknown keys', () => {
    expect(ok(LoginSchema, { email: 'a@b.jp', password: { $gt: '' } })).toBe(false);
    expect(ok(LoginSchema, { email: { $ne: null }, password: 'x' })).toBe(false);
    expect(ok(LoginSchema, { email: 'a@b.jp', password: 'x', role: 'admin' })).toBe(false);
  });
});

describe('proposal', () => {
  const proposal = {
    title: { en: 'Flood resilience' },
    abstract: { ja: '洪水レジリエンス' },
    pis: [
      { name: 'Sato', institution: 'University of Tokyo', email: 'sato@u-tokyo.ac.jp', agency: 'JST' },
      { name: 'Martin', institution: 'CNRS', email: 'martin@cnrs.fr', agency: 'ANR' },
    ],
    budget: { JST: [10_000_000, 10_000_000, 10_000_000], ANR: [100_000, 100_000, 100_000] },
    periodMonths: 36,
  };

  it('accepts a title in either language', () => {
    expect(ok(ProposalCreateSchema, proposal)).toBe(true);
    expect(ok(ProposalCreateSchema, { ...proposal, title: {} })).toBe(false);
  });

  it('requires budget sides to match PI sides', () => {
    expect(ok(ProposalCreateSchema, { ...proposal, budget: { JST: [1] } })).toBe(false);
    expect(ok(ProposalCreateSchema, { ...proposal, budget: { ...proposal.budget, NRF: [1] } })).toBe(false);
  });

  it('rejects malformed budgets, keys and operator objects', () => {
    expect(ok(ProposalCreateSchema, { ...proposal, budget: { JST: [-1], ANR: [1] } })).toBe(false);
    expect(ok(ProposalCreateSchema, { ...proposal, budget: { jst: [1], ANR: [1] } })).toBe(false);
    expect(ok(ProposalCreateSchema, { ...proposal, periodMonths: { $gt: 0 } })).toBe(false);
    expect(ok(ProposalCreateSchema, { ...proposal, status: 'funded' })).toBe(false);
  });

  it('allows partial updates', () => {
    expect(ok(ProposalUpdateSchema, { periodMonths: 48 })).toBe(true);
    expect(ok(ProposalUpdateSchema, { budget: { JST: [1] } })).toBe(true);
  });
});

describe('person, membership and invitation', () => {
  it('validates a person and keeps e-mail out of updates', () => {
    expect(ok(PersonCreateSchema, { name: 'Sato', email: 's@jst.go.jp', language: 'ja', timeZone: 'Asia/Tokyo' })).toBe(true);
    expect(ok(PersonCreateSchema, { name: 'Sato', email: 's@jst.go.jp', language: 'fr', timeZone: 'Asia/Tokyo' })).toBe(false);
    expect(ok(PersonUpdateSchema, { email: 'x@y.jp' })).toBe(false);
  });

  it('ties roles to agencies', () => {
    expect(ok(MembershipSchema, { personId: ID, role: 'po', agency: 'JST' })).toBe(true);
    expect(ok(MembershipSchema, { personId: ID, role: 'po', agency: 'ANR' })).toBe(false);
    expect(ok(MembershipSchema, { personId: ID, role: 'officer', agency: 'ANR' })).toBe(true);
    expect(ok(MembershipSchema, { personId: ID, role: 'officer', agency: 'JST' })).toBe(false);
    expect(ok(MembershipSchema, { personId: ID, role: 'reviewer' })).toBe(false);
    expect(ok(MembershipSchema, { personId: ID, role: 'observer' })).toBe(true);
  });

  it('validates invitations and their acceptance', () => {
    expect(ok(InvitationCreateSchema, { email: 'a@anr.fr', role: 'officer', agency: 'ANR', language: 'en' })).toBe(true);
    expect(ok(InvitationCreateSchema, { email: 'a@anr.fr', role: 'pd', agency: 'ANR', language: 'en' })).toBe(false);
    expect(ok(InvitationAcceptSchema, { token: 'a'.repeat(40), name: 'A', password: 'long enough pw' })).toBe(true);
    expect(ok(InvitationAcceptSchema, { token: 'a'.repeat(40), name: 'A', password: 'short' })).toBe(false);
    expect(ok(InvitationAcceptSchema, { token: { $regex: '.*' }, name: 'A', password: 'long enough pw' })).toBe(false);
  });
});

describe('conflict and assignment', () => {
  it('requires a note for conflicts of type other', () => {
    expect(ok(ConflictDeclareSchema, { proposalId: ID, type: 'advisor_advisee' })).toBe(true);
    expect(ok(ConflictDeclareSchema, { proposalId: ID, type: 'other' })).toBe(false);
    expect(ok(ConflictDeclareSchema, { proposalId: ID, type: 'other', note: 'spouse' })).toBe(true);
    expect(ok(ConflictDeclareSchema, { proposalId: { $ne: '' }, type: 'personal' })).toBe(false);
  });

  it('defaults rapporteur to false and demands the no-conflict certificate', () => {
    expect(AssignmentCreateSchema.parse({ proposalId: ID, reviewerId: ID }).rapporteur).toBe(false);
    expect(ok(AssignmentAcceptSchema, { certifyNoConflict: true })).toBe(true);
    expect(ok(AssignmentAcceptSchema, { certifyNoConflict: false })).toBe(false);
  });
});

describe('review body', () => {
  const body = { scores: { excellence: 4.5 }, comments: { excellence: 'solid' }, confidence: 4, submit: false, version: 0 };

  it('accepts the PUT /reviews/mine body', () => {
    expect(ReviewPutSchema.parse({ ...body, version: 2 })).toMatchObject({ version: 2 });
  });

  it('requires the version last seen (0 for a first save): a missing one never overwrites', () => {
    const { version: _omitted, ...unversioned } = body;
    expect(ok(ReviewPutSchema, unversioned)).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, version: -1 })).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, version: '0' })).toBe(false);
  });

  it('rejects bad confidence, operator objects, non-numbers and unknown keys', () => {
    expect(ok(ReviewPutSchema, { ...body, confidence: 6 })).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, confidence: 2.5 })).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, scores: { excellence: { $gt: 0 } } })).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, scores: { excellence: '4' } })).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, comments: { excellence: { $gt: '' } } })).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, status: 'submitted' })).toBe(false);
    expect(ok(ReviewPutSchema, { ...body, scores: { $where: 1 } })).toBe(false);
  });

  it('limits comment length', () => {
    expect(ok(ReviewPutSchema, { ...body, comments: { excellence: 'x'.repeat(10_001) } })).toBe(false);
  });
});

describe('consensus, ranking, decision and sign-off', () => {
  it('accepts a consensus with minority views per agency', () => {
    const consensus = {
      criteria: { excellence: { score: 4, rationale: { en: 'strong' }, minorityViews: [{ agency: 'ANR', text: { en: 'weaker' } }] } },
      version: 0,
    };
    expect(ok(ConsensusPutSchema, consensus)).toBe(true);
    expect(ConsensusPutSchema.parse({ criteria: { impact: { score: 3 } }, version: 0 }).criteria.impact.minorityViews).toEqual([]);
    expect(ok(ConsensusPutSchema, { criteria: { impact: { score: 3, extra: 1 } }, version: 0 })).toBe(false);
    expect(ok(ConsensusPutSchema, { criteria: { impact: { score: 3 } } })).toBe(false);
  });

  it('requires a reason for every ranking move', () => {
    expect(ok(RankingMoveSchema, { proposalId: ID, toPosition: 1, reason: 'ANR priority', version: 0 })).toBe(true);
    expect(ok(RankingMoveSchema, { proposalId: ID, toPosition: 1, reason: 'ANR priority' })).toBe(false);
    expect(ok(RankingMoveSchema, { proposalId: ID, toPosition: 1, reason: '   ', version: 0 })).toBe(false);
    expect(ok(RankingMoveSchema, { proposalId: ID, toPosition: 1, version: 0 })).toBe(false);
    expect(ok(RankingMoveSchema, { proposalId: ID, toPosition: 0, reason: 'x', version: 0 })).toBe(false);
    expect(ok(RankingTiersSchema, { tiers: [{ label: 'A', lastPosition: 3 }], version: 2 })).toBe(true);
    expect(ok(RankingTiersSchema, { tiers: [{ label: 'A', lastPosition: 3 }] })).toBe(false);
  });

  it('pairs conditions with fund_with_conditions only', () => {
    expect(ok(DecisionSetSchema, { kind: 'fund', version: 0 })).toBe(true);
    expect(ok(DecisionSetSchema, { kind: 'fund' })).toBe(false);
    expect(ok(DecisionSetSchema, { kind: 'fund_with_conditions', version: 0 })).toBe(false);
    expect(ok(DecisionSetSchema, { kind: 'fund_with_conditions', conditions: { en: 'cut year 3' }, version: 1 })).toBe(true);
    expect(ok(DecisionSetSchema, { kind: 'reject', conditions: { en: 'x' }, version: 0 })).toBe(false);
  });

  it('binds a sign-off to a SHA-256 content hash', () => {
    expect(ok(SignOffSchema, { contentHash: 'a'.repeat(64) })).toBe(true);
    expect(ok(SignOffSchema, { contentHash: 'xyz' })).toBe(false);
  });
});

describe('API errors and policy actions', () => {
  it('describes error bodies with a known code', () => {
    expect(ok(ApiErrorSchema, { error: { code: 'forbidden', message: 'no' } })).toBe(true);
    expect(ok(ApiErrorSchema, { error: { code: 'validation_failed', message: 'bad', fields: { 'budget.JST.year1': 'too low' } } })).toBe(true);
    expect(ok(ApiErrorSchema, { error: { code: 'teapot', message: 'no' } })).toBe(false);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('lists policy actions as resource:verb', () => {
    for (const action of POLICY_ACTIONS) expect(action).toMatch(/^[a-z]+:[a-zA-Z]+$/);
    expect(PolicyActionSchema.parse('review:readAll')).toBe('review:readAll');
    expect(new Set(POLICY_ACTIONS).size).toBe(POLICY_ACTIONS.length);
  });
});
