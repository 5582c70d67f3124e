import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { CLIENT_EVENT_NAMES, CLIENT_EVENT_SCHEMAS } from '../../../shared/realtime/clientEvents.js';
import type { ClientEventName } from '../../../shared/realtime/events.js';
import { startTestGodo } from '../../helpers/godo.js';
import { within } from '../collab/support/clients.js';
import { joinMeeting, ok, setUpMeeting, type MeetingSetup } from '../realtime/meetingSetup.js';
import { connectPeer, type Peer } from '../realtime/peer.js';
import { FUZZ_SEED, hostileBody, prng } from './support/fuzz.js';

/*
 * Seeded random payloads to every Socket.IO client event (enumerated from clientEvents.ts), sent by
 * the meeting's PD (allowed everything, so only the payload stands in the way): every one is
 * acknowledged `{ok: false, error: {code, message}}` (or, too big for the transport, ends only that
 * socket), the meeting is unchanged, and a reviewer syncing alongside is answered every time.
 */

const CASES_PER_EVENT = Number(process.env.FUZZ_CASES ?? 30);

let godo: RunningGodo;
let s: MeetingSetup;
let pd: Peer;
let reviewer: Peer;
let pollId: string;
let sent = 0;
let skippedValid = 0;
let socketsEnded = 0;
let goodAcks = 0;
const goodFailures: string[] = [];

function validPayloads(): Record<ClientEventName, unknown> {
  const callId = s.callId;
  return {
    'meeting:join': { callId },
    'meeting:leave': { callId },
    'meeting:sync': { callId },
    'meeting:setAgenda': { callId, proposalIds: [s.c, s.b, s.a] },
    'meeting:setCurrent': { callId, proposalId: s.b },
    'meeting:controlTimer': { callId, proposalId: s.b, action: 'start', durationSeconds: 60 },
    'meeting:raiseHand': { callId },
    'meeting:lowerHand': { callId, userId: s.reviewerJst.id },
    'meeting:clearHands': { callId },
    'meeting:callNext': { callId },
    'meeting:openPoll': { callId, proposalId: s.b, criterion: 'impact' },
    'meeting:vote': { callId, pollId, value: 4 },
    'meeting:closePoll': { callId, pollId },
    'meeting:recordDecision': { callId, proposalId: s.b, outcome: 'Fund' },
    'comment:subscribe': { proposalId: s.b },
    'comment:unsubscribe': { proposalId: s.b },
    'review:subscribe': { proposalId: s.b },
    'review:unsubscribe': { proposalId: s.b },
  };
}

/** The payload as the socket will carry it: parsed JSON when the hostile body is JSON, else the raw text or bytes. */
function payloadOf(body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return JSON.parse(text);
  } catch {
    return typeof body === 'string' ? body : Buffer.from(body);
  }
}

let rawAckId = 1_000_000;

/**
 * Emits `payload` and resolves with the acknowledgement (or the error text). socket.io-client's
 * encoder recurses through the payload and overflows on 10,000 levels of nesting before anything is
 * sent, so such a payload goes out as a hand-written Socket.IO packet on the engine instead, with
 * an acknowledgement id of our own (as an attacker's client would send it).
 */
async function sendHostile(peer: Peer, event: string, payload: unknown, body: string | Uint8Array): Promise<any> {
  try {
    return await peer.request<Record<string, unknown>>(event, payload);
  } catch (error) {
    if (!(error instanceof RangeError) || typeof body !== 'string') return (error as Error).message;
    const id = rawAckId++;
    const acks = (peer.socket as unknown as { acks: Record<number, (answer: unknown) => void> }).acks;
    const answer = new Promise((resolve) => {
      acks[id] = resolve;
    });
    peer.socket.io.engine.write(`42${id}[${JSON.stringify(event)},${body}]`);
    return within(answer, `acknowledgement of a raw ${event} packet`, 5_000).catch((e: Error) => e.message);
  }
}

