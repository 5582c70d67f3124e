import { PHASES, type Phase } from '../../../../shared/enums.js';

/**
 * The authorization matrix: the status every person gets from every route, written down from the
 * policy rules (server/policies/*) and the commands' documented refusals, not from running the code.
 *
 * Columns (see world.ts for who they are):
 *   ADM  platform admin without a role in the call      CAD  the call's admin (not a platform admin)
 *   PD, PO  JST's Program Director and Program Officer   OFF  ANR's officer (counterpart agency)
 *   RJ   reviewer assigned to P, JST side, rapporteur     RA   reviewer assigned to P, ANR side
 *   RC   reviewer conflicted with P (automatic conflict, confirmed; assigned to Q)
 *   OBS  observer      OUT  PO of another call only      ANO  not signed in
 *   After the bar, the same roles holding a confirmed conflict with P ("conflicted or not"):
 *   ADM! CAD! PD! PO! OFF! OBS!
 *
 * P is the target proposal of every proposal-scoped route (JST + ANR PIs); Q is a second proposal.
 * Rules that produce the rows: outsiders get 404 for anything of the call, a conflicted person
 * 404 for anything of P (whatever their role), anonymous callers 401, members without the right 403.
 * Route-specific readings:
 *   - POST /calls/:callId/assignments names P in its body: a conflicted staff member gets the 400
 *     "no such proposal in this call" a non-existent proposal gets (createAssignment).
 *   - PATCH/DELETE /comments/:id target RJ's comment on P: only its author changes it.
 *   - POST /assignments/:id/accept targets RJ's assignment to P: only RJ accepts it.
 *   - PATCH /conflicts/:id targets RC's conflict with P; DELETE /assignments/:id the assignment of
 *     a third reviewer (no review yet) to P; DELETE /calls/:id/members/:userId a spare reviewer.
 *   - POST /calls/:callId/phase asks for the next phase; from decided there is none (409).
 *   - POST /invitations/:token/accept: signed-in people are someone other than the invitee (403).
 *
 * A row is one string, or an object whose keys list the phases (space-separated) it holds for.
 * Rows without phases hold in every phase and are run once, in PHASE_FREE_RUN.
 */
export const ACTORS = ['ADM', 'CAD', 'PD', 'PO', 'OFF', 'RJ', 'RA', 'RC', 'OBS', 'OUT', 'ANO', 'ADM!', 'CAD!', 'PD!', 'PO!', 'OFF!', 'OBS!'] as const;
export type ActorKey = (typeof ACTORS)[number];

/** Actors whose successful responses must not name P (conflicted) or any proposal of the call (OUT). */
export const CONFLICTED: readonly ActorKey[] = ['RC', 'ADM!', 'CAD!', 'PD!', 'PO!', 'OFF!', 'OBS!'];

/** The phase in which rows that hold in every phase are run (the richest state: reviews, consensus, ranking). */
export const PHASE_FREE_RUN: Phase = 'panel';

type Row = string | Record<string, string>;

