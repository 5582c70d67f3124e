import { editingSession, type loadTraces } from './editors.js';
import type { AckLedger } from './ledger.js';
import type { LoadMetrics } from './metrics.js';
import { Person, type Day } from './people.js';
import type { PanelSeed } from './seed.js';

/** What every panel of a run shares. */
export interface LoadContext {
  day: Day;
  metrics: LoadMetrics;
  ledger: AckLedger;
  traces: ReturnType<typeof loadTraces>;
  /** A token unique in the run, written into a comment so its live delivery can be timed. */
  token(): string;
}

/**
 * How much a panel does. Time-bounded (the 10-minute run): `items` unset, every item lasts
 * `itemMs` and the day ends from outside. Event-bounded (the smoke test): `items` agenda items,
 * each done once its editors typed `editsPerEditor` edits and `commentsPerItem` comments were posted.
 */
export interface PanelPlan {
  items?: number;
  itemMs: number;
  morningMs: number;
  editsPerEditor?: number;
  commentsPerItem?: number;
}

const SENTENCES = [
  'The JST side rates the feasibility higher than the ANR side; can we hear why?',
  'I agree with the rapporteur on excellence, but the data management plan is thin.',
  'The budget of the French team looks low for two postdocs over three years.',
  'Please add the exchange of students to the summary: it was a strength in every review.',
  'Minority view from ANR: the impact section overstates industrial uptake.',
  'Could the PI clarify the access to the synchrotron beamtime?',
];

/** Scores on the call's scale (0–5 with half marks), biased to the upper half as real panels are. */
const mark = (day: Day) => Math.round(day.between(5, 10)) / 2;

/** One panel's day: late reviews in the morning, then the meeting with its editing, comments and reads. */
export class Panel {
  readonly people: Person[];
  private readonly threads = new Map<string, string[]>();
  private readonly lastComment = new Map<string, { id: string; version: number; body: string; proposalId: string }>();
  private readonly sentAt = new Map<string, number>();
  private readonly subscribed = new Map<string, string>();
  /** Background work started by events (subscriptions, reads on an item change), awaited at the end. */
  private readonly reactions = new Set<Promise<void>>();

  constructor(
    readonly seed: PanelSeed,
    urls: string[],
    private readonly ctx: LoadContext,
    private readonly plan: PanelPlan,
  ) {
    this.people = seed.people.map((p, i) => new Person(p, urls[i % urls.length], ctx.metrics));
  }

  private byRole(role: string): Person {
    return this.people.find((p) => p.seed.role === role)!;
  }

  private conflicted(personId: string, proposalId: string): boolean {
    return this.seed.conflicts.some((c) => c.userId === personId && c.proposalId === proposalId);
  }

  /** People who may write on a proposal: not the observer, not conflicted. */
  private writers(proposalId: string): Person[] {
    return this.people.filter((p) => p.seed.role !== 'observer' && !this.conflicted(p.id, proposalId));
  }

  private react(work: Promise<void>): void {
    this.reactions.add(work);
    void work.finally(() => this.reactions.delete(work));
  }

  /** Opens every person's socket, follows the meeting's events, joins the meeting. */
  async connect(): Promise<void> {
    const { callId } = this.seed;
    const { ledger, metrics } = this.ctx;
    await Promise.all(
      this.people.map(async (person) => {
        await person.connect();
        person.listeners.push((event, payload) => {
          if (event.startsWith('meeting:') && payload?.callId === callId) ledger.seq(callId, payload.seq);
          if (event === 'meeting:currentChanged') this.react(this.follow(person, payload.current?.proposalId ?? null));
          if (event === 'comment:created') {
            const token = /⟦(L\d+)⟧/.exec(payload.comment?.body ?? '')?.[1];
            const sent = token ? this.sentAt.get(token) : undefined;
            if (sent !== undefined && payload.comment.author.userId !== person.id) metrics.sample('comment:delivered', performance.now() - sent);
          }
        });
        const joined = await person.emit('meeting:join', { callId });
        ledger.seq(callId, joined?.seq);
      }),
    );
  }

