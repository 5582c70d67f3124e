import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import type { CommentDto } from '../../../shared/schemas/comment.js';
import { startTestGodo } from '../../helpers/godo.js';
import { setUpMeeting, type MeetingSetup, type Participant } from './meetingSetup.js';
import { connectPeer, type Peer } from './peer.js';

let godo: RunningGodo;
let s: MeetingSetup;
const peers: Peer[] = [];

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpMeeting(godo, 'mnt');
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await godo?.close();
});

async function post(person: Participant, proposalId: string, body: Record<string, unknown>): Promise<CommentDto> {
  const res = await person.api.post(`/api/proposals/${proposalId}/comments`, body);
  expect(res.status, res.text).toBe(201);
  return res.body.comment;
}

/** A connected socket with no subscription at all: mentions need none. */
async function socketOf(person: Participant): Promise<Peer> {
  const peer = await connectPeer(godo, person.cookie);
  peers.push(peer);
  return peer;
}

const mentionedIds = (peer: Peer) => peer.received.filter((r) => r.event === 'comment:mentioned').map((r) => r.payload.comment.id);

describe('comment:mentioned', () => {
  it('tells the mentioned person on every socket, and nobody else', async () => {
    const [anr1, anr2, pd] = [await socketOf(s.reviewerAnr), await socketOf(s.reviewerAnr), await socketOf(s.pd)];
    const comment = await post(s.reviewerJst, s.b, { body: '@rev-anr could you check the budget?', mentions: [s.reviewerAnr.id] });
    for (const peer of [anr1, anr2]) expect((await peer.waitFor('comment:mentioned', (e) => e.comment.id === comment.id)).comment).toEqual(comment);
    // Barrier for the PD: a later mention of them arrives, the earlier one (not theirs) never did.
    const forPd = await post(s.reviewerJst, s.b, { body: 'and @pd', mentions: [s.pd.id] });
    await pd.waitFor('comment:mentioned', (e) => e.comment.id === forPd.id);
    expect(mentionedIds(pd)).toEqual([forPd.id]);
  });

  it('never tells a conflicted person, nor someone of another side about an agency thread', async () => {
    const conflicted = await socketOf(s.conflicted);
    const anr = await socketOf(s.reviewerAnr);
    const onA = await post(s.reviewerJst, s.a, { body: 'see this @rev-coi', mentions: [s.conflicted.id] });
    const internal = await post(s.reviewerJst, s.b, { body: 'JST only, @rev-anr', visibility: 'agency', mentions: [s.reviewerAnr.id] });
    // Barriers: deliveries are made in publication order, so these later ones come after any earlier one.
    const onC = await post(s.reviewerJst, s.c, { body: 'quantum @rev-coi', mentions: [s.conflicted.id] });
    const panel = await post(s.reviewerJst, s.b, { body: 'panel @rev-anr', mentions: [s.reviewerAnr.id] });
    await conflicted.waitFor('comment:mentioned', (e) => e.comment.id === onC.id);
    await anr.waitFor('comment:mentioned', (e) => e.comment.id === panel.id);
    expect(mentionedIds(conflicted)).toEqual([onC.id]);
    expect(mentionedIds(conflicted)).not.toContain(onA.id);
    expect(mentionedIds(anr)).toEqual([panel.id]);
    expect(mentionedIds(anr)).not.toContain(internal.id);
  });

  it('does not notify an author who mentions themself', async () => {
    const self = await socketOf(s.reviewerJst);
    const own = await post(s.reviewerJst, s.b, { body: 'note to @rev-jst', mentions: [s.reviewerJst.id] });
    const other = await post(s.reviewerAnr, s.b, { body: 'hi @rev-jst', mentions: [s.reviewerJst.id] });
    await self.waitFor('comment:mentioned', (e) => e.comment.id === other.id);
    expect(mentionedIds(self)).toEqual([other.id]);
    expect(own.mentions).toEqual([s.reviewerJst.id]);
  });

  it('checks everyone mentioned in a comment together: three people cost the database no more reads than one', async () => {
    const [anr, pd, conflicted] = [await socketOf(s.reviewerAnr), await socketOf(s.pd), await socketOf(s.conflicted)];
    const one = await countOperations(async () => {
      const comment = await post(s.reviewerJst, s.a, { body: '@rev-anr', mentions: [s.reviewerAnr.id] });
      await anr.waitFor('comment:mentioned', (e) => e.comment.id === comment.id);
    });
    let three: CommentDto | undefined;
    const many = await countOperations(async () => {
      three = await post(s.reviewerJst, s.a, { body: '@rev-anr @pd @rev-coi', mentions: [s.reviewerAnr.id, s.pd.id, s.conflicted.id] });
      await anr.waitFor('comment:mentioned', (e) => e.comment.id === three!.id);
      await pd.waitFor('comment:mentioned', (e) => e.comment.id === three!.id);
    });
    // One person at a time, each extra person cost seven reads.
    console.log("OPS", one, many);
    expect(many - one).toBeLessThan(7);
    // The conflicted person still hears nothing about proposal A (barrier: a later mention on C arrives).
    const onC = await post(s.reviewerJst, s.c, { body: 'and @rev-coi', mentions: [s.conflicted.id] });
    await conflicted.waitFor('comment:mentioned', (e) => e.comment.id === onC.id);
    expect(mentionedIds(conflicted)).not.toContain(three!.id);
  });
});

/** Database operations Mongoose issued while `task` ran. */
async function countOperations(task: () => Promise<void>): Promise<number> {
  let operations = 0;
  mongoose.set('debug', () => {
    operations += 1;
  });
  try {
    await task();
  } finally {
    mongoose.set('debug', false);
  }
  return operations;
}
