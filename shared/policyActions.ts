import { z } from 'zod';

/**
 * Everything a person can be allowed to do, as `resource:verb`. The server's policies decide;
 * the client receives the allowed subset to show or hide controls.
 */
export const POLICY_ACTIONS = [
  'call:create',
  'call:read',
  'call:update',
  'call:setPhase',
  'call:reopenReview',
  'person:invite',
  'membership:write',
  'proposal:create',
  'proposal:read',
  'proposal:update',
  'conflict:declare',
  'conflict:review',
  'assignment:read',
  'assignment:write',
  'assignment:accept',
  'review:write',
  'review:readOwn',
  'review:readAll',
  'reconciliation:read',
  'meeting:read',
  'meeting:moderate',
  'meeting:participate',
  'report:read',
  'report:edit',
  'comment:read',
  'comment:write',
  'consensus:write',
  'ranking:read',
  'ranking:write',
  'decision:read',
  'decision:write',
  'signoff:write',
  'audit:read',
  'export:read',
] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];
export const PolicyActionSchema = z.enum(POLICY_ACTIONS);
