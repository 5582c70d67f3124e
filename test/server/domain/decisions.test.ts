import { describe, expect, it } from 'vitest';
import {
  canSignFor,
  contentHash,
  decisionStatus,
  signOff,
  validSignOffs,
  voidedSignOffs,
  withSignOff,
  type SignedContent,
  type Signer,
} from '../../../server/domain/decisions';
import { DomainError } from '../../../server/domain/domainError';

const content: SignedContent = {
  reviews: [
    { reviewerId: 'r2', scores: { excellence: 4, impact: 3 } },
    { reviewerId: 'r1', scores: { impact: 4.5, excellence: 3.5 } },
  ],
  consensus: { criteria: { excellence: { score: 4, rationale: { en: 'strong' }, minorityViews: [] } }, summary: { en: 'Fund' } },
  reportText: { en: 'Report', ja: '報告' },
  decision: { kind: 'fund' },
};
const hash = contentHash(content);
const po: Signer = { personId: 'po', role: 'po', agency: 'JST' };
const pd: Signer = { personId: 'pd', role: 'pd', agency: 'JST' };
const anrOfficer: Signer = { personId: 'anr', role: 'officer', agency: 'ANR' };
const nrfOfficer: Signer = { personId: 'nrf', role: 'officer', agency: 'NRF' };
const now = new Date('2025-06-01T00:00:00Z');

const sign = (signer: Signer, agency: string, participating = ['JST', 'ANR'], presentedHash = hash) =>
  signOff({ signer, agency, participating, decision: content.decision, presentedHash, currentHash: hash, now });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('content hash', () => {
  it('is a stable SHA-256 regardless of key and review order', () => {
    const reordered: SignedContent = {
      decision: { kind: 'fund' },
      reportText: { ja: '報告', en: 'Report' },
      consensus: content.consensus,
      reviews: [...content.reviews].reverse().map((r) => ({ scores: r.scores, reviewerId: r.reviewerId })),
    };
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(reordered)).toBe(hash);
  });

  it('changes with any score, the consensus, the report text or the decision', () => {
    const variants: SignedContent[] = [
      { ...content, reviews: [{ reviewerId: 'r2', scores: { excellence: 4.5, impact: 3 } }, content.reviews[1]] },
      { ...content, consensus: { ...content.consensus!, summary: { en: 'Fund!' } } },
      { ...content, reportText: { en: 'Report', ja: '報告書' } },
      { ...content, decision: { kind: 'reserve' } },
    ];
    for (const variant of variants) expect(contentHash(variant)).not.toBe(hash);
  });
});

describe('who signs for an agency', () => {
  it("is JST's PO or PD for JST and each counterpart's own officer", () => {
    expect(canSignFor(po, 'JST')).toBe(true);
    expect(canSignFor(pd, 'JST')).toBe(true);
    expect(canSignFor(anrOfficer, 'ANR')).toBe(true);
    expect(canSignFor(anrOfficer, 'JST')).toBe(false);
    expect(canSignFor(anrOfficer, 'NRF')).toBe(false);
    expect(canSignFor({ personId: 'x', role: 'reviewer', agency: 'JST' }, 'JST')).toBe(false);
    expect(canSignFor({ personId: 'x', role: 'admin', agency: 'ANR' }, 'ANR')).toBe(false);
  });
});

describe('signing off', () => {
  it('records the agency, signer and the content hash signed', () => {
    expect(sign(po, 'JST')).toEqual({ agency: 'JST', personId: 'po', role: 'po', contentHash: hash, signedAt: '2025-06-01T00:00:00.000Z' });
  });

  it('refuses without a decision, for a non-participating agency, or by the wrong person', () => {
    expect(codeOf(() => signOff({ signer: po, agency: 'JST', participating: ['JST'], decision: null, presentedHash: hash, currentHash: hash, now }))).toBe('decision_missing');
    expect(codeOf(() => sign(nrfOfficer, 'NRF'))).toBe('signoff_not_eligible');
    expect(codeOf(() => sign(anrOfficer, 'JST'))).toBe('signoff_not_eligible');
  });

  it('refuses content the signer did not see', () => {
    expect(codeOf(() => sign(po, 'JST', ['JST', 'ANR'], 'f'.repeat(64)))).toBe('signoff_stale');
  });

  it('replaces an agency earlier sign-off', () => {
    const first = { ...sign(po, 'JST'), contentHash: 'old' };
    const list = withSignOff([first, sign(anrOfficer, 'ANR')], sign(pd, 'JST'));
    expect(list.map((s) => [s.agency, s.personId])).toEqual([
      ['ANR', 'anr'],
      ['JST', 'pd'],
    ]);
  });
});

describe('sign-off voiding', () => {
  it('keeps sign-offs on the current content and voids the rest', () => {
    const signOffs = [sign(po, 'JST'), sign(anrOfficer, 'ANR')];
    const changed = contentHash({ ...content, reviews: [{ reviewerId: 'r1', scores: { excellence: 1 } }] });
    expect(validSignOffs(signOffs, hash)).toHaveLength(2);
    expect(validSignOffs(signOffs, changed)).toEqual([]);
    expect(voidedSignOffs(signOffs, changed).map((s) => s.agency)).toEqual(['JST', 'ANR']);
  });
});

describe('decision status', () => {
  it('is final when every participating agency signed the current content', () => {
    const status = decisionStatus({ kind: 'fund' }, ['JST', 'ANR'], [sign(po, 'JST'), sign(anrOfficer, 'ANR')], hash);
    expect(status).toEqual({ final: true, signed: ['JST', 'ANR'], pending: [], voided: [] });
  });

  it('waits for missing agencies in a three-agency proposal', () => {
    const three = ['JST', 'NRF', 'ANR'];
    const signOffs = [sign(po, 'JST', three), sign(anrOfficer, 'ANR', three)];
    const status = decisionStatus({ kind: 'fund' }, three, signOffs, hash);
    expect(status.final).toBe(false);
    expect(status.pending).toEqual(['NRF']);
    const all = withSignOff(signOffs, sign(nrfOfficer, 'NRF', three));
    expect(decisionStatus({ kind: 'fund' }, three, all, hash).final).toBe(true);
  });

  it('is no longer final after a later change voids the sign-offs', () => {
    const signOffs = [sign(po, 'JST'), sign(anrOfficer, 'ANR')];
    const changed = contentHash({ ...content, decision: { kind: 'fund_with_conditions', conditions: { en: 'reduce year 3' } } });
    const status = decisionStatus({ kind: 'fund_with_conditions' }, ['JST', 'ANR'], signOffs, changed);
    expect(status).toMatchObject({ final: false, signed: [], pending: ['JST', 'ANR'] });
    expect(status.voided).toHaveLength(2);
  });

  it('is never final without a decision or participants', () => {
    expect(decisionStatus(null, ['JST'], [sign(po, 'JST')], hash).final).toBe(false);
    expect(decisionStatus({ kind: 'reject' }, [], [], hash).final).toBe(false);
  });
});
