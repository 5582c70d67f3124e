import { Types } from 'mongoose';
import type { Attendee, MeetingEventBase, MustLeaveEntry } from '../../shared/realtime/meetingState.js';
import type { MeetingChange } from '../commands/meetings/meetingChange.js';
import type { MeetingDoc } from '../commands/meetings/meetingStore.js';
import type { Models } from '../models/index.js';
import type { CallAccess, ProposalAccess } from '../policies/access.js';
import { can } from '../policies/authorize.js';
import {
  meetingProposal,
  presentAgenda,
  presentCurrent,
  presentDecision,
  presentHands,
  presentMeetingState,
  presentPoll,
  presentTimer,
  type MeetingFacts,
  type MeetingProposal,
  type MeetingViewer,
} from '../presenters/meeting.js';
import { meetingRoom, type MeetingRooms } from './meetingRooms.js';
import { socketsIn, type GodoIo, type GodoSocket } from './types.js';

/** Sends meeting changes and states, each socket seeing only what its person may see. */
export interface MeetingBroadcaster {
  /** Tells every socket in the meeting (but `except`) about a change, filtered per person. */
  broadcast(change: MeetingChange, options?: { except?: string }): Promise<void>;
  /**
   * Sends one socket the whole meeting as its person may see it, followed by the leave notice
   * when the item under discussion is one they are conflicted with (a late joiner is told too).
   */
  sendState(socket: GodoSocket, meeting: MeetingDoc): Promise<void>;
}

/** Where a shared meeting event goes: a local broadcast to some of this process's sockets. */
type BroadcastTarget = ReturnType<GodoIo['local']['to']>;

/**
 * A proposal access for the meeting rules, which depend only on role, agency and conflict; the
 * review facts (assignment, rapporteur, own review, finalised) do not matter to them and stay false.
 */
function meetingItemAccess(access: CallAccess, proposalId: string, proposal: MeetingProposal | undefined, conflicted: boolean): ProposalAccess {
  return {
    ...access,
    proposal: { id: proposalId, agencies: proposal?.agencies ?? [] },
    conflicted,
    assigned: false,
    rapporteur: false,
    ownReviewSubmitted: false,
    finalised: false,
  };
}

/**
 * Creates the broadcaster of one realtime server. It reaches this process's sockets only (other
 * processes run their own for theirs: server/scale/realtimeCluster.ts). `attendanceOf` defaults to
 * this process's presence; with several processes it merges theirs.
 */
