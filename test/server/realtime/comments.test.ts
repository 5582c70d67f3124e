import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import type { CommentDto } from '../../../shared/schemas/comment.js';
import { startTestGodo } from '../../helpers/godo.js';
import { setUpMeeting, type MeetingSetup, type Participant } from './meetingSetup.js';
import { connectPeer, type Peer } from './peer.js';

let godo: RunningGodo;
let s: MeetingSetup;
const peers: Peer[] = [];
// A valid anchor: two encoded Yjs relative positions, as the client would send them.
const ANCHOR = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]).toString('base64');

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpMeeting(godo, 'cmt');
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

/** A socket subscribed to the live comments of the given proposals. */
async function subscriber(person: Participant, ...proposalIds: string[]): Promise<Peer> {
  const peer = await connectPeer(godo, person.cookie);
  peers.push(peer);
  for (const proposalId of proposalIds) expect(await peer.request('comment:subscribe', { proposalId })).toEqual({ ok: true });
  return peer;
}

const bodiesOf = (peer: Peer) => peer.received.filter((r) => r.event.startsWith('comment:')).map((r) => r.payload.comment.body);

describe('live delivery', () => {
  it('reaches everyone subscribed who may see the thread, as it is written', async () => {
    const pd = await subscriber(s.pd, s.b);
    const anr = await subscriber(s.reviewerAnr, s.b);
    const thread = await post(s.reviewerJst, s.b, { body: 'Is the ocean sampling plan realistic?', anchor: ANCHOR });
    expect(thread).toMatchObject({ threadId: null, anchor: ANCHOR, visibility: 'panel', agency: null, author: { userId: s.reviewerJst.id } });
    for (const peer of [pd, anr]) expect((await peer.waitFor('comment:created', (e) => e.comment.id === thread.id)).comment).toEqual(thread);
    const reply = await post(s.reviewerAnr, s.b, { body: 'Yes, with the second vessel.', threadId: thread.id, mentions: [s.reviewerJst.id] });
    expect(reply).toMatchObject({ threadId: thread.id, anchor: null, mentions: [s.reviewerJst.id] });
    expect((await pd.waitFor('comment:created', (e) => e.comment.id === reply.id)).comment.body).toBe('Yes, with the second vessel.');
  });

  it('refuses a subscription from a conflicted person or an outsider (not_found)', async () => {
    for (const person of [s.conflicted, s.outsider]) {
      const peer = await connectPeer(godo, person.cookie);
      peers.push(peer);
      expect(await peer.request('comment:subscribe', { proposalId: s.a })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const peer = await connectPeer(godo, s.pd.cookie);
    peers.push(peer);
    expect(await peer.request('comment:subscribe', { proposalId: 'nope' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });
});

describe('visibility', () => {
  it('keeps an agency-only thread from the other agency, live and over REST', async () => {
    const anr = await subscriber(s.reviewerAnr, s.b);
    const jstPeer = await subscriber(s.pd, s.b);
    const internal = await post(s.reviewerJst, s.b, { body: 'JST side only: budget looks inflated', visibility: 'agency' });
    expect(internal).toMatchObject({ visibility: 'agency', agency: 'JST' });
    // A panel comment after it works as a barrier: once it arrives, the earlier one would have too.
    const barrier = await post(s.reviewerJst, s.b, { body: 'Panel barrier one' });
    await anr.waitFor('comment:created', (e) => e.comment.id === barrier.id);
    await jstPeer.waitFor('comment:created', (e) => e.comment.id === internal.id);
    expect(bodiesOf(anr)).not.toContain(internal.body);

    const anrList = await s.reviewerAnr.api.get(`/api/proposals/${s.b}/comments`);
    expect(anrList.body.comments.map((c: CommentDto) => c.id)).not.toContain(internal.id);
    const jstList = await s.pd.api.get(`/api/proposals/${s.b}/comments`);
    expect(jstList.body.comments.map((c: CommentDto) => c.id)).toContain(internal.id);
    expect((await s.reviewerAnr.api.post(`/api/proposals/${s.b}/comments`, { body: 'me too', threadId: internal.id })).status).toBe(404);
    expect((await s.reviewerAnr.api.post(`/api/comments/${internal.id}/resolve`)).status).toBe(404);
    const search = await s.reviewerAnr.api.get(`/api/calls/${s.callId}/comments/search?q=inflated`);
    expect(search.body.comments).toEqual([]);
    expect((await s.observer.api.post(`/api/proposals/${s.b}/comments`, { body: 'x', visibility: 'agency' })).status).toBe(403);
  });

  it('shows a conflicted person nothing of the proposal: not live (even subscribed before the conflict), not over REST', async () => {
    const later = await subscriber(s.officerAnr, s.c, s.b);
    await godo.models.Conflict.create({ callId: s.callId, proposalId: s.c, userId: s.officerAnr.id, type: 'other', status: 'confirmed', source: 'staff' });
    const hidden = await post(s.reviewerJst, s.c, { body: 'Quantum sensing thread' });
    const barrier = await post(s.reviewerJst, s.b, { body: 'Panel barrier two' });
    await later.waitFor('comment:created', (e) => e.comment.id === barrier.id);
    expect(bodiesOf(later)).not.toContain(hidden.body);

    const onA = await post(s.reviewerJst, s.a, { body: 'Solid electrolytes: the cathode data' });
    expect((await s.conflicted.api.get(`/api/proposals/${s.a}/comments`)).status).toBe(404);
    expect((await s.conflicted.api.post(`/api/proposals/${s.a}/comments`, { body: 'hello' })).status).toBe(404);
    expect((await s.conflicted.api.patch(`/api/comments/${onA.id}`, { body: 'x', version: 0 })).status).toBe(404);
    expect((await s.conflicted.api.post(`/api/comments/${onA.id}/resolve`)).status).toBe(404);
    const search = await s.conflicted.api.get(`/api/calls/${s.callId}/comments/search?q=cathode`);
    expect(search.status).toBe(200);
    expect(search.body.comments).toEqual([]);
    const unread = await s.conflicted.api.get(`/api/calls/${s.callId}/comments/unread`);
    expect(unread.body.unread.map((u: { proposalId: string }) => u.proposalId)).not.toContain(s.a);
    const outsider = await s.outsider.api.get(`/api/calls/${s.callId}/comments/search?q=cathode`);
    expect(outsider.status).toBe(404);
    const allowed = await s.reviewerAnr.api.get(`/api/calls/${s.callId}/comments/search?q=CATHODE`);
    expect(allowed.body.comments.map((c: CommentDto) => c.id)).toEqual([onA.id]);
  });
});

describe('unread counts', () => {
  it('count others’ comments since the person last marked the proposal read', async () => {
    const before = await s.observer.api.get(`/api/calls/${s.callId}/comments/unread`);
    const startA = before.body.unread.find((u: { proposalId: string }) => u.proposalId === s.a)?.unread ?? 0;
    await post(s.reviewerJst, s.a, { body: 'One' });
    await post(s.reviewerAnr, s.a, { body: 'Two' });
    const counted = await s.observer.api.get(`/api/calls/${s.callId}/comments/unread`);
    expect(counted.body.unread).toContainEqual({ proposalId: s.a, unread: startA + 2 });
    const read = await s.observer.api.post(`/api/proposals/${s.a}/comments/read`);
    expect(read.body).toMatchObject({ unread: 0 });
    expect((await s.observer.api.get(`/api/proposals/${s.a}/comments`)).body.unread).toBe(0);
    await post(s.reviewerJst, s.a, { body: 'Three' });
    const list = await s.observer.api.get(`/api/proposals/${s.a}/comments`);
    expect(list.body.unread).toBe(1);
    const after = await s.observer.api.get(`/api/calls/${s.callId}/comments/unread`);
    expect(after.body.unread).toContainEqual({ proposalId: s.a, unread: 1 });
    // One's own comments are never unread.
    const own = await s.reviewerJst.api.get(`/api/proposals/${s.a}/comments`);
    const others = own.body.comments.filter((c: CommentDto) => c.author.userId !== s.reviewerJst.id).length;
    expect(own.body.unread).toBe(others);
  });
});

describe('editing, deleting, resolving', () => {
  it('keeps each replaced body in the history, refuses stale versions and other people, and soft-deletes', async () => {
    const live = await subscriber(s.reviewerAnr, s.b);
    const original = await post(s.reviewerJst, s.b, { body: 'First wording' });
    const edited = await s.reviewerJst.api.patch(`/api/comments/${original.id}`, { body: 'Second wording', version: 0 });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.comment).toMatchObject({ body: 'Second wording', version: 1, history: [{ body: 'First wording' }], editedAt: expect.any(String) });
    const again = await s.reviewerJst.api.patch(`/api/comments/${original.id}`, { body: 'Third wording', version: 1 });
    expect(again.body.comment.history.map((h: { body: string }) => h.body)).toEqual(['First wording', 'Second wording']);
    expect((await live.waitFor('comment:updated', (e) => e.comment.version === 2 && e.comment.id === original.id)).comment.body).toBe('Third wording');

    const stale = await s.reviewerJst.api.patch(`/api/comments/${original.id}`, { body: 'Late', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect((await s.reviewerAnr.api.patch(`/api/comments/${original.id}`, { body: 'Mine now', version: 2 })).status).toBe(403);
    expect((await s.reviewerAnr.api.delete(`/api/comments/${original.id}`)).status).toBe(403);

    const deleted = await s.reviewerJst.api.delete(`/api/comments/${original.id}`);
    expect(deleted.body.comment).toMatchObject({ deleted: true, body: null, history: [] });
    expect((await live.waitFor('comment:updated', (e) => e.comment.id === original.id && e.comment.deleted)).comment.body).toBeNull();
    const stored = await godo.models.Comment.findById(original.id).lean();
    expect(stored!.history.map((h) => h.body)).toEqual(['First wording', 'Second wording', 'Third wording']);
    const edit = await s.reviewerJst.api.patch(`/api/comments/${original.id}`, { body: 'Back', version: 3 });
    expect(edit.body.error.code).toBe('comment_deleted');
    const listed = (await s.pd.api.get(`/api/proposals/${s.b}/comments`)).body.comments.find((c: CommentDto) => c.id === original.id);
    expect(listed).toMatchObject({ deleted: true, body: null });
  });

  it('resolves and reopens a thread from any of its comments', async () => {
    const thread = await post(s.reviewerJst, s.b, { body: 'Check the budget table' });
    const reply = await post(s.pd, s.b, { body: 'Checked', threadId: thread.id });
    const resolved = await s.pd.api.post(`/api/comments/${reply.id}/resolve`);
    expect(resolved.body.comment).toMatchObject({ id: thread.id, resolved: { by: s.pd.id } });
    expect((await s.observer.api.post(`/api/comments/${thread.id}/reopen`)).status).toBe(403);
    const reopened = await s.reviewerJst.api.post(`/api/comments/${thread.id}/reopen`);
    expect(reopened.body.comment.resolved).toBeNull();
  });
});

describe('validation', () => {
  it('refuses bad anchors, mentions of non-members, replies that set a visibility, and empty search', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ body: 'x', anchor: 'not base64!' }, 'anchor'],
      [{ body: 'x', anchor: 'A'.repeat(2_000) }, 'anchor'],
      [{ body: '' }, 'body'],
      [{ body: 'x', mentions: [s.outsider.id] }, 'mentions'],
      [{ body: 'x', threadId: s.b, visibility: 'agency' }, 'threadId'],
      [{ body: 'x', visibility: 'secret' }, 'visibility'],
      [{ body: { $gt: '' } }, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await s.reviewerJst.api.post(`/api/proposals/${s.b}/comments`, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields)).toContain(field);
    }
    expect((await s.pd.api.get(`/api/calls/${s.callId}/comments/search`)).status).toBe(400);
    const regex = await s.pd.api.get(`/api/calls/${s.callId}/comments/search?q=${encodeURIComponent('.*(')}`);
    expect(regex.status).toBe(200);
    expect(regex.body.comments).toEqual([]);
  });
});
