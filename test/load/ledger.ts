import { Types } from 'mongoose';
import * as Y from 'yjs';
import { mongoPersistence } from '../../server/collab/mongoPersistence.js';
import type { Models } from '../../server/models/index.js';

/** A report's state as every one of its editors saw it once they had converged. */
export interface ConvergedReport {
  docName: string;
  /** The edited section's content (Y.XmlFragment.toString()). */
  fragment: string;
  fragmentName: string;
  /** client id → clock: everything the editors had, which the database must hold too. */
  stateVector: Record<string, number>;
}

/**
 * Every write the server acknowledged, as the clients were told: a comment's id and text (and
 * version), a review's scores and status (and version), a vote's value, a decision's outcome,
 * the highest meeting `seq` anyone was told, and each report's converged state. Later
 * acknowledgements of the same thing replace earlier ones only when their version is higher.
 */
export class AckLedger {
  readonly comments = new Map<string, { proposalId: string; body: string; version: number }>();
  readonly reviews = new Map<string, { proposalId: string; reviewerId: string; scores: Record<string, number>; status: string; version: number }>();
  /**
   * Votes per poll and person: every value sent, in order, and the index of the last one
   * acknowledged. A later vote whose acknowledgement timed out may still have been applied, so the
   * stored value may be the acknowledged one or any sent after it, never one sent before.
   */
  readonly votes = new Map<string, { callId: string; pollId: string; userId: string; sent: number[]; acked: number }>();
  readonly decisions: { callId: string; proposalId: string; outcome: string }[] = [];
  readonly meetingSeq = new Map<string, number>();
  readonly reports = new Map<string, ConvergedReport>();

  comment(c: { id: string; proposalId: string; body: string; version: number }): void {
    const known = this.comments.get(c.id);
    if (!known || known.version < c.version) this.comments.set(c.id, { proposalId: c.proposalId, body: c.body, version: c.version });
  }

  review(r: { proposalId: string; reviewerId: string; scores: Record<string, number>; status: string; version: number }): void {
    const key = `${r.proposalId}:${r.reviewerId}`;
    const known = this.reviews.get(key);
    if (!known || known.version < r.version) this.reviews.set(key, { ...r });
  }

  /** A vote about to be sent; returns the function that records its acknowledgement. */
  voteSent(v: { callId: string; pollId: string; userId: string; value: number }): () => void {
    const key = `${v.pollId}:${v.userId}`;
    const entry = this.votes.get(key) ?? { callId: v.callId, pollId: v.pollId, userId: v.userId, sent: [], acked: -1 };
    this.votes.set(key, entry);
    const index = entry.sent.push(v.value) - 1;
    return () => {
      entry.acked = Math.max(entry.acked, index);
    };
  }

  seq(callId: string, seq: number | undefined): void {
    if (seq === undefined) return;
    this.meetingSeq.set(callId, Math.max(seq, this.meetingSeq.get(callId) ?? 0));
  }

  counts(): Record<string, number> {
    return {
      comments: this.comments.size,
      reviews: this.reviews.size,
      votes: [...this.votes.values()].filter((v) => v.acked >= 0).length,
      decisions: this.decisions.length,
      meetings: this.meetingSeq.size,
      reports: this.reports.size,
    };
  }
}

/** What the check found: how many of each kind it looked up, and each acknowledged write it did not find. */
export interface LedgerCheck {
  checked: Record<string, number>;
  missing: string[];
}

const oid = (id: string) => new Types.ObjectId(id);

/**
 * Reads the database directly (after the servers stopped) and looks up every acknowledged write.
 * A report must hold at least every client's clock the editors converged to, and its edited
 * section must read exactly as they saw it.
 */
