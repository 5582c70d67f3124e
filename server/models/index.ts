import type { Connection } from 'mongoose';
import { userModel } from './user.js';
import { sessionModel } from './session.js';
import { rateLimitModel } from './rateLimit.js';
import { callModel } from './call.js';
import { membershipModel } from './membership.js';
import { proposalModel } from './proposal.js';
import { conflictModel } from './conflict.js';
import { assignmentModel } from './assignment.js';
import { reviewModel } from './review.js';
import { auditModel } from './audit.js';
import { consensusModel } from './consensus.js';
import { rankingModel } from './ranking.js';
import { decisionModel } from './decision.js';
import { invitationModel } from './invitation.js';
import { reportUpdateModel } from './reportUpdate.js';
import { reportSnapshotModel, reportVersionModel } from './reportSnapshot.js';
import { meetingModel } from './meeting.js';
import { commentModel } from './comment.js';
import { commentReadModel } from './commentRead.js';

/**
 * Every model bound to one connection. Models hang off a connection (not mongoose's global)
 * so several servers can run in one process, as the tests do.
 */
export function createModels(connection: Connection) {
  return {
    User: userModel(connection),
    Session: sessionModel(connection),
    RateLimit: rateLimitModel(connection),
    Call: callModel(connection),
    Membership: membershipModel(connection),
    Proposal: proposalModel(connection),
    Conflict: conflictModel(connection),
    Assignment: assignmentModel(connection),
    Review: reviewModel(connection),
    Audit: auditModel(connection),
    Consensus: consensusModel(connection),
    Ranking: rankingModel(connection),
    Decision: decisionModel(connection),
    Invitation: invitationModel(connection),
    ReportUpdate: reportUpdateModel(connection),
    ReportSnapshot: reportSnapshotModel(connection),
    ReportVersion: reportVersionModel(connection),
    Meeting: meetingModel(connection),
    Comment: commentModel(connection),
    CommentRead: commentReadModel(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every declared index (unique ones matter for correctness). */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}
