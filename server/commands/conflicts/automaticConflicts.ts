import { announceAccessChange } from '../access/accessChanges.js';
import type { Types } from 'mongoose';
import { LIMITS } from '../../../shared/limits.js';
import { proposeConflicts, type Affiliation } from '../../domain/conflicts.js';
import type { Models } from '../../models/index.js';
import { isDuplicateKey } from '../access/ids.js';
import { recordAudit } from '../audit/recordAudit.js';

interface Reviewer {
  _id: Types.ObjectId;
  email: string;
  institution?: string | null;
}
interface ProposalPis {
  _id: Types.ObjectId;
  callId: Types.ObjectId;
  pis: Affiliation[];
}

const REASON_TEXT = { same_institution: 'same institution', same_email_domain: 'same e-mail domain' } as const;

/**
 * Why Godo proposes a conflict between a reviewer and a proposal, or null when it does not:
 * server/domain/conflicts.ts's institution and e-mail domain matches, plus the reviewer being
 * one of the PIs (the domain rule does not catch that when the PI uses a public mail provider).
 */
export function automaticConflictNote(reviewer: Reviewer, pis: readonly Affiliation[]): string | null {
  const lines: string[] = [];
  const email = reviewer.email.toLowerCase();
  if (pis.some((pi) => pi.email.toLowerCase() === email)) lines.push('the reviewer is a PI of this proposal');
  const affiliation = { email: reviewer.email, ...(reviewer.institution ? { institution: reviewer.institution } : {}) };
  for (const match of proposeConflicts(affiliation, pis)) {
    const reasons = match.reasons.map((reason) => REASON_TEXT[reason]).join(' and ');
    lines.push(`${reasons} as PI ${match.piEmail} (${match.matched.join(', ')})`);
  }
  return lines.length ? `Proposed automatically: ${lines.join('; ')}`.slice(0, LIMITS.reason) : null;
}

/**
 * Inserts a `proposed` conflict unless one (of any status) exists for the pair. Idempotent under
 * concurrency: the unique proposalId+userId index lets one upsert insert; the others match it
 * (or fail on the index, which means the same thing). Staff decisions are never overwritten.
 */
async function proposeOne(models: Models, proposal: ProposalPis, reviewer: Reviewer, actorId: string, now: Date) {
  const note = automaticConflictNote(reviewer, proposal.pis);
  if (!note) return;
  try {
    const result = await models.Conflict.updateOne(
      { proposalId: proposal._id, userId: reviewer._id },
      { $setOnInsert: { callId: proposal.callId, type: 'institutional', status: 'proposed', source: 'automatic', note, version: 0 } },
      { upsert: true },
    );
    if (result.upsertedCount !== 1) return;
  } catch (error) {
    if (isDuplicateKey(error)) return;
    throw error;
  }
  // A proposed conflict already hides the proposal from the reviewer (only a dismissal lifts it).
  announceAccessChange({ callId: String(proposal.callId), proposalId: String(proposal._id), userId: String(reviewer._id) });
  await recordAudit(models, {
    callId: proposal.callId,
    proposalId: proposal._id,
    actorId,
    action: 'conflict.proposed',
    after: { userId: String(reviewer._id), type: 'institutional', status: 'proposed', note },
    at: now,
  });
}

/** Proposes conflicts between one reviewer and every proposal of a call (a reviewer joined, or changed institution). */
export async function proposeConflictsForReviewer(
  models: Models,
  callId: Types.ObjectId,
  userId: Types.ObjectId,
  actorId: string,
  now: Date,
): Promise<void> {
  const reviewer = await models.User.findById(userId, { email: 1, institution: 1 }).lean();
  if (!reviewer) return;
  const proposals = await models.Proposal.find({ callId }, { callId: 1, pis: 1 }).lean();
  for (const proposal of proposals) await proposeOne(models, proposal, reviewer, actorId, now);
}

/** Proposes conflicts between one proposal and every reviewer of its call (a proposal was created or its PIs changed). */
export async function proposeConflictsForProposal(models: Models, proposal: ProposalPis, actorId: string, now: Date): Promise<void> {
  const memberships = await models.Membership.find({ callId: proposal.callId, role: 'reviewer' }, { userId: 1 }).lean();
  if (memberships.length === 0) return;
  const reviewers = await models.User.find({ _id: { $in: memberships.map((m) => m.userId) } }, { email: 1, institution: 1 }).lean();
  for (const reviewer of reviewers) await proposeOne(models, proposal, reviewer, actorId, now);
}
