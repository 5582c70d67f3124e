import type { RunningGodo } from '../../../server/index.js';
import type { ProposalCreateInput } from '../../../shared/schemas/proposal.js';
import { bilateralCallInput, createUser, signIn } from '../../helpers/fixtures.js';
import type { HttpClient } from '../../helpers/httpClient.js';

/** A person of the test call: their id, e-mail and a signed-in client. */
export interface Person {
  id: string;
  email: string;
  client: HttpClient;
}

/** A bilateral JST–ANR call with one person per role, plus someone outside the call and an anonymous client. */
export interface CallSetup {
  callId: string;
  admin: Person;
  pd: Person;
  po: Person;
  officer: Person;
  reviewer: Person;
  reviewerAnr: Person;
  observer: Person;
  outsider: Person;
}

/** Creates a person (optionally with an institution) and signs them in. */
export async function person(godo: RunningGodo, email: string, extra: { isAdmin?: boolean; institution?: string } = {}): Promise<Person> {
  const user = await createUser(godo, { email, isAdmin: extra.isAdmin });
  if (extra.institution) await godo.models.User.updateOne({ _id: user.id }, { $set: { institution: extra.institution } });
  return { ...user, client: await signIn(godo, email) };
}

/** Gives a person a role in the call through the API (PUT members), failing loudly. */
export async function addMember(admin: HttpClient, callId: string, body: Record<string, unknown>) {
  const res = await admin.put(`/api/calls/${callId}/members`, body);
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT members failed: ${res.status} ${res.text}`);
  return res.body.member;
}

/**
 * Sets up a call through the API. E-mail addresses are prefixed so one server can hold several
 * setups; reviewers' institutions match no PI of `proposalInput()` by default.
 */
export async function setUpCall(godo: RunningGodo, prefix = 'c1'): Promise<CallSetup> {
  const at = (name: string) => `${prefix}-${name}@example.org`;
  const admin = await person(godo, `${prefix}-admin@jst.go.jp`, { isAdmin: true });
  const created = await admin.client.post('/api/calls', bilateralCallInput());
  if (created.status !== 201) throw new Error(`call creation failed: ${created.status} ${created.text}`);
  const callId: string = created.body.call.id;
  const [pd, po, officer, reviewer, reviewerAnr, observer, outsider] = await Promise.all([
    person(godo, at('pd')),
    person(godo, at('po')),
    person(godo, at('officer')),
    person(godo, `${prefix}-reviewer@kyoto-u.ac.jp`, { institution: 'Kyoto University' }),
    person(godo, `${prefix}-reviewer@univ-lille.fr`, { institution: 'Université de Lille' }),
    person(godo, at('observer')),
    person(godo, at('outsider')),
  ]);
  await addMember(admin.client, callId, { personId: pd.id, role: 'pd', agency: 'JST' });
  await addMember(admin.client, callId, { personId: po.id, role: 'po', agency: 'JST' });
  await addMember(admin.client, callId, { personId: officer.id, role: 'officer', agency: 'ANR' });
  await addMember(admin.client, callId, { personId: reviewer.id, role: 'reviewer', agency: 'JST' });
  await addMember(admin.client, callId, { personId: reviewerAnr.id, role: 'reviewer', agency: 'ANR' });
  await addMember(admin.client, callId, { personId: observer.id, role: 'observer' });
  return { callId, admin, pd, po, officer, reviewer, reviewerAnr, observer, outsider };
}

/** A valid bilateral proposal: a Tokyo PI on the JST side, a CNRS PI on the ANR side, three years. */
export function proposalInput(overrides: Partial<ProposalCreateInput> = {}): ProposalCreateInput {
  return {
    title: { en: 'Self-driving laboratories for battery materials', ja: '電池材料の自律実験室' },
    abstract: { en: 'Closed-loop discovery of solid electrolytes.' },
    pis: [
      { name: 'Taro Yamada', institution: 'The University of Tokyo', email: 'taro@u-tokyo.ac.jp', agency: 'JST' },
      { name: 'Marie Dubois', institution: 'CNRS', email: 'marie.dubois@cnrs.fr', agency: 'ANR' },
    ],
    budget: { JST: [20_000_000, 20_000_000, 20_000_000], ANR: [150_000, 150_000, 150_000] },
    periodMonths: 36,
    ...overrides,
  };
}

/** Creates a proposal as `client` and returns its id, failing loudly. */
export async function createProposal(client: HttpClient, callId: string, overrides: Partial<ProposalCreateInput> = {}): Promise<string> {
  const res = await client.post(`/api/calls/${callId}/proposals`, proposalInput(overrides));
  if (res.status !== 201) throw new Error(`proposal creation failed: ${res.status} ${res.text}`);
  return res.body.proposal.id;
}

/** An id that is well-formed but names nothing. */
export const MISSING_ID = '0123456789abcdef01234567';

/** A bad value in a string's place: an operator object as an injection attempt would send. */
export const OPERATOR = { $gt: '' };
