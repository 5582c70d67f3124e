import type { Ack, ClientToServerEvents, LeaveReason, RealtimeError, ServerToClientEvents } from '../../../shared/realtime/events';
import type { CurrentItem, MeetingEventBase, MeetingPerson, MeetingState, TimerState } from '../../../shared/realtime/meetingState';
import type { GodoClientSocket } from '../../realtime/socket';

/** What the meeting screen draws: the server's state plus what this tab learnt on the side. */
export interface MeetingView {
  state: MeetingState | null;
  /** Server clock minus this device's clock (ms), from the latest message: timers count from the server's instant. */
  clockOffsetMs: number;
  /** The person the moderator last gave the floor to (from `meeting:handsChanged`). */
  called: MeetingPerson | null;
  /** Bumped on each `meeting:leaveRequested`, so the leave screen can take focus again. */
  leaveRequests: number;
  /** Why the last `meeting:leaveRequested` asked the person out (null before any): the leave screen words it. */
  leaveReason: LeaveReason | null;
  /** False while the socket is down or the join is not answered yet. */
  joined: boolean;
  /** The last refusal of a join (not a member, call gone). */
  joinError: RealtimeError | null;
}

type ServerEvent = keyof ServerToClientEvents;
/** Commands that answer `{seq?}` (or `{seq?, pollId}`), sent with the meeting's callId added. */
export type MeetingCommand = Exclude<keyof ClientToServerEvents, 'meeting:join' | 'meeting:leave' | 'meeting:sync' | `comment:${string}`>;
/** A command's payload without the callId (the session adds it). */
export type CommandPayload<C extends MeetingCommand> = Omit<Parameters<ClientToServerEvents[C]>[0], 'callId'>;

const ACK_TIMEOUT_MS = 10_000;

/**
 * A command sent but not acknowledged in time. Its own code, not the server's `unavailable`: the
 * server may have applied it, so the person is told to check the meeting before sending it again.
 */
export interface NoAnswer {
  ok: false;
  error: { code: 'no_answer'; message: string };
}
/** What `send` resolves with: the server's acknowledgement, or no answer in time. */
export type SendResult = Ack<{ seq?: number }> | NoAnswer;

function withTimer(current: CurrentItem | null, timer: TimerState): CurrentItem | null {
  if (!current || current.conflicted || current.proposalId !== timer.proposalId) return current;
  return { ...current, timer };
}

/**
 * One tab's presence in one meeting, outside React: joins on start (and again after every
 * reconnect), applies the server's events strictly in `seq` order, and asks `meeting:sync` as
 * soon as it sees a gap (a missed or reordered event), which replaces the whole state.
 */
export class MeetingSession {
  private view: MeetingView = { state: null, clockOffsetMs: 0, called: null, leaveRequests: 0, leaveReason: null, joined: false, joinError: null };
  private listeners = new Set<() => void>();
  private detach: (() => void)[] = [];
  private syncing = false;
  /** The highest `seq` any event carried: a state older than that (it raced an event) is asked for again. */
  private highestSeen = 0;

  constructor(
    private readonly socket: GodoClientSocket,
    private readonly callId: string,
    /**
     * Whether the person's role lets them speak and vote (the call's `meeting:participate`), until
     * the server's state says otherwise: a role changed during the meeting arrives as a fresh state.
     */
    private roleParticipates: boolean,
    /** How long a command waits for its acknowledgement before it counts as unanswered. */
    private readonly ackTimeoutMs = ACK_TIMEOUT_MS,
  ) {}

