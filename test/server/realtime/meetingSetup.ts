import type { RunningGodo } from '../../../server/index.js';
import { createSession } from '../../../server/commands/auth/sessions.js';
import { SESSION_COOKIE } from '../../../server/http/middleware/session.js';
import type { Role } from '../../../shared/enums.js';
import { bilateralCallInput, createUser } from '../../helpers/fixtures.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { connectPeer, type Peer } from './peer.js';

/** A REST response as the tests read it. */
export interface ApiResponse {
  status: number;
  body: any;
  text: string;
}

/**
 * A person of a realtime test. Sessions are created straight in the database (as a sign-in
 * would), so the many people of these tests neither wait for argon2 nor trip the login rate limit.
 */
export interface Participant {
  id: string;
  name: string;
  agency?: string;
  /** The `Cookie` header of their session, for sockets and REST calls. */
  cookie: string;
  api: {
    get: (path: string) => Promise<ApiResponse>;
    post: (path: string, body?: unknown) => Promise<ApiResponse>;
    patch: (path: string, body?: unknown) => Promise<ApiResponse>;
    put: (path: string, body?: unknown) => Promise<ApiResponse>;
    delete: (path: string) => Promise<ApiResponse>;
  };
}

/** The people and proposals of a meeting test: a JST–ANR call with one person per kind of participant. */
export interface MeetingSetup {
  callId: string;
  pd: Participant;
  officerAnr: Participant;
  reviewerJst: Participant;
  reviewerAnr: Participant;
  /** A JST reviewer conflicted with proposal `a`. */
  conflicted: Participant;
  observer: Participant;
  outsider: Participant;
  /** Proposals in reference order: a and b involve JST and ANR, c involves JST only. */
  a: string;
  b: string;
  c: string;
  refs: Record<string, string>;
  titles: Record<string, string>;
}

/** Creates a person with a session (and a role in the call unless `role` is null). */
export async function participant(
  godo: RunningGodo,
  callId: string | null,
  handle: string,
  role: Role | null,
  agency: string | undefined,
  now: Date,
): Promise<Participant> {
  const user = await createUser(godo, { email: `${handle}@example.org`, name: handle });
  if (callId && role) await godo.models.Membership.create({ callId, userId: user.id, role, ...(agency ? { agency } : {}) });
  const token = await createSession(godo.models, (await godo.models.User.findById(user.id))!._id, {}, now);
  const cookie = `${SESSION_COOKIE}=${token}`;
  const http = new HttpClient(godo.url);
  const headers = { cookie };
  return {
    id: user.id,
    name: handle,
    agency,
    cookie,
    api: {
      get: (path) => http.request('GET', path, undefined, headers),
      post: (path, body) => http.request('POST', path, body ?? {}, headers),
      patch: (path, body) => http.request('PATCH', path, body ?? {}, headers),
      put: (path, body) => http.request('PUT', path, body ?? {}, headers),
      delete: (path) => http.request('DELETE', path, undefined, headers),
    },
  };
}

/** Creates the call, its people and proposals straight through the models (names prefixed by `prefix`). */
export async function setUpMeeting(godo: RunningGodo, prefix: string, now: Date = new Date()): Promise<MeetingSetup> {
  const call = await godo.models.Call.create({ ...bilateralCallInput(), phase: 'panel', version: 0 });
  const callId = String(call._id);
  const person = (handle: string, role: Role | null, agency?: string) =>
    participant(godo, role ? callId : null, `${prefix}-${handle}`, role, agency, now);
  const [pd, officerAnr, reviewerJst, reviewerAnr, conflicted, observer, outsider] = await Promise.all([
    person('pd', 'pd', 'JST'),
    person('officer', 'officer', 'ANR'),
    person('rev-jst', 'reviewer', 'JST'),
    person('rev-anr', 'reviewer', 'ANR'),
    person('rev-coi', 'reviewer', 'JST'),
    person('observer', 'observer'),
    person('outsider', null),
  ]);
  const proposal = async (n: number, agencies: string[], title: string) =>
    String(
      (
        await godo.models.Proposal.create({
          callId,
          ref: `SICORP-2027-${prefix}-${n}`,
          title: { en: title, ja: `${title}（日本語）` },
          pis: agencies.map((agency) => ({ name: `PI ${agency}`, institution: `${agency} Institute`, email: `pi@${agency.toLowerCase()}.example`, agency })),
          budget: Object.fromEntries(agencies.map((agency) => [agency, [1_000, 1_000, 1_000]])),
          periodMonths: 36,
        })
      )._id,
    );
  const a = await proposal(1, ['JST', 'ANR'], `${prefix} Solid electrolytes`);
  const b = await proposal(2, ['JST', 'ANR'], `${prefix} Ocean carbon`);
  const c = await proposal(3, ['JST'], `${prefix} Quantum sensing`);
  await godo.models.Conflict.create({ callId, proposalId: a, userId: conflicted.id, type: 'personal', status: 'confirmed', source: 'declared' });
  const proposals = await godo.models.Proposal.find({ callId }).lean();
  const refs = Object.fromEntries(proposals.map((p) => [String(p._id), p.ref]));
  const titles = Object.fromEntries(proposals.map((p) => [String(p._id), p.title?.en ?? '']));
  return { callId, pd, officerAnr, reviewerJst, reviewerAnr, conflicted, observer, outsider, a, b, c, refs, titles };
}

/** Connects a person's socket and joins the meeting, resolving with the peer, its first state and the join's seq. */
export async function joinMeeting(godo: Pick<RunningGodo, 'url'>, person: Participant, callId: string) {
  const peer = await connectPeer(godo, person.cookie);
  const statePromise = peer.waitFor('meeting:state', (s) => s.callId === callId);
  const ack = await peer.request('meeting:join', { callId });
  if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
  return { peer, state: await statePromise, seq: ack.seq! };
}

/** Sends a meeting command and fails loudly unless it is acknowledged with ok. */
export async function ok<T extends object = { seq?: number }>(peer: Peer, event: string, payload: unknown) {
  const ack = await peer.request<T>(event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${JSON.stringify(ack.error)}`);
  return ack as { ok: true } & T;
}
