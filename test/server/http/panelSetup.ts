import { expect } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import type { Phase, Role } from '../../../shared/enums.js';
import type { CallCreateInput, Criterion } from '../../../shared/schemas/call.js';
import { bilateralCallInput, createUser, signIn } from '../../helpers/fixtures.js';
import type { HttpClient } from '../../helpers/httpClient.js';

/**
 * Fixtures for the review, consensus, ranking, decision, audit and export tests. The call is
 * created through POST /api/calls; memberships, proposals, assignments and conflicts are written
 * straight through `godo.models`, so these tests do not depend on the people/proposal routes.
 */

/** A signed-in person with a role in the call. */
export interface Member {
  id: string;
  email: string;
  name: string;
  agency?: string;
  client: HttpClient;
}

/** The agencies used in the tests (real codes, currencies and zones). */
export const AGENCIES = {
  JST: { code: 'JST', name: { en: 'Japan Science and Technology Agency', ja: '科学技術振興機構' }, timeZone: 'Asia/Tokyo', currency: 'JPY', budgetEnvelope: 300_000_000 },
  ANR: { code: 'ANR', name: { en: 'French National Research Agency', ja: 'フランス国立研究機構' }, timeZone: 'Europe/Paris', currency: 'EUR', budgetEnvelope: 2_000_000 },
  NRF: { code: 'NRF', name: { en: 'National Research Foundation of Korea', ja: '韓国研究財団' }, timeZone: 'Asia/Seoul', currency: 'KRW', budgetEnvelope: 3_000_000_000 },
} as const;

/** A 1–9 (1 best) NIH-style criterion. */
export function nihCriterion(key: string, threshold: number | null = 5): Criterion {
  return { key, name: { en: key, ja: key }, scale: 'nine_point_lower_better', halfMarks: false, weight: 1, threshold };
}

/** A bilateral call on NIH's 1–9 scale: two criteria, total pass mark 10 (lower is better). */
export function nihCallInput(): CallCreateInput {
  return bilateralCallInput({
    criteria: [nihCriterion('significance'), nihCriterion('approach')],
    overallThreshold: 10,
    flagThresholds: { spread: 3, agencyGap: 2 },
  });
}

/** A three-agency e-ASIA call (JST, NRF, ANR) on the 0–5 scale. */
export function threeAgencyCallInput(): CallCreateInput {
  return bilateralCallInput({ programme: 'multilateral_asia', agencies: [AGENCIES.JST, AGENCIES.NRF, AGENCIES.ANR] });
}

/** Creates a call through the API as a fresh platform admin. */
export async function createCall(godo: RunningGodo, prefix: string, input: CallCreateInput = bilateralCallInput()) {
  const admin = await createMember(godo, null, `${prefix}-admin`, null, undefined, true);
  const res = await admin.client.post('/api/calls', input);
  expect(res.status, res.text).toBe(201);
  return { callId: res.body.call.id as string, admin };
}

/** Creates a person, gives them a role in the call (unless callId is null) and signs them in. */
export async function createMember(
  godo: RunningGodo,
  callId: string | null,
  handle: string,
  role: Role | null,
  agency?: string,
  isAdmin = false,
): Promise<Member> {
  const email = `${handle}@example.org`;
  const name = handle;
  const user = await createUser(godo, { email, name, isAdmin });
  if (callId && role) await godo.models.Membership.create({ callId, userId: user.id, role, ...(agency ? { agency } : {}) });
  return { id: user.id, email, name, agency, client: await signIn(godo, email) };
}

let proposalCounter = 0;

/** Writes a proposal with one PI per agency and the given total yearly budgets (3 years). */
export async function createProposal(
  godo: RunningGodo,
  callId: string,
  options: { agencies?: string[]; perYear?: Record<string, number>; title?: string } = {},
): Promise<string> {
  const agencies = options.agencies ?? ['JST', 'ANR'];
  proposalCounter += 1;
  const doc = await godo.models.Proposal.create({
    callId,
    ref: `SICORP-2027-${String(proposalCounter).padStart(3, '0')}`,
    title: { en: options.title ?? `Proposal ${proposalCounter}`, ja: `提案 ${proposalCounter}` },
    abstract: { en: 'Abstract.' },
    pis: agencies.map((agency) => ({ name: `PI ${agency}`, institution: `${agency} Institute`, email: `pi@${agency.toLowerCase()}.example`, agency })),
    budget: Object.fromEntries(agencies.map((agency) => [agency, Array(3).fill(options.perYear?.[agency] ?? 1_000)])),
    periodMonths: 36,
  });
  return String(doc._id);
}

/** Assigns a reviewer to a proposal (as the assignment routes would). */
export async function assign(godo: RunningGodo, callId: string, proposalId: string, reviewer: Member, rapporteur = false) {
  await godo.models.Assignment.create({ callId, proposalId, reviewerId: reviewer.id, agency: reviewer.agency, rapporteur, acceptedAt: new Date() });
}

/** Records a confirmed, declared conflict between a person and a proposal. */
export async function declareConflict(godo: RunningGodo, callId: string, proposalId: string, person: Member) {
  await godo.models.Conflict.create({ callId, proposalId, userId: person.id, type: 'personal', status: 'confirmed', source: 'declared' });
}

/** Moves the call one step through the phase route (as a PO would), failing loudly. */
export async function setPhase(po: Member, callId: string, to: Phase) {
  const { version } = (await po.client.get(`/api/calls/${callId}`)).body.call;
  const res = await po.client.post(`/api/calls/${callId}/phase`, { to, version });
  expect(res.status, res.text).toBe(200);
}

/** Walks the call from its current phase to `to` along the forward path. */
export async function advanceTo(godo: RunningGodo, po: Member, callId: string, to: Phase) {
  const order: Phase[] = ['setup', 'review', 'panel', 'finalization', 'decided'];
  const call = await godo.models.Call.findById(callId).lean();
  for (let i = order.indexOf(call!.phase as Phase) + 1; i <= order.indexOf(to); i++) await setPhase(po, callId, order[i]);
}

/** Saves (and by default submits) a review through the API, expecting success. */
export async function submitReview(reviewer: Member, proposalId: string, scores: Record<string, number>, submit = true) {
  const mine = await reviewer.client.get(`/api/proposals/${proposalId}/reviews/mine`);
  const version = mine.body?.review?.version ?? 0;
  const res = await reviewer.client.put(`/api/proposals/${proposalId}/reviews/mine`, {
    scores,
    comments: Object.fromEntries(Object.keys(scores).map((key) => [key, `On ${key}.`])),
    confidence: 4,
    submit,
    version,
  });
  expect(res.status, res.text).toBe(200);
  return res.body.review;
}

/** Writes a submitted review straight into the database (for ranking and export fixtures). */
export async function storeReview(godo: RunningGodo, callId: string, proposalId: string, reviewer: Member, scores: Record<string, number>) {
  await godo.models.Review.create({
    callId,
    proposalId,
    reviewerId: reviewer.id,
    agency: reviewer.agency,
    scores,
    comments: {},
    confidence: 3,
    status: 'submitted',
    submittedAt: new Date(),
    version: 1,
  });
}

/** Scores for the three criteria of bilateralCallInput(). */
export function eu(excellence: number, impact: number, implementation: number) {
  return { excellence, impact, implementation };
}