  /** Someone's screen follows the item under discussion: live comments of it, and its data refetched. */
  private async follow(person: Person, proposalId: string | null): Promise<void> {
    const before = this.subscribed.get(person.id);
    if (before) await person.emit('comment:unsubscribe', { proposalId: before });
    this.subscribed.delete(person.id);
    if (!proposalId || this.conflicted(person.id, proposalId)) return;
    await person.emit('comment:subscribe', { proposalId });
    this.subscribed.set(person.id, proposalId);
    await this.ctx.day.think(200, 2_500);
    await Promise.all([
      person.rest('proposal.read', 'GET', `/api/proposals/${proposalId}`),
      person.rest('reconciliation.read', 'GET', `/api/proposals/${proposalId}/reconciliation`),
      person.rest('comment.list', 'GET', `/api/proposals/${proposalId}/comments`),
    ]);
  }

  /** The heat map as the call's proposals page loads it: the list, then every row's statistics. */
  private async heatMap(person: Person): Promise<void> {
    await person.rest('proposals.list', 'GET', `/api/calls/${this.seed.callId}/proposals`);
    await Promise.all(
      this.seed.proposals
        .filter((p) => !this.conflicted(person.id, p.id))
        .map((p) => person.rest('reconciliation.read', 'GET', `/api/proposals/${p.id}/reconciliation`)),
    );
  }

  private heatMaps(readers: Person[], until: Promise<void>): Promise<void> {
    const { day } = this.ctx;
    if (this.plan.items !== undefined) return this.heatMap(readers[0]);
    let over = false;
    void until.then(() => (over = true));
    return Promise.all(
      readers.map(async (person) => {
        while (!day.over && !over) {
          await day.think(20_000, 45_000, until);
          if (!day.over && !over) await this.heatMap(person);
        }
      }),
    ).then(() => undefined);
  }

  /** Late reviews: each reviewer saves a draft of every assigned review, then submits it; then the PD opens the panel. */
  async morning(): Promise<void> {
    const { day, ledger } = this.ctx;
    let morningOver!: () => void;
    const done = new Promise<void>((resolve) => (morningOver = resolve));
    const reads = this.heatMaps([this.byRole('pd')], done);
    const criteria = this.seed.criteria;
    await Promise.all(
      this.people
        .filter((p) => p.seed.role === 'reviewer')
        .map(async (reviewer) => {
          const mine = this.seed.assignments.filter((a) => a.reviewerId === reviewer.id);
          const gap = this.plan.morningMs / (2 * mine.length + 1);
          for (const { proposalId } of mine) {
            const path = `/api/proposals/${proposalId}/reviews/mine`;
            const record = (answer: { ok: boolean; body: any }) => {
              const review = answer.body?.review;
              if (answer.ok && review) ledger.review({ proposalId, reviewerId: reviewer.id, scores: review.scores, status: review.status, version: review.version });
              return review as { version: number } | undefined;
            };
            await day.think(gap * 0.5, gap * 1.5);
            const draft = record(
              await reviewer.rest('review.save', 'PUT', path, { scores: { [criteria[0]]: mark(day) }, comments: { [criteria[0]]: SENTENCES[1] }, confidence: 3, submit: false, version: 0 }),
            );
            await day.think(gap * 0.5, gap * 1.5);
            const scores = Object.fromEntries(criteria.map((c) => [c, mark(day)]));
            const comments = Object.fromEntries(criteria.map((c, i) => [c, SENTENCES[i % SENTENCES.length]]));
            record(await reviewer.rest('review.submit', 'PUT', path, { scores, comments, confidence: 4, submit: true, version: draft?.version ?? 0 }));
          }
        }),
    );
    morningOver();
    await reads;
    // The PD's screen shows the call (and its version) before the phase changes.
    const pd = this.byRole('pd');
    const call = await pd.rest('call.read', 'GET', `/api/calls/${this.seed.callId}`);
    await pd.rest('call.phase', 'POST', `/api/calls/${this.seed.callId}/phase`, { to: 'panel', reason: 'All reviews are in', version: call.body?.call?.version ?? 0 });
  }