export function meetingBroadcaster(
  io: GodoIo,
  models: Models,
  rooms: MeetingRooms,
  clock: () => Date,
  attendanceOf: (callId: string) => Promise<Attendee[]> = async (callId) => rooms.attendance(callId),
): MeetingBroadcaster {
  /** Proposals the meeting shows, and each listed person's conflicts among them (one query each). */
  async function loadFacts(meeting: MeetingDoc, userIds: string[]) {
    const ids = new Set<string>(meeting.agenda.map(String));
    if (meeting.current) ids.add(String(meeting.current.proposalId));
    for (const item of [...meeting.timers, ...meeting.polls, ...meeting.decisions]) ids.add(String(item.proposalId));
    const [proposals, conflicts, attendance] = await Promise.all([
      models.Proposal.find({ _id: { $in: [...ids].map((id) => new Types.ObjectId(id)) } }, { ref: 1, title: 1, pis: 1 }).lean(),
      models.Conflict.find(
        { callId: meeting.callId, userId: { $in: userIds.map((id) => new Types.ObjectId(id)) }, status: { $ne: 'dismissed' } },
        { userId: 1, proposalId: 1 },
      ).lean(),
      attendanceOf(String(meeting.callId)),
    ]);
    const conflictsByUser = new Map<string, Set<string>>();
    for (const conflict of conflicts) {
      const user = String(conflict.userId);
      if (!conflictsByUser.has(user)) conflictsByUser.set(user, new Set());
      conflictsByUser.get(user)!.add(String(conflict.proposalId));
    }
    const facts: MeetingFacts = {
      proposals: new Map(proposals.map((p) => [String(p._id), meetingProposal(p)])),
      attendance,
      now: clock(),
    };
    return { facts, conflictsByUser };
  }

  /** Members of the call conflicted with the current item, whether present or not (HotCRP's leave list). */
  async function loadMustLeave(meeting: MeetingDoc, attendance: Attendee[]): Promise<MustLeaveEntry[]> {
    if (!meeting.current) return [];
    const conflicts = await models.Conflict.find({ proposalId: meeting.current.proposalId, status: { $ne: 'dismissed' } }, { userId: 1 }).lean();
    const userIds = conflicts.map((c) => c.userId);
    const [members, users] = await Promise.all([
      models.Membership.find({ callId: meeting.callId, userId: { $in: userIds } }, { userId: 1 }).lean(),
      models.User.find({ _id: { $in: userIds } }, { name: 1 }).lean(),
    ]);
    const names = new Map(users.map((u) => [String(u._id), u.name]));
    const present = new Set(attendance.map((a) => a.userId));
    return members.map((m) => {
      const userId = String(m.userId);
      return { userId, name: names.get(userId) ?? '', present: present.has(userId) };
    });
  }

  function viewerOf(
    socket: GodoSocket,
    access: CallAccess,
    meeting: MeetingDoc,
    facts: MeetingFacts,
    conflicted: ReadonlySet<string>,
    mustLeave: MustLeaveEntry[] | null,
  ): MeetingViewer {
    const currentId = meeting.current ? String(meeting.current.proposalId) : null;
    const item = currentId ? meetingItemAccess(access, currentId, facts.proposals.get(currentId), conflicted.has(currentId)) : null;
    const moderateCurrent = item ? can(item, 'meeting:moderate') : false;
    return {
      userId: socket.data.user.id,
      conflicted,
      permissions: {
        moderateMeeting: can(access, 'meeting:moderate'),
        moderateCurrent,
        participate: can(item ?? access, 'meeting:participate'),
      },
      mustLeave: moderateCurrent ? mustLeave : null,
    };
  }

  /** Emits one change to one socket: the event, or `meeting:withheld` when it concerns a proposal the person is conflicted with. */
  function emitChange(socket: GodoSocket, change: MeetingChange, viewer: MeetingViewer, facts: MeetingFacts, base: MeetingEventBase) {
    const { meeting } = change;
    const hidden = (proposalId: string) => viewer.conflicted.has(proposalId);
    switch (change.kind) {
      case 'agenda':
        socket.emit('meeting:agendaChanged', { ...base, agenda: presentAgenda(meeting, viewer, facts) });
        return;
      case 'current': {
        const current = presentCurrent(meeting, viewer, facts);
        socket.emit('meeting:currentChanged', { ...base, current });
        if (current?.conflicted) socket.emit('meeting:leaveRequested', { ...base, proposalId: current.proposalId, reason: 'conflict' });
        return;
      }
      case 'timer': {
        const timer = meeting.timers.find((t) => String(t.proposalId) === change.proposalId);
        if (hidden(change.proposalId) || !timer) socket.emit('meeting:withheld', base);
        else socket.emit('meeting:timerChanged', { ...base, timer: presentTimer(timer) });
        return;
      }
      case 'hands':
        socket.emit('meeting:handsChanged', { ...base, hands: presentHands(meeting), ...(change.called ? { called: change.called } : {}) });
        return;
      case 'attendance':
        socket.emit('meeting:attendanceChanged', { ...base, attendance: facts.attendance });
        return;
      case 'poll': {
        const poll = meeting.polls.find((p) => p.id === change.pollId);
        if (hidden(change.proposalId) || !poll) socket.emit('meeting:withheld', base);
        else socket.emit('meeting:pollChanged', { ...base, poll: presentPoll(poll, viewer.userId) });
        return;
      }
      case 'decision': {
        const decision = meeting.decisions.find((d) => d.id === change.decisionId);
        if (hidden(change.proposalId) || !decision) socket.emit('meeting:withheld', base);
        else socket.emit('meeting:decisionRecorded', { ...base, decision: presentDecision(decision) });
      }
    }
  }

  /**
   * The one event every non-conflicted socket gets for a change whose payload does not depend on
   * the viewer (timer, hands, attendance, decision), or null for the kinds that are per person.
   * `undefined` payload: the item is gone, so everyone gets `meeting:withheld`.
   */
  function sharedEvent(change: MeetingChange, facts: MeetingFacts, base: MeetingEventBase): { emit: (target: BroadcastTarget) => void; proposalId: string | null } | null {
    const { meeting } = change;
    switch (change.kind) {
      case 'timer': {
        const timer = meeting.timers.find((t) => String(t.proposalId) === change.proposalId);
        const payload = timer ? { ...base, timer: presentTimer(timer) } : null;
        return { proposalId: change.proposalId, emit: (to) => (payload ? to.emit('meeting:timerChanged', payload) : to.emit('meeting:withheld', base)) };
      }
      case 'hands': {
        const payload = { ...base, hands: presentHands(meeting), ...(change.called ? { called: change.called } : {}) };
        return { proposalId: null, emit: (to) => to.emit('meeting:handsChanged', payload) };
      }
      case 'attendance': {
        const payload = { ...base, attendance: facts.attendance };
        return { proposalId: null, emit: (to) => to.emit('meeting:attendanceChanged', payload) };
      }
      case 'decision': {
        const decision = meeting.decisions.find((d) => d.id === change.decisionId);
        const payload = decision ? { ...base, decision: presentDecision(decision) } : null;
        return { proposalId: change.proposalId, emit: (to) => (payload ? to.emit('meeting:decisionRecorded', payload) : to.emit('meeting:withheld', base)) };
      }
      default:
        return null;
    }
  }

  return {
    async broadcast(change, options = {}) {
      const callId = String(change.meeting.callId);
      const sockets = socketsIn(io, meetingRoom(callId)).filter((s) => s.id !== options.except && s.data.meetings.has(callId));
      if (sockets.length === 0) return;
      const { facts, conflictsByUser } = await loadFacts(change.meeting, [...new Set(sockets.map((s) => s.data.user.id))]);
      const mustLeave = change.kind === 'current' ? await loadMustLeave(change.meeting, facts.attendance) : null;
      const base = { callId, seq: change.meeting.seq, serverTime: facts.now.toISOString() };
      const shared = sharedEvent(change, facts, base);
      if (shared) {
        // Same payload for everyone who may see it: Socket.IO encodes a room broadcast once, where
        // one emit per socket encoded (JSON) the same packet a hundred times. Local only: every
        // process broadcasts to its own sockets (server/scale/realtimeCluster.ts).
        const visible: string[] = [];
        const withheld: string[] = [];
        for (const socket of sockets) {
          const hidden = shared.proposalId !== null && conflictsByUser.get(socket.data.user.id)?.has(shared.proposalId);
          (hidden ? withheld : visible).push(socket.id);
        }
        if (visible.length > 0) shared.emit(io.local.to(visible));
        if (withheld.length > 0) io.local.to(withheld).emit('meeting:withheld', base);
        return;
      }
      for (const socket of sockets) {
        const conflicted = conflictsByUser.get(socket.data.user.id) ?? new Set<string>();
        const viewer = viewerOf(socket, socket.data.meetings.get(callId)!, change.meeting, facts, conflicted, mustLeave);
        emitChange(socket, change, viewer, facts, base);
      }
    },

    async sendState(socket, meeting) {
      const callId = String(meeting.callId);
      const access = socket.data.meetings.get(callId);
      if (!access) return;
      const { facts, conflictsByUser } = await loadFacts(meeting, [socket.data.user.id]);
      const mustLeave = await loadMustLeave(meeting, facts.attendance);
      const conflicted = conflictsByUser.get(socket.data.user.id) ?? new Set<string>();
      const state = presentMeetingState(meeting, viewerOf(socket, access, meeting, facts, conflicted, mustLeave), facts);
      socket.emit('meeting:state', state);
      if (state.current?.conflicted) {
        const base = { callId, seq: state.seq, serverTime: state.serverTime };
        socket.emit('meeting:leaveRequested', { ...base, proposalId: state.current.proposalId, reason: 'conflict' });
      }
    },
  };
}
