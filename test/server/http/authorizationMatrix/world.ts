import * as Y from 'yjs';
import { expect } from 'vitest';
import type { RunningGodo } from '../../../../server/index.js';
import type { Phase } from '../../../../shared/enums.js';
import { bilateralCallInput } from '../../../helpers/fixtures.js';
import type { HttpClient } from '../../../helpers/httpClient.js';
import { addMember, person, proposalInput, type Person } from '../setup.js';
import type { ActorKey } from './expectations.js';

/** Someone the matrix sends requests as: no id or cookie for the anonymous caller. */
export interface Actor {
  key: ActorKey;
  id: string | null;
  email: string | null;
  cookie: string | null;
}

/** A proposal and what names it in a response body. */
export interface NamedProposal {
  id: string;
  ref: string;
  title: { en: string; ja: string };
}

/**
 * The call the matrix runs against, everything the request bodies need, and the data of the
 * current phase (content hash to sign, P's place in the joint list).
 */
export interface World {
  godo: RunningGodo;
  creator: HttpClient;
  callId: string;
  actors: Record<ActorKey, Actor>;
  /** P: the target of every proposal-scoped route, and what RC and the ...! actors are conflicted with. */
  target: NamedProposal;
  /** Q: the call's second proposal (RC reviews it). OUT must see neither P nor Q. */
  second: NamedProposal;
  /** A reviewer (JST) with no assignment: assigned by POST assignments, removed by DELETE members. */
  spareReviewer: Person;
  /** A person with no role anywhere: given one by PUT members; the anonymous caller signs in as them. */
  bystander: { id: string; email: string };
  /** The assignment of a third reviewer to P, who has not started a review (removable). */
  removableAssignmentId: string;
  /** RJ's assignment to P. */
  rjAssignmentId: string;
  /** RC's conflict with P (proposed automatically from RC's institution, then confirmed). */
  rcConflictId: string;
  /** RJ's comment on P. */
  commentId: string;
  /** A named version of P's report (for the version diff and restore routes). */
  reportVersionId: string;
  invitationToken: string;
  phase: Phase;
  contentHash: string;
  targetPosition: number;
  jointLength: number;
  /** The actors' own clients, for building phases (the matrix itself sends raw requests with their cookies). */
  clients: Record<Exclude<ActorKey, 'ANO'>, HttpClient>;
}

const expectStatus = (res: { status: number; text: string }, status: number) => expect(res.status, res.text).toBe(status);

async function named(client: HttpClient, callId: string, overrides: Parameters<typeof proposalInput>[0]): Promise<NamedProposal> {
  const res = await client.post(`/api/calls/${callId}/proposals`, proposalInput(overrides));
  expectStatus(res, 201);
  const { id, ref, title } = res.body.proposal;
  return { id, ref, title };
}

/** The JST and ANR PIs of Q: institutions and mail domains no reviewer shares. */
const Q_PIS = [
  { name: 'Hanako Sato', institution: 'Osaka University', email: 'hanako@osaka-u.ac.jp', agency: 'JST' },
  { name: 'Louis Martin', institution: 'Sorbonne University', email: 'louis.martin@sorbonne-universite.fr', agency: 'ANR' },
];

/**
 * Builds the world in the setup phase, through the API wherever a route does it: two calls, one
 * person per column, proposals, conflicts (RC's proposed automatically, then confirmed),
 * assignments (accepted), a comment and an invitation.
 */
