import mongoose, { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signOffProbe } from '../../../server/collab/report/signOffProbe.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';

let godo: RunningGodo;
beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  await godo?.close();
});

describe('the sign-off probe of report re-checks', () => {
  it('answers every report re-checked in one turn with one read, pending sign-offs only', async () => {
    const [signed, voided, none, missing] = [0, 1, 2, 3].map(() => new Types.ObjectId());
    const signOff = (voidedAt: Date | null) => ({ agency: 'JST', personId: new Types.ObjectId(), contentHash: 'h', signedAt: new Date(), voidedAt });
    // Raw rows: the probe reads only proposalId and the sign-offs' voidedAt.
    await godo.models.Decision.collection.insertMany([
      { proposalId: signed, signOffs: [signOff(new Date()), signOff(null)] },
      { proposalId: voided, signOffs: [signOff(new Date())] },
      { proposalId: none, signOffs: [] },
    ]);
    const probe = signOffProbe(godo.models);
    let reads = 0;
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'decisions' && method === 'find') reads += 1;
    });
    try {
      const answers = await Promise.all([signed, voided, none, missing, signed].map((id) => probe.hasPendingSignOffs(String(id))));
      expect(answers).toEqual([true, false, false, false, true]);
      expect(reads).toBe(1);
      // A later turn asks again (nothing is cached: a sign-off may have been given meanwhile).
      await godo.models.Decision.collection.updateOne({ proposalId: none }, { $push: { signOffs: signOff(null) } } as never);
      expect(await probe.hasPendingSignOffs(String(none))).toBe(true);
      expect(reads).toBe(2);
    } finally {
      mongoose.set('debug', false);
    }
  });
});
