import { Router } from 'express';
import { ReviewPutSchema, type ReviewPutInput } from '../../../shared/schemas/review.js';
import { getReconciliation } from '../../commands/consensus/consensusCommands.js';
import { getMyReview, listReviews, putMyReview } from '../../commands/reviews/reviewCommands.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { registerRoutes } from '../openapi/registry.js';
import { commandContext, type RouteDeps } from './calls.js';

registerRoutes(
  {
    method: 'put',
    path: '/proposals/:proposalId/reviews/mine',
    tag: 'reviews',
    summary: 'Save or submit my review',
    description:
      'Assigned reviewers, in the review phase. Scores are checked against each criterion\'s scale; submitting needs every criterion. Send the `version` you last saw: a stale one is a 409.',
    body: { name: 'ReviewPut', schema: ReviewPutSchema },
    response: { description: '`{ review }`' },
  },
  { method: 'get', path: '/proposals/:proposalId/reviews/mine', tag: 'reviews', summary: 'My review (null before the first save)', response: { description: '`{ review }`' } },
  {
    method: 'get',
    path: '/proposals/:proposalId/reviews',
    tag: 'reviews',
    summary: 'The reviews I may read',
    description: "Others' reviews only after my own is submitted or from the panel phase on; others' drafts never.",
    response: { description: '`{ reviews }` with reviewer name and agency' },
  },
  {
    method: 'get',
    path: '/proposals/:proposalId/reconciliation',
    tag: 'reviews',
    summary: 'Score statistics overall and per agency, flags, weighted total, pass/fail, consensus',
    response: { description: '`{ reconciliation }`' },
  },
);

/** Individual reviews and their reconciliation: /api/proposals/:proposalId/reviews..., /reconciliation. */
export function reviewsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.put('/proposals/:proposalId/reviews/mine', requireUser, validateBody(ReviewPutSchema), async (req, res) => {
    res.json({ review: await putMyReview(commandContext(deps, req), req.params.proposalId as string, req.body as ReviewPutInput) });
  });
  router.get('/proposals/:proposalId/reviews/mine', requireUser, async (req, res) => {
    res.json({ review: await getMyReview(commandContext(deps, req), req.params.proposalId as string) });
  });
  router.get('/proposals/:proposalId/reviews', requireUser, async (req, res) => {
    res.json({ reviews: await listReviews(commandContext(deps, req), req.params.proposalId as string) });
  });
  router.get('/proposals/:proposalId/reconciliation', requireUser, async (req, res) => {
    res.json({ reconciliation: await getReconciliation(commandContext(deps, req), req.params.proposalId as string) });
  });
  return router;
}