  /** The meeting: the PD sets the agenda and moves through it, one item after another. */
  async meeting(): Promise<void> {
    const { day, ledger } = this.ctx;
    const { callId, proposals } = this.seed;
    const agenda = await this.byRole('pd').emit('meeting:setAgenda', { callId, proposalIds: proposals.map((p) => p.id) });
    ledger.seq(callId, agenda?.seq);
    for (let i = 0; !day.over && (this.plan.items === undefined || i < this.plan.items); i++) await this.item(i, proposals[i % proposals.length].id);
    await Promise.all([...this.reactions]);
  }

  private async item(index: number, proposalId: string): Promise<void> {
    const { day, ledger, metrics, traces } = this.ctx;
    const { callId } = this.seed;
    const [pd, po, observer] = [this.byRole('pd'), this.byRole('po'), this.byRole('observer')];
    const timed = this.plan.items === undefined;
    let endItem!: () => void;
    const itemOver = new Promise<void>((resolve) => (endItem = resolve));
    ledger.seq(callId, (await pd.emit('meeting:setCurrent', { callId, proposalId }))?.seq);
    const durationSeconds = Math.max(10, Math.round(this.plan.itemMs / 1000));
    ledger.seq(callId, (await po.emit('meeting:controlTimer', { callId, proposalId, action: 'start', durationSeconds }))?.seq);
    // The rapporteur and the other assigned reviewers write; the PD joins on some items: 3–5 editors.
    const assigned = this.seed.assignments.filter((a) => a.proposalId === proposalId).sort((a, b) => Number(b.rapporteur) - Number(a.rapporteur));
    const candidates = [...assigned.map((a) => this.people.find((p) => p.id === a.reviewerId)!), pd, po, ...this.writers(proposalId)];
    const editors = [...new Set(candidates)].slice(0, 3 + (index % 3));
    const work = [
      editingSession({ proposalId, people: editors, day, traces, metrics, ledger, stop: itemOver, quota: this.plan.editsPerEditor }),
      this.hands(proposalId, itemOver),
      this.comments(proposalId, itemOver),
      this.heatMaps([pd, po, observer], itemOver),
    ];
    if (timed) await day.think(this.plan.itemMs * 0.5);
    await this.poll(index, proposalId);
    if (timed) await day.think(this.plan.itemMs * 0.35);
    else await Promise.all(work);
    if (!day.over) {
      const outcome = `${day.pick(['Fund', 'Fund with conditions', 'Reserve', 'Reject'])}: agreed by both agencies ⟦${this.ctx.token()}⟧`;
      const recorded = await pd.emit('meeting:recordDecision', { callId, proposalId, outcome });
      if (recorded) {
        ledger.seq(callId, recorded.seq);
        ledger.decisions.push({ callId, proposalId, outcome });
      }
    }
    ledger.seq(callId, (await po.emit('meeting:controlTimer', { callId, proposalId, action: 'pause' }))?.seq);
    endItem();
    await Promise.all(work);
  }

  /** Hands go up during the discussion and the PD gives the floor. */
  private async hands(proposalId: string, itemOver: Promise<void>): Promise<void> {
    const { day, ledger } = this.ctx;
    const { callId } = this.seed;
    let over = false;
    void itemOver.then(() => (over = true));
    const eligible = this.writers(proposalId).filter((p) => p.seed.role === 'reviewer');
    const rounds = this.plan.items === undefined ? Infinity : 2;
    for (let k = 0; k < rounds && !day.over && !over; k++) {
      await day.think(10_000, 25_000, itemOver);
      if (over || day.over) break;
      ledger.seq(callId, (await day.pick(eligible).emit('meeting:raiseHand', { callId }))?.seq);
      await day.think(3_000, 8_000, itemOver);
      if (over || day.over) break;
      ledger.seq(callId, (await this.byRole('pd').emit('meeting:callNext', { callId }))?.seq);
    }
  }

