import type {
  AgendaEntry,
  Attendee,
  CurrentItem,
  MeetingDecision,
  MeetingPermissions,
  MeetingState,
  MustLeaveEntry,
  PollView,
  RaisedHand,
  TimerState,
} from '../../shared/realtime/meetingState.js';
import type { MeetingDoc, StoredDecision, StoredPoll } from '../commands/meetings/meetingStore.js';
import type { StoredTimer } from '../commands/meetings/timer.js';

/** What the presenter needs to know about a proposal shown in the meeting. */
export interface MeetingProposal {
  ref: string;
  title: { en?: string; ja?: string };
  agencies: string[];
}

/**
 * One person looking at the meeting: the proposals they are conflicted with (their data is
 * withheld), what they may do, and, when they moderate the current item, who must leave.
 */
export interface MeetingViewer {
  userId: string;
  conflicted: ReadonlySet<string>;
  permissions: MeetingPermissions;
  mustLeave: MustLeaveEntry[] | null;
}

/** Facts shared by every viewer of one broadcast. */
export interface MeetingFacts {
  proposals: ReadonlyMap<string, MeetingProposal>;
  attendance: Attendee[];
  now: Date;
}

const iso = (date: Date) => date.toISOString();
const titleOf = (title: { en?: string | null; ja?: string | null } | null | undefined) => ({
  ...(title?.en ? { en: title.en } : {}),
  ...(title?.ja ? { ja: title.ja } : {}),
});

/** Builds the presenter's proposal facts from lean proposals. */
export function meetingProposal(proposal: {
  ref: string;
  title?: { en?: string | null; ja?: string | null } | null;
  pis: { agency: string }[];
}): MeetingProposal {
  return { ref: proposal.ref, title: titleOf(proposal.title), agencies: [...new Set(proposal.pis.map((pi) => pi.agency))] };
}

export function presentTimer(timer: StoredTimer): TimerState {
  return {
    proposalId: String(timer.proposalId),
    durationMs: timer.durationMs,
    remainingMs: timer.remainingMs,
    runningSince: timer.runningSince ? iso(timer.runningSince) : null,
  };
}

/** The agenda; entries the viewer is conflicted with carry only their id. */
export function presentAgenda(meeting: MeetingDoc, viewer: MeetingViewer, facts: MeetingFacts): AgendaEntry[] {
  return meeting.agenda.map((id) => {
    const proposalId = String(id);
    const proposal = facts.proposals.get(proposalId);
    if (viewer.conflicted.has(proposalId) || !proposal) return { proposalId, conflicted: true };
    return { proposalId, conflicted: false, ref: proposal.ref, title: proposal.title, agencies: proposal.agencies };
  });
}

/** The item under discussion: details, timer and (for its moderators) the leave list, unless the viewer must leave. */
export function presentCurrent(meeting: MeetingDoc, viewer: MeetingViewer, facts: MeetingFacts): CurrentItem | null {
  if (!meeting.current) return null;
  const proposalId = String(meeting.current.proposalId);
  const startedAt = iso(meeting.current.startedAt);
  const proposal = facts.proposals.get(proposalId);
  if (viewer.conflicted.has(proposalId) || !proposal) return { proposalId, conflicted: true, startedAt };
  const timer = meeting.timers.find((t) => String(t.proposalId) === proposalId);
  return {
    proposalId,
    conflicted: false,
    startedAt,
    ref: proposal.ref,
    title: proposal.title,
    timer: timer ? presentTimer(timer) : null,
    ...(viewer.mustLeave ? { mustLeave: viewer.mustLeave } : {}),
  };
}

export function presentHands(meeting: MeetingDoc): RaisedHand[] {
  return meeting.hands.map((hand) => ({ userId: String(hand.userId), name: hand.name, raisedAt: iso(hand.raisedAt) }));
}

/** A poll's distribution: counts per mark of the scale, overall and per agency side, and the viewer's own vote. */
export function presentPoll(poll: StoredPoll, viewerId: string): PollView {
  const values: number[] = [];
  for (let value = poll.min; value <= poll.max + 1e-9; value += poll.step) values.push(Math.round(value * 2) / 2);
  const indexOf = (value: number) => values.findIndex((v) => Math.abs(v - value) < 1e-9);
  const counts = values.map(() => 0);
  const countsByAgency: Record<string, number[]> = {};
  const votes = Object.entries(poll.votes ?? {});
  for (const [, cast] of votes) {
    const index = indexOf(cast.value);
    if (index < 0) continue;
    counts[index] += 1;
    const side = cast.agency ?? 'none';
    countsByAgency[side] ??= values.map(() => 0);
    countsByAgency[side][index] += 1;
  }
  return {
    id: poll.id,
    proposalId: String(poll.proposalId),
    criterion: poll.criterion,
    scale: { min: poll.min, max: poll.max, step: poll.step },
    status: poll.status,
    values,
    counts,
    countsByAgency,
    votes: votes.length,
    myVote: poll.votes?.[viewerId]?.value ?? null,
    openedAt: iso(poll.openedAt),
    closedAt: poll.closedAt ? iso(poll.closedAt) : null,
  };
}

export function presentDecision(decision: StoredDecision): MeetingDecision {
  return {
    id: decision.id,
    proposalId: String(decision.proposalId),
    outcome: decision.outcome,
    recordedBy: { userId: String(decision.recordedBy), name: decision.recordedByName },
    at: iso(decision.at),
  };
}

/** The whole meeting for one viewer: everything about proposals they are conflicted with is left out. */
export function presentMeetingState(meeting: MeetingDoc, viewer: MeetingViewer, facts: MeetingFacts): MeetingState {
  const visible = (proposalId: unknown) => !viewer.conflicted.has(String(proposalId));
  return {
    callId: String(meeting.callId),
    seq: meeting.seq,
    serverTime: iso(facts.now),
    agenda: presentAgenda(meeting, viewer, facts),
    current: presentCurrent(meeting, viewer, facts),
    timers: meeting.timers.filter((t) => visible(t.proposalId)).map(presentTimer),
    hands: presentHands(meeting),
    attendance: facts.attendance,
    polls: meeting.polls.filter((p) => visible(p.proposalId)).map((p) => presentPoll(p, viewer.userId)),
    decisions: meeting.decisions.filter((d) => visible(d.proposalId)).map(presentDecision),
    you: { userId: viewer.userId, ...viewer.permissions },
  };
}
