import type { Attendee } from '../../shared/realtime/meetingState.js';

interface Presence {
  attendee: Attendee;
  sockets: Set<string>;
}

/** The Socket.IO room of a call's meeting. */
export const meetingRoom = (callId: string) => `meeting:${callId}`;

/**
 * The live side of the meetings on this server: a queue per meeting, so changes are written and
 * broadcast one after another (sequence numbers reach every client in order, and a late joiner's
 * state is never overtaken by an older event); and who is present, counted once per person
 * however many sockets they have open. One instance per realtime server (never module state).
 */
export class MeetingRooms {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly presence = new Map<string, Map<string, Presence>>();
  /** Numbers every queued task (all meetings share it, so a number is never reused). */
  private queuedTasks = 0;
  /** Per meeting with a queue: the number of the task queued last. */
  private readonly lastQueued = new Map<string, number>();

  /** Runs `task` after every task queued before it for this meeting (whether those failed or not). */
  run<T>(callId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(callId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(callId, tail);
    this.lastQueued.set(callId, ++this.queuedTasks);
    void tail.then(() => {
      if (this.queues.get(callId) !== tail) return;
      this.queues.delete(callId);
      this.lastQueued.delete(callId);
    });
    return result;
  }

  /**
   * The number of the task queued last for this meeting (null when its queue is empty). Read right
   * after `run`, it names the task just queued; while it still names that task, nothing else of
   * this meeting has been queued behind it (the vote batcher relies on this to keep the order).
   */
  lastQueuedTask(callId: string): number | null {
    return this.lastQueued.get(callId) ?? null;
  }

  /** Resolves once every queued task (including those queued while waiting) has finished. */
  async drain(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  /** Records a socket of a person in the meeting; true when it is their first (they just arrived). */
  attend(callId: string, socketId: string, attendee: Attendee): boolean {
    let people = this.presence.get(callId);
    if (!people) this.presence.set(callId, (people = new Map()));
    const present = people.get(attendee.userId);
    if (present) {
      present.sockets.add(socketId);
      return false;
    }
    people.set(attendee.userId, { attendee, sockets: new Set([socketId]) });
    return true;
  }

  /** Forgets a socket; true when it was the person's last (they just left). */
  depart(callId: string, socketId: string, userId: string): boolean {
    const people = this.presence.get(callId);
    const present = people?.get(userId);
    if (!people || !present || !present.sockets.delete(socketId)) return false;
    if (present.sockets.size > 0) return false;
    people.delete(userId);
    if (people.size === 0) this.presence.delete(callId);
    return true;
  }

  /**
   * Replaces what the attendance shows of a present person (their role or side changed while in
   * the meeting); keeps their place in the order of arrival. Returns the new entry, or null when
   * they are not present here or nothing changed.
   */
  reattend(callId: string, userId: string, change: Pick<Attendee, 'role' | 'agency'>): Attendee | null {
    const present = this.presence.get(callId)?.get(userId);
    if (!present || (present.attendee.role === change.role && present.attendee.agency === change.agency)) return null;
    present.attendee = { ...present.attendee, ...change };
    return present.attendee;
  }

  /** Everyone present, in order of arrival. */
  attendance(callId: string): Attendee[] {
    return [...(this.presence.get(callId)?.values() ?? [])].map((p) => p.attendee);
  }

  /** Whether the person has at least one socket in the meeting. */
  isPresent(callId: string, userId: string): boolean {
    return this.presence.get(callId)?.has(userId) ?? false;
  }
}
