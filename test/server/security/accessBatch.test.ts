import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProposalAccess, type Requester } from '../../../server/commands/access/loadAccess.js';
import { loadProposalAccessForMany } from '../../../server/commands/access/loadAccessMany.js';
import type { RunningGodo } from '../../../server/index.js';
import type { ProposalAccess } from '../../../server/policies/access.js';
import { allowedActions } from '../../../server/policies/authorize.js';
import { PHASES } from '../../../shared/enums.js';
import { startTestGodo } from '../../helpers/godo.js';
import { MISSING_ID } from '../http/setup.js';
import { buildWorld, enterPhase, type World } from '../http/authorizationMatrix/world.js';

/**
 * `loadProposalAccessForMany` (live review delivery: who may be told) must give every person
 * exactly the access `loadProposalAccess` gives them alone, in every phase: otherwise the batch
 * would let a conflicted or unassigned person hear of a review, or leave out someone allowed.
 * Runs on the authorization matrix's world (17 people: roles, agencies, conflicts, assignments,
 * a rapporteur, drafts and submitted reviews, sign-offs).
 */
let godo: RunningGodo;
let world: World;
let people: Requester[];

beforeAll(async () => {
  godo = await startTestGodo();
  world = await buildWorld(godo);
  const ids = Object.values(world.actors).flatMap((actor) => (actor.id ? [actor.id] : []));
  const users = await godo.models.User.find({}, { isAdmin: 1 }).lean();
  const admin = new Map(users.map((user) => [String(user._id), Boolean(user.isAdmin)]));
  people = [...new Set([...ids, world.bystander.id])].map((id) => ({ id, isAdmin: admin.get(id) ?? false }));
  // Someone who does not exist, and an id that is no id: both get nothing, alone or in the batch.
  people.push({ id: MISSING_ID, isAdmin: false }, { id: 'not-an-id', isAdmin: false });
}, 120_000);
afterAll(async () => {
  await godo?.close();
});

/** Each person's access alone, or null when loading it fails (NotFoundError). */
async function oneByOne(proposalId: string): Promise<Map<string, ProposalAccess | null>> {
  const result = new Map<string, ProposalAccess | null>();
  for (const person of people) {
    result.set(person.id, await loadProposalAccess(godo.models, person, proposalId).then(({ access }) => access, () => null));
  }
  return result;
}

describe('access of many people at once', () => {
  for (const phase of PHASES) {
    it(`equals each person's own access to P and Q in the ${phase} phase`, async () => {
      if (phase !== 'setup') await enterPhase(world, phase);
      for (const proposalId of [world.target.id, world.second.id]) {
        const alone = await oneByOne(proposalId);
        const batch = await loadProposalAccessForMany(godo.models, people, proposalId);
        for (const person of people) {
          const expected = alone.get(person.id) ?? null;
          const got = batch.get(person.id) ?? null;
          expect(got, `${person.id} on ${proposalId}`).toEqual(expected);
          if (expected) expect(allowedActions(got!)).toEqual(allowedActions(expected));
        }
        // The world must exercise what the batch decides on, or this test proves little.
        const facts = [...batch.values()];
        expect(facts.some((a) => a.conflicted)).toBe(proposalId === world.target.id);
        expect(facts.some((a) => a.assigned)).toBe(true);
        expect(facts.some((a) => a.membership === null)).toBe(true);
        expect(batch.has('not-an-id')).toBe(false);
      }
    }, 120_000);
  }

  it('gives nobody anything for a proposal that does not exist', async () => {
    expect((await loadProposalAccessForMany(godo.models, people, MISSING_ID)).size).toBe(0);
    expect((await loadProposalAccessForMany(godo.models, people, 'nope')).size).toBe(0);
  });
});