export async function checkLedger(models: Models, ledger: AckLedger): Promise<LedgerCheck> {
  const missing: string[] = [];
  const commentIds = [...ledger.comments.keys()];
  const storedComments = new Map((await models.Comment.find({ _id: { $in: commentIds.map(oid) } }).lean()).map((c) => [String(c._id), c]));
  for (const [id, acked] of ledger.comments) {
    const stored = storedComments.get(id);
    if (!stored) missing.push(`comment ${id} (proposal ${acked.proposalId}) is not in the database`);
    else if (stored.deletedAt) missing.push(`comment ${id} is marked deleted`);
    else if ((stored.version ?? 0) < acked.version || ((stored.version ?? 0) === acked.version && stored.body !== acked.body))
      missing.push(`comment ${id}: acknowledged v${acked.version} ${JSON.stringify(acked.body.slice(0, 60))}, stored v${stored.version} ${JSON.stringify(String(stored.body).slice(0, 60))}`);
  }

  for (const acked of ledger.reviews.values()) {
    const stored = await models.Review.findOne({ proposalId: oid(acked.proposalId), reviewerId: oid(acked.reviewerId) }).lean();
    const where = `review of ${acked.reviewerId} on ${acked.proposalId}`;
    if (!stored) missing.push(`${where} is not in the database`);
    else if ((stored.version ?? 0) < acked.version) missing.push(`${where}: acknowledged v${acked.version}, stored v${stored.version}`);
    else if (acked.status === 'submitted' && (stored.status !== 'submitted' || JSON.stringify(sorted(stored.scores)) !== JSON.stringify(sorted(acked.scores))))
      missing.push(`${where}: acknowledged submitted ${JSON.stringify(acked.scores)}, stored ${stored.status} ${JSON.stringify(stored.scores)}`);
  }

  const callIds = new Set([...ledger.meetingSeq.keys(), ...ledger.decisions.map((d) => d.callId), ...[...ledger.votes.values()].map((v) => v.callId)]);
  const meetings = new Map((await models.Meeting.find({ callId: { $in: [...callIds].map(oid) } }).lean()).map((m) => [String(m.callId), m]));
  for (const [callId, seq] of ledger.meetingSeq) {
    const stored = meetings.get(callId);
    if (!stored) missing.push(`meeting of call ${callId} is not in the database`);
    else if ((stored.seq ?? 0) < seq) missing.push(`meeting of call ${callId}: clients were told seq ${seq}, stored seq ${stored.seq}`);
  }
  for (const decision of ledger.decisions) {
    const found = meetings.get(decision.callId)?.decisions.some((d) => String(d.proposalId) === decision.proposalId && d.outcome === decision.outcome);
    if (!found) missing.push(`decision ${JSON.stringify(decision.outcome)} on ${decision.proposalId} is not in the meeting log`);
  }
  const votes = [...ledger.votes.values()].filter((v) => v.acked >= 0);
  for (const vote of votes) {
    const poll = meetings.get(vote.callId)?.polls.find((p) => p.id === vote.pollId);
    const stored = (poll?.votes as Record<string, { value: number }> | undefined)?.[vote.userId];
    const allowed = vote.sent.slice(vote.acked);
    if (stored === undefined || !allowed.includes(stored.value))
      missing.push(`vote of ${vote.userId} in poll ${vote.pollId}: acknowledged ${vote.sent[vote.acked]}${allowed.length > 1 ? ` (then sent ${allowed.slice(1).join(', ')})` : ''}, stored ${stored?.value ?? 'nothing'}`);
  }

  const persistence = mongoPersistence(models);
  for (const report of ledger.reports.values()) {
    const stored = await persistence.load(report.docName);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    const vector = Y.decodeStateVector(Y.encodeStateVector(doc));
    const behind = Object.entries(report.stateVector).filter(([client, clock]) => (vector.get(Number(client)) ?? 0) < clock);
    if (behind.length) missing.push(`${report.docName}: stored state lacks ${behind.map(([c, k]) => `client ${c} up to ${k} (has ${vector.get(Number(c)) ?? 0})`).join(', ')}`);
    const text = doc.getXmlFragment(report.fragmentName).toString();
    if (text !== report.fragment) missing.push(`${report.docName}: stored ${report.fragmentName} (${text.length} chars) differs from what the editors converged to (${report.fragment.length} chars)`);
    doc.destroy();
  }
  return {
    checked: { comments: ledger.comments.size, reviews: ledger.reviews.size, votes: votes.length, decisions: ledger.decisions.length, meetings: ledger.meetingSeq.size, reports: ledger.reports.size },
    missing,
  };
}

function sorted(record: unknown): [string, unknown][] {
  return Object.entries((record ?? {}) as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
}