export async function buildWorld(godo: RunningGodo): Promise<World> {
  const creatorPerson = await person(godo, 'mx-creator@jst.go.jp', { isAdmin: true });
  const creator = creatorPerson.client;
  const call = await creator.post('/api/calls', bilateralCallInput({ title: { en: 'Matrix call on materials', ja: 'マトリクス公募' } }));
  expectStatus(call, 201);
  const callId: string = call.body.call.id;
  const otherCall = await creator.post('/api/calls', bilateralCallInput({ title: { en: 'Another call on oceans', ja: '別の公募' } }));
  expectStatus(otherCall, 201);
  const otherCallId: string = otherCall.body.call.id;

  const at = (handle: string) => `mx-${handle.toLowerCase().replace('!', '-conflicted')}@example.org`;
  const people = new Map<ActorKey, Person>();
  const make = async (key: ActorKey, extra: { isAdmin?: boolean; institution?: string } = {}) => {
    people.set(key, await person(godo, at(key), extra));
  };
  for (const key of ['ADM', 'ADM!'] as const) await make(key, { isAdmin: true });
  for (const key of ['CAD', 'PD', 'PO', 'OFF', 'RJ', 'RA', 'OBS', 'OUT', 'CAD!', 'PD!', 'PO!', 'OFF!', 'OBS!'] as const) await make(key);
  // RC works where P's JST PI works: Godo proposes the conflict when P is registered.
  await make('RC', { institution: 'The University of Tokyo' });
  const spareReviewer = await person(godo, 'mx-spare@example.org');
  const extraReviewer = await person(godo, 'mx-extra@example.org');
  const bystander = await person(godo, 'mx-bystander@example.org');

  const roles: [ActorKey | Person, Record<string, string>][] = [
    ['CAD', { role: 'admin' }], ['CAD!', { role: 'admin' }],
    ['PD', { role: 'pd', agency: 'JST' }], ['PD!', { role: 'pd', agency: 'JST' }],
    ['PO', { role: 'po', agency: 'JST' }], ['PO!', { role: 'po', agency: 'JST' }],
    ['OFF', { role: 'officer', agency: 'ANR' }], ['OFF!', { role: 'officer', agency: 'ANR' }],
    ['RJ', { role: 'reviewer', agency: 'JST' }], ['RA', { role: 'reviewer', agency: 'ANR' }], ['RC', { role: 'reviewer', agency: 'JST' }],
    ['OBS', { role: 'observer' }], ['OBS!', { role: 'observer' }],
    [spareReviewer, { role: 'reviewer', agency: 'JST' }], [extraReviewer, { role: 'reviewer', agency: 'ANR' }],
  ];
  for (const [who, membership] of roles) {
    const p = typeof who === 'string' ? people.get(who)! : who;
    await addMember(creator, callId, { personId: p.id, ...membership });
  }
  await addMember(creator, otherCallId, { personId: people.get('OUT')!.id, role: 'po', agency: 'JST' });

  const target = await named(creator, callId, {
    title: { en: 'Self-driving laboratories for solid-state electrolytes', ja: '全固体電解質のための自律実験室' },
  });
  const second = await named(creator, callId, {
    title: { en: 'Coastal resilience from satellite radar', ja: '衛星レーダーによる沿岸レジリエンス' },
    pis: Q_PIS,
    budget: { JST: [9_000_000, 9_000_000, 9_000_000], ANR: [90_000, 90_000, 90_000] },
  });
  // OUT's own call has its own proposal, so OUT's lists are not empty.
  await named(creator, otherCallId, { title: { en: 'Deep-sea microbial genomics', ja: '深海微生物のゲノム解析' } });

  const conflicts = await creator.get(`/api/calls/${callId}/conflicts`);
  const proposed = conflicts.body.conflicts.filter((c: { userId: string; source: string }) => c.userId === people.get('RC')!.id && c.source === 'automatic');
  expect(proposed.map((c: { proposalId: string }) => c.proposalId)).toEqual([target.id]);
  expectStatus(await creator.patch(`/api/conflicts/${proposed[0].id}`, { status: 'confirmed', version: proposed[0].version }), 200);
  for (const key of ['ADM!', 'CAD!', 'PD!', 'PO!', 'OFF!'] as const) {
    expectStatus(await people.get(key)!.client.post('/api/conflicts', { proposalId: target.id, type: 'personal' }), 201);
  }
  // An observer cannot declare; the conflict is on record as staff would have entered it.
  await godo.models.Conflict.create({ callId, proposalId: target.id, userId: people.get('OBS!')!.id, type: 'personal', status: 'confirmed', source: 'declared', version: 0 });

  const assignmentIds: Record<string, string> = {};
  const assignments: [string, Person, boolean][] = [
    [target.id, people.get('RJ')!, true], [target.id, people.get('RA')!, false], [target.id, extraReviewer, false],
    [second.id, people.get('RC')!, false], [second.id, people.get('RA')!, false],
  ];
  for (const [proposalId, reviewer, rapporteur] of assignments) {
    const res = await creator.post(`/api/calls/${callId}/assignments`, { proposalId, reviewerId: reviewer.id, rapporteur });
    expectStatus(res, 201);
    assignmentIds[`${proposalId}:${reviewer.id}`] = res.body.assignment.id;
    if (reviewer !== extraReviewer) {
      expectStatus(await reviewer.client.post(`/api/assignments/${res.body.assignment.id}/accept`, { certifyNoConflict: true }), 200);
    }
  }

  const comment = await people.get('RJ')!.client.post(`/api/proposals/${target.id}/comments`, { body: 'The budget for year two looks high.' });
  expectStatus(comment, 201);
  const invitation = await creator.post(`/api/calls/${callId}/invitations`, { email: 'mx-invitee@example.org', role: 'observer', language: 'en' });
  expectStatus(invitation, 201);

  // An empty document as a named version: enough for diff and restore to have something to name.
  const reportVersion = await godo.models.ReportVersion.create({
    callId,
    proposalId: target.id,
    label: 'Matrix version',
    state: Buffer.from(Y.encodeStateAsUpdate(new Y.Doc())),
    bytes: 2,
    createdBy: spareReviewer.id,
    createdAt: new Date(),
  });

  const actors = {} as Record<ActorKey, Actor>;
  for (const [key, p] of people) actors[key] = { key, id: p.id, email: p.email, cookie: p.client.cookieHeader() };
  actors.ANO = { key: 'ANO', id: null, email: null, cookie: null };
  return {
    godo,
    creator,
    callId,
    actors,
    target,
    second,
    spareReviewer,
    bystander: { id: bystander.id, email: bystander.email },
    removableAssignmentId: assignmentIds[`${target.id}:${extraReviewer.id}`],
    rjAssignmentId: assignmentIds[`${target.id}:${people.get('RJ')!.id}`],
    rcConflictId: proposed[0].id,
    commentId: comment.body.comment.id,
    reportVersionId: String(reportVersion._id),
    invitationToken: String(invitation.body.link).replace('/invite/', ''),
    phase: 'setup',
    contentHash: '',
    targetPosition: 1,
    jointLength: 2,
    clients: Object.fromEntries([...people].map(([key, p]) => [key, p.client])) as World['clients'],
  };
}

