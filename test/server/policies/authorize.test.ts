import { describe, expect, it } from 'vitest';
import { POLICY_ACTIONS, type PolicyAction } from '../../../shared/policyActions.js';
import { ROLES, PHASES, type Phase, type Role } from '../../../shared/enums.js';
import { allowedActions, authorize, can } from '../../../server/policies/authorize.js';
import type { ProposalAccess } from '../../../server/policies/access.js';
import { ForbiddenError, NotFoundError } from '../../../server/errors.js';

function access(role: Role | null, overrides: Partial<ProposalAccess> = {}, phase: Phase = 'review'): ProposalAccess {
  const agency = role === 'officer' ? 'ANR' : role === 'reviewer' ? 'JST' : role === 'pd' || role === 'po' ? 'JST' : undefined;
  return {
    user: { id: 'u1', isAdmin: false },
    call: { id: 'c1', phase, agencies: ['JST', 'ANR'] },
    membership: role ? { role, agency } : null,
    proposal: { id: 'p1', agencies: ['JST', 'ANR'] },
    conflicted: false,
    assigned: role === 'reviewer',
    rapporteur: false,
    ownReviewSubmitted: false,
    finalised: false,
    ...overrides,
  };
}

const WRITES: PolicyAction[] = POLICY_ACTIONS.filter((a) => !/:(read|readOwn|readAll)$/.test(a));

describe('coverage', () => {
  it('has a rule for every policy action', () => {
    for (const action of POLICY_ACTIONS) expect(() => can(access('pd'), action)).not.toThrow();
  });
});

describe('conflicts of interest', () => {
  it('deny every proposal action to a conflicted person, whatever their role and phase', () => {
    for (const role of ROLES) {
      for (const phase of PHASES) {
        const a = access(role, { conflicted: true }, phase);
        const proposalActions = allowedActions(a).filter((x) => x !== 'proposal:create' && ['proposal', 'review', 'reconciliation', 'consensus', 'report', 'comment', 'decision', 'signoff', 'conflict:declare', 'assignment:read', 'assignment:accept'].some((p) => x.startsWith(p)));
        expect(proposalActions, `${role} in ${phase}`).toEqual([]);
      }
    }
  });

  it('answer 404 (not 403) so existence is not revealed', () => {
    expect(() => authorize(access('reviewer', { conflicted: true }), 'proposal:read')).toThrow(NotFoundError);
  });
});

describe('observers', () => {
  it('never write, in any phase', () => {
    for (const phase of PHASES) {
      const allowed = allowedActions(access('observer', {}, phase));
      expect(allowed.filter((a) => WRITES.includes(a)), phase).toEqual([]);
    }
  });
});

describe('outsiders', () => {
  it('get nothing of a call they have no role in, as 404', () => {
    expect(allowedActions(access(null))).toEqual([]);
    expect(() => authorize(access(null), 'call:read')).toThrow(NotFoundError);
  });
});

describe('reviews', () => {
  it('are hidden from a reviewer until their own is submitted, then visible', () => {
    expect(can(access('reviewer'), 'review:readAll')).toBe(false);
    expect(can(access('reviewer', { ownReviewSubmitted: true }), 'review:readAll')).toBe(true);
  });
  it('are visible to every member once the panel phase opens', () => {
    expect(can(access('reviewer', {}, 'panel'), 'review:readAll')).toBe(true);
  });
  it('can be edited only by an assigned reviewer during the review phase', () => {
    expect(can(access('reviewer'), 'review:write')).toBe(true);
    expect(can(access('reviewer', { assigned: false }), 'review:write')).toBe(false);
    expect(can(access('reviewer', {}, 'panel'), 'review:write')).toBe(false);
    expect(() => authorize(access('reviewer', {}, 'panel'), 'review:write')).toThrow(ForbiddenError);
  });
});

describe('sign-offs', () => {
  it('belong to JST PD/PO and counterpart officers, in finalization only', () => {
    expect(can(access('po', {}, 'finalization'), 'signoff:write')).toBe(true);
    expect(can(access('officer', {}, 'finalization'), 'signoff:write')).toBe(true);
    expect(can(access('reviewer', {}, 'finalization'), 'signoff:write')).toBe(false);
    expect(can(access('po', {}, 'panel'), 'signoff:write')).toBe(false);
  });
  it('freeze the report once every agency has signed', () => {
    expect(can(access('reviewer', {}, 'panel'), 'report:edit')).toBe(true);
    expect(can(access('reviewer', { finalised: true }, 'panel'), 'report:edit')).toBe(false);
  });
});