// prettier-ignore
export const MATRIX: Record<string, Row> = {
  //                                             ADM CAD PD  PO  OFF RJ  RA  RC  OBS OUT ANO | ADM!CAD!PD! PO! OFF!OBS!
  'POST /auth/login':                           '200 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200',
  'POST /auth/logout':                          '204 204 204 204 204 204 204 204 204 204 204 | 204 204 204 204 204 204',
  'GET /openapi.json':                          '200 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200',
  'GET /invitations/:token':                    '200 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200',
  'POST /invitations/:token/accept':            '403 403 403 403 403 403 403 403 403 403 200 | 403 403 403 403 403 403',
  'GET /me':                                    '200 200 200 200 200 200 200 200 200 200 401 | 200 200 200 200 200 200',
  'PATCH /me':                                  '200 200 200 200 200 200 200 200 200 200 401 | 200 200 200 200 200 200',
  'POST /me/password':                          '204 204 204 204 204 204 204 204 204 204 401 | 204 204 204 204 204 204',

  'GET /calls':                                 '200 200 200 200 200 200 200 200 200 200 401 | 200 200 200 200 200 200',
  'POST /calls':                                '201 403 403 403 403 403 403 403 403 403 401 | 201 403 403 403 403 403',
  'GET /calls/:callId':                         '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  'PATCH /calls/:callId':                       '200 200 200 200 403 403 403 403 403 404 401 | 200 200 200 200 403 403',
  'POST /calls/:callId/phase': {
    'setup review panel finalization':          '200 200 200 200 403 403 403 403 403 404 401 | 200 200 200 200 403 403',
    'decided':                                  '409 409 409 409 403 403 403 403 403 404 401 | 409 409 409 409 403 403',
  },
  'POST /calls/:callId/invitations':            '201 201 201 201 403 403 403 403 403 404 401 | 201 201 201 201 403 403',
  'GET /calls/:callId/members':                 '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  'PUT /calls/:callId/members':                 '201 201 201 201 403 403 403 403 403 404 401 | 201 201 201 201 403 403',
  'DELETE /calls/:callId/members/:userId':      '204 204 204 204 403 403 403 403 403 404 401 | 204 204 204 204 403 403',
  'GET /calls/:callId/audit':                   '200 200 200 200 200 403 403 403 403 404 401 | 200 200 200 200 200 403',
  'GET /calls/:callId/export/scores.csv':       '200 200 200 200 200 403 403 403 403 404 401 | 200 200 200 200 200 403',
  'GET /calls/:callId/export/ranking.csv':      '200 200 200 200 200 403 403 403 403 404 401 | 200 200 200 200 200 403',
  'GET /calls/:callId/export/call.json':        '200 200 200 200 200 403 403 403 403 404 401 | 200 200 200 200 200 403',

  'GET /calls/:callId/proposals':               '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  'POST /calls/:callId/proposals': {
    'setup':                                    '201 201 201 201 201 403 403 403 403 404 401 | 201 201 201 201 201 403',
    'review panel finalization decided':        '403 403 403 403 403 403 403 403 403 404 401 | 403 403 403 403 403 403',
  },
  'GET /proposals/:proposalId':                 '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  'PATCH /proposals/:proposalId': {
    'setup':                                    '200 200 200 200 200 403 403 404 403 404 401 | 404 404 404 404 404 404',
    'review panel finalization decided':        '403 403 403 403 403 403 403 404 403 404 401 | 404 404 404 404 404 404',
  },

  'POST /conflicts':                            '201 201 201 201 201 201 201 404 403 404 401 | 404 404 404 404 404 404',
  'GET /calls/:callId/conflicts':               '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  'PATCH /conflicts/:conflictId':               '200 200 200 200 200 403 403 403 403 404 401 | 404 404 404 404 404 403',

  'GET /calls/:callId/assignments':             '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  'POST /calls/:callId/assignments':            '201 201 201 201 201 403 403 403 403 404 401 | 400 400 400 400 400 403',
  'DELETE /assignments/:assignmentId':          '204 204 204 204 204 403 403 403 403 404 401 | 404 404 404 404 404 403',
  'POST /assignments/:assignmentId/accept':     '403 403 403 403 403 200 403 404 403 404 401 | 404 404 404 404 404 404',

  'GET /proposals/:proposalId/reviews/mine':    '403 403 403 403 403 200 200 404 403 404 401 | 404 404 404 404 404 404',
  'PUT /proposals/:proposalId/reviews/mine': {
    'review':                                   '403 403 403 403 403 200 200 404 403 404 401 | 404 404 404 404 404 404',
    'setup panel finalization decided':         '403 403 403 403 403 403 403 404 403 404 401 | 404 404 404 404 404 404',
  },
  // Submit, then read: RJ has submitted in review, RA only saved a draft; everyone reads from the panel on.
  'GET /proposals/:proposalId/reviews': {
    'setup':                                    '200 200 200 200 200 403 403 404 403 404 401 | 404 404 404 404 404 404',
    'review':                                   '200 200 200 200 200 200 403 404 403 404 401 | 404 404 404 404 404 404',
    'panel finalization decided':               '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  },
  'GET /proposals/:proposalId/reconciliation': {
    'setup':                                    '200 200 200 200 200 403 403 404 403 404 401 | 404 404 404 404 404 404',
    'review':                                   '200 200 200 200 200 200 403 404 403 404 401 | 404 404 404 404 404 404',
    'panel finalization decided':               '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  },
  // Every member gets the proposals whose reconciliation they may read (P absent for the conflicted,
  // checked by the scan for P's id, ref and titles); the per-row rules are tested in callReconciliation.test.ts.
  'GET /calls/:callId/reconciliation':          '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  'GET /proposals/:proposalId/consensus': {
    'setup':                                    '200 200 200 200 200 403 403 404 403 404 401 | 404 404 404 404 404 404',
    'review':                                   '200 200 200 200 200 200 403 404 403 404 401 | 404 404 404 404 404 404',
    'panel finalization decided':               '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  },
  // Moderators and the rapporteur (RJ), while the panel discusses; P is final in decided anyway.
  'PUT /proposals/:proposalId/consensus': {
    'panel finalization':                       '403 403 200 200 200 200 403 404 403 404 401 | 404 404 404 404 404 404',
    'setup review decided':                     '403 403 403 403 403 403 403 404 403 404 401 | 404 404 404 404 404 404',
  },

  // The consensus report (Yjs document): every member reads it; editors per report:edit — the
  // rapporteur drafts in review, moderators and assigned reviewers edit while the panel discusses;
  // P is signed off by every agency in decided, which freezes it.
  'GET /proposals/:proposalId/report/versions':   '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  'GET /proposals/:proposalId/report/versions/diff': '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  'GET /proposals/:proposalId/report/export':     '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  'POST /proposals/:proposalId/report/versions': {
    'panel finalization':                       '403 403 201 201 201 201 201 404 403 404 401 | 404 404 404 404 404 404',
    'review':                                   '403 403 403 403 403 201 403 404 403 404 401 | 404 404 404 404 404 404',
    'setup decided':                            '403 403 403 403 403 403 403 404 403 404 401 | 404 404 404 404 404 404',
  },
  'POST /proposals/:proposalId/report/versions/:versionId/restore': {
    'panel finalization':                       '403 403 200 200 200 200 200 404 403 404 401 | 404 404 404 404 404 404',
    'review':                                   '403 403 403 403 403 200 403 404 403 404 401 | 404 404 404 404 404 404',
    'setup decided':                            '403 403 403 403 403 403 403 404 403 404 401 | 404 404 404 404 404 404',
  },

  'GET /calls/:callId/ranking': {
    'setup review':                             '200 200 200 200 200 403 403 403 200 404 401 | 200 200 200 200 200 200',
    'panel finalization decided':               '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  },
  // The move names P: a conflicted moderator gets 404; tiers name no proposal.
  'POST /calls/:callId/ranking/moves': {
    'panel finalization':                       '403 403 200 200 200 403 403 403 403 404 401 | 403 403 404 404 404 403',
    'setup review decided':                     '403 403 403 403 403 403 403 403 403 404 401 | 403 403 403 403 403 403',
  },
  'PUT /calls/:callId/ranking/tiers': {
    'panel finalization':                       '403 403 200 200 200 403 403 403 403 404 401 | 403 403 200 200 200 403',
    'setup review decided':                     '403 403 403 403 403 403 403 403 403 404 401 | 403 403 403 403 403 403',
  },

  'GET /proposals/:proposalId/decision': {
    'setup review panel finalization':          '200 200 200 200 200 403 403 404 200 404 401 | 404 404 404 404 404 404',
    'decided':                                  '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  },
  'PUT /proposals/:proposalId/decision': {
    'panel finalization':                       '403 403 200 200 200 403 403 404 403 404 401 | 404 404 404 404 404 404',
    'setup review decided':                     '403 403 403 403 403 403 403 404 403 404 401 | 404 404 404 404 404 404',
  },
  // JST's PD or PO signs for JST, the officer for ANR; only in finalization.
  'POST /proposals/:proposalId/signoffs': {
    'finalization':                             '403 403 201 201 201 403 403 404 403 404 401 | 404 404 404 404 404 404',
    'setup review panel decided':               '403 403 403 403 403 403 403 404 403 404 401 | 404 404 404 404 404 404',
  },

  'GET /proposals/:proposalId/comments':        '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  'POST /proposals/:proposalId/comments':       '201 201 201 201 201 201 201 404 403 404 401 | 404 404 404 404 404 404',
  'POST /proposals/:proposalId/comments/read':  '200 200 200 200 200 200 200 404 200 404 401 | 404 404 404 404 404 404',
  'PATCH /comments/:commentId':                 '403 403 403 403 403 200 403 404 403 404 401 | 404 404 404 404 404 404',
  'DELETE /comments/:commentId':                '403 403 403 403 403 200 403 404 403 404 401 | 404 404 404 404 404 404',
  'POST /comments/:commentId/resolve':          '200 200 200 200 200 200 200 404 403 404 401 | 404 404 404 404 404 404',
  'POST /comments/:commentId/reopen':           '200 200 200 200 200 200 200 404 403 404 401 | 404 404 404 404 404 404',
  'GET /calls/:callId/comments/search':         '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
  'GET /calls/:callId/comments/unread':         '200 200 200 200 200 200 200 200 200 404 401 | 200 200 200 200 200 200',
};

/** A row's statuses, one per actor in ACTORS order (the bar is only for reading). */
export function parseRow(text: string): string[] {
  const cells = text.split(/\s+/).filter((cell) => cell && cell !== '|');
  if (cells.length !== ACTORS.length || cells.some((cell) => !/^[1-5]\d\d$/.test(cell))) {
    throw new Error(`a matrix row needs ${ACTORS.length} statuses: "${text}"`);
  }
  return cells;
}

/** The same statuses, laid out like the table (for readable failures). */
export function formatRow(cells: readonly string[]): string {
  return `${cells.slice(0, 11).join(' ')} | ${cells.slice(11).join(' ')}`;
}

/**
 * The phases a route is run in, each with its expected row: every phase for a phased row (which
 * must name each phase exactly once), PHASE_FREE_RUN for the others. Undefined without a row.
 */
export function expectationsOf(route: string): Map<Phase, string[]> | undefined {
  const row = MATRIX[route];
  if (row === undefined) return undefined;
  if (typeof row === 'string') return new Map([[PHASE_FREE_RUN, parseRow(row)]]);
  const byPhase = new Map<Phase, string[]>();
  for (const [phases, text] of Object.entries(row)) {
    for (const phase of phases.split(' ') as Phase[]) {
      if (!PHASES.includes(phase) || byPhase.has(phase)) throw new Error(`${route}: phase "${phase}" is unknown or listed twice`);
      byPhase.set(phase, parseRow(text));
    }
  }
  if (byPhase.size !== PHASES.length) throw new Error(`${route}: a phased row must cover ${PHASES.join(', ')}`);
  return byPhase;
}