async function saveReview(client: HttpClient, proposalId: string, scores: [number, number, number], submit: boolean) {
  const mine = await client.get(`/api/proposals/${proposalId}/reviews/mine`);
  const version = mine.body?.review?.version ?? 0;
  const [excellence, impact, implementation] = scores;
  const res = await client.put(`/api/proposals/${proposalId}/reviews/mine`, {
    scores: { excellence, impact, implementation },
    comments: { excellence: 'Clear hypotheses.', impact: 'Strong industrial pull.', implementation: 'Tight but feasible.' },
    confidence: 4,
    submit,
    version,
  });
  expectStatus(res, 200);
}

async function movePhase(w: World, to: Phase) {
  const { version } = (await w.creator.get(`/api/calls/${w.callId}`)).body.call;
  expectStatus(await w.creator.post(`/api/calls/${w.callId}/phase`, { to, version }), 200);
}

/**
 * Takes the world (as the previous phase left it) into `phase` through the API, the way a call
 * gets there: review (RJ submits P, RA keeps a draft of P, Q is reviewed), panel (RA submits,
 * the rapporteur writes the consensus), finalization (the PO sets the decision), decided (JST and
 * ANR sign off P). Then reads what the requests of the phase need.
 */
export async function enterPhase(w: World, phase: Phase): Promise<void> {
  const c = w.clients;
  const [p, q] = [w.target.id, w.second.id];
  if (phase === 'review') {
    await movePhase(w, 'review');
    await saveReview(c.RJ, p, [4, 4, 3.5], true);
    await saveReview(c.RA, p, [3, 3.5, 3], false);
    await saveReview(c.RC, q, [3, 3, 3], true);
    await saveReview(c.RA, q, [2.5, 3, 3], true);
  } else if (phase === 'panel') {
    await saveReview(c.RA, p, [3, 3.5, 3], true);
    await movePhase(w, 'panel');
    const consensus = { excellence: { score: 3.5 }, impact: { score: 4 }, implementation: { score: 3 } };
    expectStatus(await c.RJ.put(`/api/proposals/${p}/consensus`, { criteria: consensus, recommendation: 'fund', version: 0 }), 200);
  } else if (phase === 'finalization') {
    expectStatus(await c.PO.put(`/api/proposals/${p}/decision`, { kind: 'fund', version: 0 }), 200);
    await movePhase(w, 'finalization');
  } else if (phase === 'decided') {
    const { contentHash } = (await w.creator.get(`/api/proposals/${p}/decision`)).body.decision;
    expectStatus(await c.PO.post(`/api/proposals/${p}/signoffs`, { contentHash }), 201);
    expectStatus(await c.OFF.post(`/api/proposals/${p}/signoffs`, { contentHash }), 201);
    await movePhase(w, 'decided');
  }
  w.phase = phase;
  const decision = await w.creator.get(`/api/proposals/${p}/decision`);
  expectStatus(decision, 200);
  w.contentHash = decision.body.decision.contentHash;
  const ranking = await w.creator.get(`/api/calls/${w.callId}/ranking`);
  expectStatus(ranking, 200);
  const joint: { proposalId: string; position: number }[] = ranking.body.ranking.joint;
  w.jointLength = joint.length;
  w.targetPosition = joint.find((entry) => entry.proposalId === p)!.position;
}
