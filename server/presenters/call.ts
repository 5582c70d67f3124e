import type { PolicyAction } from '../../shared/policyActions.js';
import { inZones, nextDeadline } from '../domain/phases.js';
import type { Phase } from '../../shared/enums.js';

type CallDoc = {
  _id: unknown;
  title?: { en?: string | null; ja?: string | null } | null;
  programme: string;
  agencies: { code: string; name?: { en?: string | null; ja?: string | null } | null; timeZone: string; currency: string; budgetEnvelope: number }[];
  criteria: { key: string; name?: { en?: string | null; ja?: string | null } | null; scale: string; halfMarks?: boolean | null; weight: number; threshold?: number | null }[];
  overallThreshold?: number | null;
  flagThresholds?: { spread: number; agencyGap: number } | null;
  timeZone: string;
  phase: string;
  phases: { phase?: string | null; deadline?: Date | null }[];
  version?: number | null;
};

function deadlines(call: CallDoc) {
  return call.phases
    .filter((p) => p.phase && p.deadline)
    .map((p) => ({ phase: p.phase as Phase, deadline: (p.deadline as Date).toISOString() }));
}

/**
 * The next deadline shown in the viewer's zone, the call's zone and every agency's zone
 * (time zones are always explicit in Godo).
 */
export function presentNextDeadline(call: CallDoc, now: Date, viewerZone: string) {
  const next = nextDeadline(deadlines(call), now);
  if (!next) return null;
  const zones = [viewerZone, call.timeZone, ...call.agencies.map((a) => a.timeZone)];
  return { phase: next.phase, deadline: next.deadline.toISOString(), zones: inZones(next.deadline, zones) };
}

export function presentCallSummary(call: CallDoc, extra: { role: string | null; now: Date; viewerZone: string; todo?: Record<string, number> }) {
  return {
    id: String(call._id),
    title: call.title,
    programme: call.programme,
    phase: call.phase,
    agencies: call.agencies.map((a) => ({ code: a.code, name: a.name, timeZone: a.timeZone })),
    myRole: extra.role,
    nextDeadline: presentNextDeadline(call, extra.now, extra.viewerZone),
    todo: extra.todo ?? {},
  };
}

export function presentCall(call: CallDoc, extra: { role: string | null; agency?: string; allowed: PolicyAction[]; now: Date; viewerZone: string }) {
  return {
    id: String(call._id),
    title: call.title,
    programme: call.programme,
    phase: call.phase,
    agencies: call.agencies.map((a) => ({
      code: a.code,
      name: a.name,
      timeZone: a.timeZone,
      currency: a.currency,
      budgetEnvelope: a.budgetEnvelope,
    })),
    criteria: call.criteria.map((c) => ({
      key: c.key,
      name: c.name,
      scale: c.scale,
      halfMarks: Boolean(c.halfMarks),
      weight: c.weight,
      threshold: c.threshold ?? null,
    })),
    overallThreshold: call.overallThreshold ?? null,
    flagThresholds: call.flagThresholds,
    timeZone: call.timeZone,
    phases: deadlines(call),
    nextDeadline: presentNextDeadline(call, extra.now, extra.viewerZone),
    version: call.version ?? 0,
    me: { role: extra.role, agency: extra.agency ?? null, allowed: extra.allowed },
  };
}
