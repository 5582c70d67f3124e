import { announceAccessChange } from '../access/accessChanges.js';
import type { Types } from 'mongoose';
import type { Models } from '../../models/index.js';
import { recordAudit } from '../audit/recordAudit.js';
import { loadSignedContent, signOffState, type StoredSignOff } from './signedContent.js';

/** What changed a proposal's signed content, for the audit entry of each sign-off it voids. */
export interface ContentChange {
  models: Models;
  callId: Types.ObjectId;
  proposalId: Types.ObjectId;
  actorId: string;
  /** The audit action of the change, e.g. `review.submitted`, `consensus.updated`, `decision.set`. */
  cause: string;
  now: Date;
}

/**
 * THE place where sign-offs are voided. Every command that changes a proposal's reviews, consensus
 * or decision calls it after its write: each sign-off that no longer covers the current content is
 * marked voided and gets a `signoff.voided` audit entry (once, even when two changes race).
 * Returns the agencies whose sign-offs it voided.
 */
export async function contentChanged(change: ContentChange): Promise<string[]> {
  const { models, proposalId } = change;
  const decision = await models.Decision.findOne({ proposalId }, { signOffs: 1 }).lean();
  const pending = (decision?.signOffs ?? []).filter((record) => !record.voidedAt);
  if (!decision || pending.length === 0) return [];
  const { hash } = await loadSignedContent(models, proposalId);
  const voided: string[] = [];
  for (const record of pending as StoredSignOff[]) {
    if (signOffState(record, hash) === 'valid') continue;
    // Matching the exact record (agency, hash, still unvoided) makes the void happen once.
    const result = await models.Decision.updateOne(
      {
        _id: decision._id,
        signOffs: { $elemMatch: { agency: record.agency, contentHash: record.contentHash, voidedAt: null } },
      },
      // The whole element under one positional path: the embedded database resolves `$` again for
      // each path after applying the previous one (reported), so a second path would miss.
      { $set: { 'signOffs.$': { ...record, voidedAt: change.now, voidedBy: change.cause } } },
    );
    if (result.modifiedCount !== 1) continue;
    voided.push(record.agency);
    // A report read-only because every agency had signed off is open for editing again from the
    // first void on: told before anything else can fail (a lost audit insert included), and once.
    if (voided.length === 1) announceAccessChange({ callId: String(change.callId), proposalId: String(proposalId) });
    await recordAudit(models, {
      callId: change.callId,
      proposalId,
      actorId: change.actorId,
      action: 'signoff.voided',
      before: {
        agency: record.agency,
        personId: String(record.personId),
        contentHash: record.contentHash,
        signedAt: record.signedAt,
      },
      after: { cause: change.cause, contentHash: hash, voidedAt: change.now },
      at: change.now,
    });
  }
  return voided;
}
