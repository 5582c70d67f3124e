import type { Role } from '../enums';

/**
 * What the server sends about a panel meeting. Every instant is an ISO string of the server's
 * clock; every message also carries `serverTime` so a client can correct for its own clock skew
 * when it counts a timer down or shows times in the viewer's and each agency's zone.
 */

/** A proposal on the agenda. Entries the viewer is conflicted with carry nothing but their id. */
export type AgendaEntry =
  | { proposalId: string; conflicted: false; ref: string; title: { en?: string; ja?: string }; agencies: string[] }
  | { proposalId: string; conflicted: true };

/**
 * An item's timer. Running when `runningSince` is set: the remaining time is then
 * `remainingMs - (serverNow - runningSince)`, never below zero.
 */
export interface TimerState {
  proposalId: string;
  durationMs: number;
  remainingMs: number;
  runningSince: string | null;
}

/** A person in the meeting's lists (hands, attendance, the leave list). */
export interface MeetingPerson {
  userId: string;
  name: string;
}

/** Someone who must leave the room for the current item (shown to its moderators only). */
export interface MustLeaveEntry extends MeetingPerson {
  present: boolean;
}

/** The item under discussion. A conflicted viewer learns only that it is one they must leave for. */
export type CurrentItem =
  | {
      proposalId: string;
      conflicted: false;
      startedAt: string;
      ref: string;
      title: { en?: string; ja?: string };
      timer: TimerState | null;
      /** Present only for people who may moderate this item. */
      mustLeave?: MustLeaveEntry[];
    }
  | { proposalId: string; conflicted: true; startedAt: string };

export interface RaisedHand extends MeetingPerson {
  raisedAt: string;
}

/** One person present (however many tabs or devices they have open). */
export interface Attendee extends MeetingPerson {
  role: Role | 'admin';
  agency: string | null;
  /** IANA zone the client uses to show this person's local time. */
  timeZone: string;
  since: string;
}

/** A straw poll and its live distribution (counts only; who voted what is not shown). */
export interface PollView {
  id: string;
  proposalId: string;
  criterion: string;
  scale: { min: number; max: number; step: number };
  status: 'open' | 'closed';
  /** Every mark of the scale, in order, and how many votes each has. */
  values: number[];
  counts: number[];
  /** The same counts per agency side (only agencies that voted). */
  countsByAgency: Record<string, number[]>;
  votes: number;
  myVote: number | null;
  openedAt: string;
  closedAt: string | null;
}

/** A decision written into the meeting log as it was taken. */
export interface MeetingDecision {
  id: string;
  proposalId: string;
  outcome: string;
  recordedBy: MeetingPerson;
  at: string;
}

/** What the viewer may do now (the server decides again on every event). */
export interface MeetingPermissions {
  moderateMeeting: boolean;
  moderateCurrent: boolean;
  participate: boolean;
}

/** The whole meeting as one viewer may see it: sent on join, on `meeting:sync` and to late joiners. */
export interface MeetingState {
  callId: string;
  seq: number;
  serverTime: string;
  agenda: AgendaEntry[];
  current: CurrentItem | null;
  timers: TimerState[];
  hands: RaisedHand[];
  attendance: Attendee[];
  polls: PollView[];
  decisions: MeetingDecision[];
  you: MeetingPermissions & { userId: string };
}

/** Fields every meeting event carries. */
export interface MeetingEventBase {
  callId: string;
  /** Per meeting, persisted, increasing by one per change: a gap means the client missed something. */
  seq: number;
  serverTime: string;
}
