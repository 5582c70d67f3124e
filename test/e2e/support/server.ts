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
