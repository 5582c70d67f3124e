import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '../../../client/components/i18n/translator';
import { MeetingSession, type MeetingView, type NoAnswer } from '../../../client/features/meeting/meetingSession';
import { meetingErrorText } from '../../../client/features/meeting/useMeetingAction';
import type { GodoClientSocket } from '../../../client/realtime/socket';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { joinMeeting, ok, setUpMeeting, type Participant } from '../../server/realtime/meetingSetup.js';
import { connectPeer, type Peer } from '../../server/realtime/peer.js';

let godo: RunningGodo;
const peers: Peer[] = [];
const sessions: MeetingSession[] = [];
let setups = 0;

beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  for (const session of sessions) session.stop();
  for (const peer of peers) peer.close();
  await godo?.close();
});

/** The client's meeting session of `person`, on a real socket, as the meeting screen starts it. */
async function sessionOf(person: Participant, callId: string, roleParticipates: boolean, ackTimeoutMs?: number): Promise<MeetingSession> {
  const peer = await connectPeer(godo, person.cookie);
  peers.push(peer);
  const session = new MeetingSession(peer.socket as unknown as GodoClientSocket, callId, roleParticipates, ackTimeoutMs);
  sessions.push(session);
  session.start();
  await until(session, (view) => view.joined);
  return session;
}

/** Resolves with the session's view once `ready` holds for it (checked now and after every change). */
function until(session: MeetingSession, ready: (view: MeetingView) => boolean): Promise<MeetingView> {
  return new Promise((resolve) => {
    const check = () => {
      if (!ready(session.snapshot())) return;
      unsubscribe();
      resolve(session.snapshot());
    };
    const unsubscribe = session.subscribe(check);
    check();
  });
}

describe('MeetingSession: a role changed during the meeting', () => {
  it('keeps a reviewer made observer from speaking on the next item (the fresh state wins over the role it was started with)', async () => {
    const s = await setUpMeeting(godo, `msr${++setups}`);
    const pd = await joinMeeting(godo, s.pd, s.callId);
    peers.push(pd.peer);
    const session = await sessionOf(s.reviewerJst, s.callId, true);

    const first = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });
    expect((await until(session, (v) => (v.state?.seq ?? 0) >= first.seq!)).state!.you.participate).toBe(true);

    const res = await s.pd.api.put(`/api/calls/${s.callId}/members`, { personId: s.reviewerJst.id, role: 'observer', agency: 'JST' });
    expect(res.status, res.text).toBe(200);
    await until(session, (v) => v.state?.you.participate === false);

    // The item changes: the event carries no permissions, so the session decides from what it knows.
    const next = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    const view = await until(session, (v) => (v.state?.seq ?? 0) >= next.seq!);
    expect(view.state!.current?.proposalId).toBe(s.b);
    expect(view.state!.you.participate).toBe(false);
  });

  it('lets an observer made reviewer speak on the next item', async () => {
    const s = await setUpMeeting(godo, `msr${++setups}`);
    const pd = await joinMeeting(godo, s.pd, s.callId);
    peers.push(pd.peer);
    const session = await sessionOf(s.observer, s.callId, false);

    const res = await s.pd.api.put(`/api/calls/${s.callId}/members`, { personId: s.observer.id, role: 'reviewer', agency: 'JST' });
    expect(res.status, res.text).toBe(200);
    await until(session, (v) => v.state?.you.participate === true);

    const next = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    const view = await until(session, (v) => (v.state?.seq ?? 0) >= next.seq!);
    expect(view.state!.current?.proposalId).toBe(s.b);
    expect(view.state!.you.participate).toBe(true);
  });
});

describe('MeetingSession: a request to leave the room', () => {
  it('keeps the reason code of the notice (the screen words it) and counts each request', async () => {
    const s = await setUpMeeting(godo, `msr${++setups}`);
    const pd = await joinMeeting(godo, s.pd, s.callId);
    peers.push(pd.peer);
    const session = await sessionOf(s.conflicted, s.callId, true);
    expect(session.snapshot()).toMatchObject({ leaveRequests: 0, leaveReason: null });

    await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });
    const view = await until(session, (v) => v.leaveRequests === 1);
    expect(view.leaveReason).toBe('conflict');
    expect(view.state!.current).toMatchObject({ proposalId: s.a, conflicted: true });
  });
});

describe('MeetingSession: a command without an answer', () => {
  it('resolves as no_answer, worded apart from the server\'s "database unavailable" in both languages', async () => {
    const s = await setUpMeeting(godo, `msr${++setups}`);
    const session = await sessionOf(s.pd, s.callId, true, 300);
    const peer = peers.at(-1)!;
    const lost = until(session, (v) => !v.joined);
    // The connection goes: the command waits in the socket's buffer and nobody answers it in time.
    peer.socket.disconnect();
    await lost;
    const result = await session.send('meeting:setCurrent', { proposalId: s.a });
    expect(result).toEqual({ ok: false, error: { code: 'no_answer', message: 'no answer within 300 ms' } });
    const { error } = result as NoAnswer;

    for (const language of ['en', 'ja'] as const) {
      const i18n = createI18n(language);
      const noAnswer = meetingErrorText(i18n, error);
      const unavailable = meetingErrorText(i18n, { code: 'unavailable', message: 'database unreachable' });
      // Both are the person's language, not the code or the server's English.
      expect(noAnswer).toBe(i18n.t('meeting.error.no_answer'));
      expect(unavailable).toBe(i18n.t('meeting.error.unavailable'));
      expect(noAnswer).not.toBe(unavailable);
    }
    expect(meetingErrorText(createI18n('en'), error)).toMatch(/may or may not have been done/);
  });
});