async function meetingDoc(): Promise<string> {
  const meeting = (await godo.models.Meeting.findOne({ callId: s.callId }).lean()) as Record<string, unknown>;
  // Presence is not content: a socket ended by the transport limit leaves the meeting (a new seq).
  const { attendance: _a, updatedAt: _u, seq: _s, ...rest } = meeting;
  return JSON.stringify(rest);
}

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpMeeting(godo, 'fz');
  pd = (await joinMeeting(godo, s.pd, s.callId)).peer;
  reviewer = (await joinMeeting(godo, s.reviewerJst, s.callId)).peer;
  await ok(pd, 'meeting:setAgenda', { callId: s.callId, proposalIds: [s.a, s.b, s.c] });
  ({ pollId } = await ok<{ pollId: string }>(pd, 'meeting:openPoll', { callId: s.callId, proposalId: s.a, criterion: 'excellence' }));
}, 60_000);

afterAll(async () => {
  console.info(`socket fuzz (seed ${FUZZ_SEED}): ${sent} hostile payloads to ${CLIENT_EVENT_NAMES.length} events, ${skippedValid} still valid and not sent, ${socketsEnded} sockets ended by the transport limit; reviewer: ${goodAcks} acks, ${goodFailures.length} failures`);
  pd?.close();
  reviewer?.close();
  await godo?.close();
});

describe(`fuzzed payloads on every client event (seed ${FUZZ_SEED})`, () => {
  it('refuses every hostile payload with an error acknowledgement, changes nothing, and keeps serving the others', async () => {
    const before = await meetingDoc();
    const valid = validPayloads();
    const problems: string[] = [];
    let running = true;
    const good = (async () => {
      while (running) {
        const ack = await reviewer.request('meeting:sync', { callId: s.callId }).catch((error: Error) => ({ ok: false, error: { code: error.message } }));
        if (ack.ok) goodAcks += 1;
        else goodFailures.push(JSON.stringify(ack));
      }
    })();

    for (const [eventIndex, event] of CLIENT_EVENT_NAMES.entries()) {
      const rng = prng(FUZZ_SEED + 1000 + eventIndex);
      for (let n = 0; n < CASES_PER_EVENT; n++) {
        const { label, body } = hostileBody(rng, valid[event]);
        const payload = payloadOf(body);
        if (CLIENT_EVENT_SCHEMAS[event].safeParse(payload).success) {
          skippedValid += 1;
          continue;
        }
        sent += 1;
        const where = `${event} case ${n} (seed ${FUZZ_SEED + 1000 + eventIndex}) ${label}`;
        if (!pd.socket.connected) {
          socketsEnded += 1;
          pd = await connectPeer(godo, s.pd.cookie);
        }
        const ended = new Promise<'ended'>((resolve) => pd.socket.once('disconnect', () => resolve('ended')));
        const answer = await Promise.race([sendHostile(pd, event, payload, body), ended]);
        if (answer === 'ended') continue; // the transport's 256 KB message limit: only this socket ends
        if (typeof answer === 'string') problems.push(`${where}: no acknowledgement (${answer})`);
        else if (answer.ok || typeof answer.error?.code !== 'string' || typeof answer.error?.message !== 'string') problems.push(`${where}: ${JSON.stringify(answer).slice(0, 160)}`);
      }
    }
    running = false;
    await good;
    expect(problems).toEqual([]);
    expect(await meetingDoc()).toBe(before);
    expect(goodFailures).toEqual([]);
    expect(goodAcks).toBeGreaterThan(5);
    // The PD, reconnected, still moderates.
    if (!pd.socket.connected) pd = await connectPeer(godo, s.pd.cookie);
    await ok(pd, 'meeting:join', { callId: s.callId });
    const moved = await ok(pd, 'meeting:setCurrent', { callId: s.callId, proposalId: s.c });
    await within(reviewer.waitFor('meeting:currentChanged', (e) => e.seq === moved.seq), 'reviewer sees the move');
  }, 300_000);
});