  /** The view now (a new object after every change, for `useSyncExternalStore`). */
  snapshot = (): MeetingView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    const on = <E extends ServerEvent>(event: E, listener: ServerToClientEvents[E]) => {
      // socket.io's typed `on` cannot relate a generic event to its listener; the map above does.
      (this.socket.on as (e: string, l: unknown) => void)(event, listener);
      this.detach.push(() => (this.socket.off as (e: string, l: unknown) => void)(event, listener));
    };
    on('meeting:state', (state) => {
      if (state.callId !== this.callId) return;
      this.syncing = false;
      if (state.seq < this.highestSeen) this.sync();
      // The server's `participate` is the role's, except while a conflicted item is current (false
      // then whatever the role): learnt from here, a later item change keeps the role's answer.
      if (!state.current?.conflicted) this.roleParticipates = state.you.participate;
      this.update({ state, clockOffsetMs: this.offsetFrom(state.serverTime), joined: true, joinError: null });
    });
    on('meeting:agendaChanged', (e) => this.apply(e, (s) => ({ ...s, agenda: e.agenda })));
    on('meeting:currentChanged', (e) =>
      this.apply(e, (s) => ({
        ...s,
        current: e.current,
        // Events carry no permissions; the server includes the leave list only for those who moderate the item.
        you: {
          ...s.you,
          moderateCurrent: !!e.current && !e.current.conflicted && e.current.mustLeave !== undefined,
          participate: this.roleParticipates && !e.current?.conflicted,
        },
      })),
    );
    on('meeting:leaveRequested', (e) => {
      if (e.callId === this.callId) this.update({ leaveRequests: this.view.leaveRequests + 1, leaveReason: e.reason });
    });
    on('meeting:timerChanged', (e) =>
      this.apply(e, (s) => ({
        ...s,
        timers: [...s.timers.filter((t) => t.proposalId !== e.timer.proposalId), e.timer],
        current: withTimer(s.current, e.timer),
      })),
    );
    on('meeting:handsChanged', (e) => this.apply(e, (s) => ({ ...s, hands: e.hands }), e.called ? { called: e.called } : {}));
    on('meeting:attendanceChanged', (e) => this.apply(e, (s) => ({ ...s, attendance: e.attendance })));
    on('meeting:pollChanged', (e) => this.apply(e, (s) => ({ ...s, polls: [...s.polls.filter((p) => p.id !== e.poll.id), e.poll] })));
    on('meeting:decisionRecorded', (e) =>
      this.apply(e, (s) => ({ ...s, decisions: [...s.decisions.filter((d) => d.id !== e.decision.id), e.decision] })),
    );
    on('meeting:withheld', (e) => this.apply(e, (s) => s));
    const rejoin = () => this.join();
    const lost = () => {
      // An unanswered sync dies with the connection; the rejoin brings a fresh state anyway.
      this.syncing = false;
      this.update({ joined: false });
    };
    this.socket.on('connect', rejoin);
    this.socket.on('disconnect', lost);
    this.detach.push(() => this.socket.off('connect', rejoin), () => this.socket.off('disconnect', lost));
    if (this.socket.connected) this.join();
  }

  /** Leaves the meeting and stops listening (the socket stays open for the rest of the tab). */
  stop(): void {
    for (const undo of this.detach) undo();
    this.detach = [];
    this.listeners.clear();
    if (this.socket.connected) this.socket.emit('meeting:leave', { callId: this.callId });
  }

  /**
   * Sends a command with this meeting's id; resolves with the acknowledgement. No answer in time
   * (a lost connection, a stalled server) resolves as `no_answer` rather than throwing: unlike a
   * refusal, the command may have been applied, which the live state shows once it catches up.
   */
  async send<C extends MeetingCommand>(event: C, payload: CommandPayload<C>): Promise<SendResult> {
    try {
      // The typed emitWithAck cannot follow a generic event name; the payload type above is the check.
      const timed = this.socket.timeout(this.ackTimeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<{ seq?: number }>> };
      return await timed.emitWithAck(event, { ...payload, callId: this.callId });
    } catch {
      return { ok: false, error: { code: 'no_answer', message: `no answer within ${this.ackTimeoutMs} ms` } };
    }
  }

  private join(): void {
    this.socket.emit('meeting:join', { callId: this.callId }, (ack) => {
      if (!ack.ok) this.update({ joinError: ack.error, joined: false });
    });
  }

  private sync(): void {
    if (this.syncing) return;
    this.syncing = true;
    this.socket.emit('meeting:sync', { callId: this.callId }, (ack) => {
      if (!ack.ok) this.syncing = false;
    });
  }

  /** Applies an event when it is the next in sequence; older ones are already in the state, a later one means a gap. */
  private apply(event: MeetingEventBase, change: (state: MeetingState) => MeetingState, extra: Partial<MeetingView> = {}): void {
    if (event.callId !== this.callId) return;
    this.highestSeen = Math.max(this.highestSeen, event.seq);
    const state = this.view.state;
    // Before the first state, events are dropped: the state (or, if it is older, a sync) covers them.
    if (!state || event.seq <= state.seq) return;
    if (event.seq > state.seq + 1) {
      this.sync();
      return;
    }
    this.update({ ...extra, state: { ...change(state), seq: event.seq, serverTime: event.serverTime }, clockOffsetMs: this.offsetFrom(event.serverTime) });
  }

  private offsetFrom(serverTime: string): number {
    return new Date(serverTime).getTime() - Date.now();
  }

  private update(patch: Partial<MeetingView>): void {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }
}
