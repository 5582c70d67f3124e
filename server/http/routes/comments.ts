import { Router } from 'express';
import { CommentCreateSchema, CommentSearchQuerySchema, CommentUpdateSchema } from '../../../shared/schemas/comment.js';
import { createComment, deleteComment, setThreadResolved, updateComment } from '../../commands/comments/commentCommands.js';
import { listComments, markCommentsRead, searchComments, unreadCounts } from '../../commands/comments/commentQueries.js';
import { ValidationError } from '../../errors.js';
import { requireUser } from '../middleware/session.js';
import { validateBody, zodFields } from '../middleware/validate.js';
import { commandContext, type RouteDeps } from './calls.js';

/**
 * Comment threads: per proposal (`/api/proposals/:proposalId/comments`), per comment
 * (`/api/comments/:commentId`), and per call (search, unread counts). Live delivery is the
 * socket layer's (`comment:created`, `comment:updated`).
 */
export function commentsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.use(['/proposals/:proposalId/comments', '/comments', '/calls/:callId/comments'], requireUser);

  router.get('/proposals/:proposalId/comments', async (req, res) => {
    res.json(await listComments(commandContext(deps, req), req.params.proposalId as string));
  });
  router.post('/proposals/:proposalId/comments', validateBody(CommentCreateSchema), async (req, res) => {
    res.status(201).json({ comment: await createComment(commandContext(deps, req), req.params.proposalId as string, req.body) });
  });
  router.post('/proposals/:proposalId/comments/read', async (req, res) => {
    res.json(await markCommentsRead(commandContext(deps, req), req.params.proposalId as string));
  });

  router.patch('/comments/:commentId', validateBody(CommentUpdateSchema), async (req, res) => {
    res.json({ comment: await updateComment(commandContext(deps, req), req.params.commentId as string, req.body) });
  });
  router.delete('/comments/:commentId', async (req, res) => {
    res.json({ comment: await deleteComment(commandContext(deps, req), req.params.commentId as string) });
  });
  router.post('/comments/:commentId/resolve', async (req, res) => {
    res.json({ comment: await setThreadResolved(commandContext(deps, req), req.params.commentId as string, true) });
  });
  router.post('/comments/:commentId/reopen', async (req, res) => {
    res.json({ comment: await setThreadResolved(commandContext(deps, req), req.params.commentId as string, false) });
  });

  router.get('/calls/:callId/comments/search', async (req, res) => {
    const query = CommentSearchQuerySchema.safeParse(req.query);
    if (!query.success) throw new ValidationError('Give a search text in q', zodFields(query.error));
    res.json({ comments: await searchComments(commandContext(deps, req), req.params.callId as string, query.data.q) });
  });
  router.get('/calls/:callId/comments/unread', async (req, res) => {
    res.json({ unread: await unreadCounts(commandContext(deps, req), req.params.callId as string) });
  });
  return router;
}
