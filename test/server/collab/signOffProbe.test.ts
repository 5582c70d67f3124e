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

  it('remembers a "none" for a while, forgets it when told, and never remembers an answer read across a forget', async () => {
    const [quiet, other] = [0, 1].map(() => new Types.ObjectId());
    await godo.models.Decision.collection.insertMany([
      { proposalId: quiet, signOffs: [] },
      { proposalId: other, signOffs: [] },
    ]);
    let now = 1_000;
    const probe = signOffProbe(godo.models, { rememberNoneMs: 30_000, now: () => now });
    let reads = 0;
    let forgetWhenRead = false;
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection !== 'decisions' || method !== 'find') return;
      reads += 1;
      // Called as the read is sent: an announcement arriving while the database answers.
      if (forgetWhenRead) probe.forget();
      forgetWhenRead = false;
    });
    try {
      expect(await probe.hasPendingSignOffs(String(quiet))).toBe(false);
      expect(reads).toBe(1);
      now += 29_000;
      expect(await probe.hasPendingSignOffs(String(quiet))).toBe(false);
      expect(reads).toBe(1);
      now += 2_000;
      expect(await probe.hasPendingSignOffs(String(quiet))).toBe(false);
      expect(reads).toBe(2);

      // A sign-off is given and announced: the next question reads again and sees it.
      await godo.models.Decision.collection.updateOne({ proposalId: quiet }, { $set: { signOffs: [{ agency: 'JST', voidedAt: null }] } });
      probe.forget(String(quiet));
      expect(await probe.hasPendingSignOffs(String(quiet))).toBe(true);
      expect(reads).toBe(3);

      // Forgetting everything while a read is under way: its "none" is not remembered.
      forgetWhenRead = true;
      expect(await probe.hasPendingSignOffs(String(other))).toBe(false);
      expect(await probe.hasPendingSignOffs(String(other))).toBe(false);
      expect(reads).toBe(5);
    } finally {
      mongoose.set('debug', false);
    }
  });
});
