import { TEST_PASSWORD } from '../../../helpers/fixtures.js';
import type { Actor, World } from './world.js';

/** One request of the matrix: the path (with query) under the server, and the JSON body if any. */
export interface MatrixRequest {
  path: string;
  body?: unknown;
}

type Build = (w: World, actor: Actor) => MatrixRequest | Promise<MatrixRequest>;

/**
 * Requests whose effects touch only the caller's own records (their session, profile, password,
 * read marker): the matrix sends them for every actor at once and restores the database once.
 */
export const OWN_RECORDS_ONLY = new Set([
  'POST /auth/login',
  'POST /auth/logout',
  'PATCH /me',
  'POST /me/password',
  'POST /proposals/:proposalId/comments/read',
]);

const versionOf = async (doc: Promise<{ version?: number | null } | null>) => (await doc)?.version ?? 0;

const scores = { excellence: 4, impact: 3.5, implementation: 4 };

/**
 * A valid request per route, with the right ids: every proposal-scoped route targets P, and each
 * body is one the route accepts from someone allowed (versions are read at send time, so an
 * optimistic check never decides a cell).
 */
export const REQUESTS: Record<string, Build> = {
  'POST /auth/login': (w, a) => ({ path: '/api/auth/login', body: { email: a.email ?? w.bystander.email, password: TEST_PASSWORD } }),
  'POST /auth/logout': () => ({ path: '/api/auth/logout', body: {} }),
  'GET /openapi.json': () => ({ path: '/api/openapi.json' }),
  'GET /invitations/:token': (w) => ({ path: `/api/invitations/${w.invitationToken}` }),
  'POST /invitations/:token/accept': (w) => ({
    path: `/api/invitations/${w.invitationToken}/accept`,
    body: { name: 'Invited Observer', password: 'a long enough password' },
  }),
  'GET /me': () => ({ path: '/api/me' }),
  'PATCH /me': () => ({ path: '/api/me', body: { name: 'Renamed Person', timeZone: 'Europe/Paris' } }),
  'POST /me/password': () => ({ path: '/api/me/password', body: { currentPassword: TEST_PASSWORD, newPassword: 'an entirely new passphrase' } }),

  'GET /calls': () => ({ path: '/api/calls' }),
  'POST /calls': () => ({
    path: '/api/calls',
    body: {
      title: { en: 'A new bilateral call', ja: '新しい公募' },
      programme: 'bilateral',
      agencies: [
        { code: 'JST', name: { en: 'JST', ja: '科学技術振興機構' }, timeZone: 'Asia/Tokyo', currency: 'JPY', budgetEnvelope: 100_000_000 },
        { code: 'DFG', name: { en: 'DFG', ja: 'ドイツ研究振興協会' }, timeZone: 'Europe/Berlin', currency: 'EUR', budgetEnvelope: 1_000_000 },
      ],
      criteria: [{ key: 'excellence', name: { en: 'Excellence', ja: '卓越性' }, scale: 'one_to_five', weight: 1 }],
      overallThreshold: null,
      flagThresholds: { spread: 2, agencyGap: 1 },
      timeZone: 'Asia/Tokyo',
      phases: [],
    },
  }),
  'GET /calls/:callId': (w) => ({ path: `/api/calls/${w.callId}` }),
  'PATCH /calls/:callId': async (w) => ({
    path: `/api/calls/${w.callId}`,
    body: { title: { en: 'Matrix call on materials (revised)', ja: 'マトリクス公募（改）' }, version: await versionOf(w.godo.models.Call.findById(w.callId).lean()) },
  }),
  'POST /calls/:callId/phase': async (w) => {
    const next = { setup: 'review', review: 'panel', panel: 'finalization', finalization: 'decided', decided: 'finalization' } as const;
    const version = await versionOf(w.godo.models.Call.findById(w.callId).lean());
    return { path: `/api/calls/${w.callId}/phase`, body: { to: next[w.phase], reason: 'The matrix moves on', version } };
  },
  'POST /calls/:callId/invitations': (w) => ({
    path: `/api/calls/${w.callId}/invitations`,
    body: { email: 'mx-new-reviewer@univ-lyon.fr', role: 'reviewer', agency: 'ANR', language: 'en' },
  }),
  'GET /calls/:callId/members': (w) => ({ path: `/api/calls/${w.callId}/members` }),
  'PUT /calls/:callId/members': (w) => ({ path: `/api/calls/${w.callId}/members`, body: { personId: w.bystander.id, role: 'observer' } }),
  'DELETE /calls/:callId/members/:userId': (w) => ({ path: `/api/calls/${w.callId}/members/${w.spareReviewer.id}` }),
  'GET /calls/:callId/audit': (w) => ({ path: `/api/calls/${w.callId}/audit?limit=200` }),
  'GET /calls/:callId/export/scores.csv': (w) => ({ path: `/api/calls/${w.callId}/export/scores.csv` }),
  'GET /calls/:callId/export/ranking.csv': (w) => ({ path: `/api/calls/${w.callId}/export/ranking.csv` }),
  'GET /calls/:callId/export/call.json': (w) => ({ path: `/api/calls/${w.callId}/export/call.json` }),

  'GET /calls/:callId/proposals': (w) => ({ path: `/api/calls/${w.callId}/proposals` }),
  'POST /calls/:callId/proposals': (w) => ({
    path: `/api/calls/${w.callId}/proposals`,
    body: {
      title: { en: 'Perovskite tandem cells', ja: 'ペロブスカイトタンデム太陽電池' },
      abstract: { en: 'Stable tandem cells.' },
      pis: [
        { name: 'Ken Ito', institution: 'Tohoku University', email: 'ken@tohoku.ac.jp', agency: 'JST' },
        { name: 'Anne Roux', institution: 'CEA', email: 'anne.roux@cea.fr', agency: 'ANR' },
      ],
      budget: { JST: [10_000_000, 10_000_000, 10_000_000], ANR: [100_000, 100_000, 100_000] },
      periodMonths: 36,
    },
  }),
  'GET /proposals/:proposalId': (w) => ({ path: `/api/proposals/${w.target.id}` }),
  'PATCH /proposals/:proposalId': async (w) => ({
    path: `/api/proposals/${w.target.id}`,
    body: { abstract: { en: 'Closed-loop discovery, revised.' }, version: await versionOf(w.godo.models.Proposal.findById(w.target.id).lean()) },
  }),

  'POST /conflicts': (w) => ({ path: '/api/conflicts', body: { proposalId: w.target.id, type: 'recent_collaborator' } }),
  'GET /calls/:callId/conflicts': (w) => ({ path: `/api/calls/${w.callId}/conflicts` }),
  'PATCH /conflicts/:conflictId': async (w) => ({
    path: `/api/conflicts/${w.rcConflictId}`,
    body: { status: 'confirmed', note: 'Same department.', version: await versionOf(w.godo.models.Conflict.findById(w.rcConflictId).lean()) },
  }),

  'GET /calls/:callId/assignments': (w) => ({ path: `/api/calls/${w.callId}/assignments` }),
  'POST /calls/:callId/assignments': (w) => ({
    path: `/api/calls/${w.callId}/assignments`,
    body: { proposalId: w.target.id, reviewerId: w.spareReviewer.id, rapporteur: false },
  }),
  'DELETE /assignments/:assignmentId': (w) => ({ path: `/api/assignments/${w.removableAssignmentId}` }),
  'POST /assignments/:assignmentId/accept': (w) => ({ path: `/api/assignments/${w.rjAssignmentId}/accept`, body: { certifyNoConflict: true } }),

  'GET /proposals/:proposalId/reviews/mine': (w) => ({ path: `/api/proposals/${w.target.id}/reviews/mine` }),
  'PUT /proposals/:proposalId/reviews/mine': async (w, a) => {
    const own = a.id ? await w.godo.models.Review.findOne({ proposalId: w.target.id, reviewerId: a.id }).lean() : null;
    return {
      path: `/api/proposals/${w.target.id}/reviews/mine`,
      body: {
        scores,
        comments: { excellence: 'Revised.', impact: 'Revised.', implementation: 'Revised.' },
        confidence: 3,
        submit: false,
        version: own?.version ?? 0,
      },
    };
  },
  'GET /proposals/:proposalId/reviews': (w) => ({ path: `/api/proposals/${w.target.id}/reviews` }),
  'GET /proposals/:proposalId/reconciliation': (w) => ({ path: `/api/proposals/${w.target.id}/reconciliation` }),
  'GET /calls/:callId/reconciliation': (w) => ({ path: `/api/calls/${w.callId}/reconciliation` }),
  'GET /proposals/:proposalId/consensus': (w) => ({ path: `/api/proposals/${w.target.id}/consensus` }),
  'PUT /proposals/:proposalId/consensus': async (w) => ({
    path: `/api/proposals/${w.target.id}/consensus`,
    body: {
      criteria: { excellence: { score: 4 }, impact: { score: 4 }, implementation: { score: 3.5 } },
      summary: { en: 'A strong joint team.' },
      version: await versionOf(w.godo.models.Consensus.findOne({ proposalId: w.target.id }).lean()),
    },
  }),

  'GET /proposals/:proposalId/report/versions': (w) => ({ path: `/api/proposals/${w.target.id}/report/versions` }),
  'GET /proposals/:proposalId/report/versions/diff': (w) => ({
    path: `/api/proposals/${w.target.id}/report/versions/diff?from=${w.reportVersionId}&to=current`,
  }),
  'GET /proposals/:proposalId/report/export': (w) => ({ path: `/api/proposals/${w.target.id}/report/export?format=markdown` }),
  'POST /proposals/:proposalId/report/versions': (w) => ({ path: `/api/proposals/${w.target.id}/report/versions`, body: { label: 'Before the panel vote' } }),
  'POST /proposals/:proposalId/report/versions/:versionId/restore': (w) => ({
    path: `/api/proposals/${w.target.id}/report/versions/${w.reportVersionId}/restore`,
    body: {},
  }),

  'GET /calls/:callId/ranking': (w) => ({ path: `/api/calls/${w.callId}/ranking` }),
  'POST /calls/:callId/ranking/moves': async (w) => ({
    path: `/api/calls/${w.callId}/ranking/moves`,
    body: {
      proposalId: w.target.id,
      toPosition: w.targetPosition === 1 ? w.jointLength : 1,
      reason: 'Stronger cross-side complementarity',
      version: await versionOf(w.godo.models.Ranking.findOne({ callId: w.callId }).lean()),
    },
  }),
  'PUT /calls/:callId/ranking/tiers': async (w) => ({
    path: `/api/calls/${w.callId}/ranking/tiers`,
    body: { tiers: [{ label: 'A', lastPosition: 1 }], version: await versionOf(w.godo.models.Ranking.findOne({ callId: w.callId }).lean()) },
  }),

  'GET /proposals/:proposalId/decision': (w) => ({ path: `/api/proposals/${w.target.id}/decision` }),
  'PUT /proposals/:proposalId/decision': async (w) => ({
    path: `/api/proposals/${w.target.id}/decision`,
    body: {
      kind: 'fund_with_conditions',
      conditions: { en: 'Add a data management plan.' },
      version: await versionOf(w.godo.models.Decision.findOne({ proposalId: w.target.id }).lean()),
    },
  }),
  'POST /proposals/:proposalId/signoffs': (w) => ({ path: `/api/proposals/${w.target.id}/signoffs`, body: { contentHash: w.contentHash } }),

  'GET /proposals/:proposalId/comments': (w) => ({ path: `/api/proposals/${w.target.id}/comments` }),
  'POST /proposals/:proposalId/comments': (w) => ({ path: `/api/proposals/${w.target.id}/comments`, body: { body: 'Could the ANR side clarify year three?' } }),
  'POST /proposals/:proposalId/comments/read': (w) => ({ path: `/api/proposals/${w.target.id}/comments/read`, body: {} }),
  'PATCH /comments/:commentId': async (w) => ({
    path: `/api/comments/${w.commentId}`,
    body: { body: 'The budget for year two looks high (edited).', version: await versionOf(w.godo.models.Comment.findById(w.commentId).lean()) },
  }),
  'DELETE /comments/:commentId': (w) => ({ path: `/api/comments/${w.commentId}` }),
  'POST /comments/:commentId/resolve': (w) => ({ path: `/api/comments/${w.commentId}/resolve`, body: {} }),
  'POST /comments/:commentId/reopen': (w) => ({ path: `/api/comments/${w.commentId}/reopen`, body: {} }),
  // "budget" is in RJ's comment on P: people conflicted with P must not find it.
  'GET /calls/:callId/comments/search': (w) => ({ path: `/api/calls/${w.callId}/comments/search?q=budget` }),
  'GET /calls/:callId/comments/unread': (w) => ({ path: `/api/calls/${w.callId}/comments/unread` }),
};
