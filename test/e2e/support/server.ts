import { inject } from 'vitest';
import { seedDemo } from '../../../server/seed/demo.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';

/** Demo password of every seeded account (server/seed/demo.ts). */
export const DEMO_PASSWORD = 'demo-password';

/** A Godo on port 0 serving the built client, seeded with the demo calls. */
export async function startSeededGodo(): Promise<RunningGodo> {
  const godo = await startTestGodo({ clientDir: inject('clientDir') });
  await seedDemo(godo.models, godo.logger, new Date());
  return godo;
}

/** The id of a seeded call by its programme (`bilateral` is JST–ANR, `multilateral_asia` is e-ASIA). */
export async function callIdOf(godo: RunningGodo, programme: 'bilateral' | 'multilateral_asia'): Promise<string> {
  const call = await godo.models.Call.findOne({ programme }).lean();
  if (!call) throw new Error(`no seeded ${programme} call`);
  return String(call._id);
}

/** The id of a seeded proposal by its reference. */
export async function proposalIdOf(godo: RunningGodo, ref: string): Promise<string> {
  const proposal = await godo.models.Proposal.findOne({ ref }).lean();
  if (!proposal) throw new Error(`no proposal ${ref}`);
  return String(proposal._id);
}

/**
 * The e-ASIA call back in individual review, with r1's review of proposal EASIA-2026-001 a draft
 * again (the seed has it submitted): a reviewer with a review to write.
 */
export async function reopenReviewOfR1(godo: RunningGodo): Promise<{ callId: string; proposalId: string }> {
  const callId = await callIdOf(godo, 'multilateral_asia');
  const proposalId = await proposalIdOf(godo, 'EASIA-2026-001');
  const r1 = await godo.models.User.findOne({ email: 'r1@demo.example' }).lean();
  await godo.models.Call.updateOne({ _id: callId }, { $set: { phase: 'review' } });
  await godo.models.Review.updateOne({ proposalId, reviewerId: r1!._id }, { $set: { status: 'draft', submittedAt: null } });
  return { callId, proposalId };
}