  /** Comments on the item: new threads, replies, edits of one's own, and marking the thread read. */
  private async comments(proposalId: string, itemOver: Promise<void>): Promise<void> {
    const { day } = this.ctx;
    const writers = this.writers(proposalId);
    if (this.plan.items !== undefined) {
      for (let k = 0; k < (this.plan.commentsPerItem ?? 0); k++) await this.commentOnce(writers[k % writers.length], proposalId);
      return;
    }
    let over = false;
    void itemOver.then(() => (over = true));
    await Promise.all(
      writers.map(async (person) => {
        while (!day.over && !over) {
          await day.think(25_000, 70_000, itemOver);
          if (!day.over && !over) await this.commentOnce(person, proposalId);
        }
      }),
    );
  }

  private async commentOnce(person: Person, proposalId: string): Promise<void> {
    const { day, ledger } = this.ctx;
    const token = this.ctx.token();
    const body = `${day.pick(SENTENCES)} ⟦${token}⟧`;
    const threads = this.threads.get(proposalId) ?? [];
    const mine = this.lastComment.get(person.id);
    const roll = day.random();
    this.sentAt.set(token, performance.now());
    let answer;
    if (roll < 0.15 && mine?.proposalId === proposalId) {
      answer = await person.rest('comment.edit', 'PATCH', `/api/comments/${mine.id}`, { body: `${mine.body} (edited ⟦${token}⟧)`, version: mine.version });
    } else if (roll < 0.6 && threads.length) {
      answer = await person.rest('comment.reply', 'POST', `/api/proposals/${proposalId}/comments`, { body, threadId: day.pick(threads) });
    } else {
      answer = await person.rest('comment.create', 'POST', `/api/proposals/${proposalId}/comments`, { body, visibility: 'panel' });
      if (answer.ok) this.threads.set(proposalId, [...threads, answer.body.comment.id]);
    }
    const comment = answer.body?.comment;
    if (answer.ok && comment) {
      ledger.comment({ id: comment.id, proposalId, body: comment.body, version: comment.version });
      this.lastComment.set(person.id, { id: comment.id, version: comment.version, body: comment.body, proposalId });
    }
    if (day.random() < 0.4) await person.rest('comment.read', 'POST', `/api/proposals/${proposalId}/comments/read`);
  }

  /** A straw poll on one criterion: the reviewers vote (some change their mind), then the PD closes it. */
  private async poll(index: number, proposalId: string): Promise<void> {
    const { day, ledger } = this.ctx;
    const { callId } = this.seed;
    if (day.over) return;
    const pd = this.byRole('pd');
    const criterion = this.seed.criteria[index % this.seed.criteria.length];
    const opened = await pd.emit<{ seq?: number; pollId: string }>('meeting:openPoll', { callId, proposalId, criterion });
    if (!opened) return;
    ledger.seq(callId, opened.seq);
    const { pollId } = opened;
    const voters = this.writers(proposalId).filter((p) => p.seed.role === 'reviewer');
    await Promise.all(
      voters.map(async (voter) => {
        for (let round = 0; round < (day.random() < 0.2 ? 2 : 1); round++) {
          await day.think(1_000, 8_000);
          const value = mark(day);
          const acknowledged = ledger.voteSent({ callId, pollId, userId: voter.id, value });
          const ack = await voter.emit('meeting:vote', { callId, pollId, value });
          if (ack) {
            ledger.seq(callId, ack.seq);
            acknowledged();
          }
        }
      }),
    );
    await day.think(1_000, 3_000);
    ledger.seq(callId, (await pd.emit('meeting:closePoll', { callId, pollId }))?.seq);
  }

  close(): void {
    for (const person of this.people) person.close();
  }
}
