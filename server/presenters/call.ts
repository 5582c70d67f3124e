import type { CallDto, CallSummaryDto, NextDeadlineDto } from '../../shared/dto/call.js';
import type { Role } from '../../shared/enums.js';
import type { PolicyAction } from '../../shared/policyActions.js';
import type { Agency, Criterion } from '../../shared/schemas/call.js';
import type { BilingualName } from '../../shared/schemas/common.js';
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
export function presentNextDeadline(call: CallDoc, now: Date, viewerZone: string): NextDeadlineDto | null {
  const next = nextDeadline(deadlines(call), now);
  if (!next) return null;
  const zones = [viewerZone, call.timeZone, ...call.agencies.map((a) => a.timeZone)];
  return { phase: next.phase, deadline: next.deadline.toISOString(), zones: inZones(next.deadline, zones) };
}

// Stored calls were validated by CallCreateSchema/CallUpdateSchema on every write, so the loose
// lean types (optional, nullable, plain strings) hold the shapes and enum values of shared/.
const bilingual = (name: CallDoc['title']) => name as BilingualName;

/** A row of the person's call list, with their role and to-do counts. */
export function presentCallSummary(
  call: CallDoc,
  extra: { role: string | null; now: Date; viewerZone: string; todo?: Record<string, number> },
): CallSummaryDto {
  return {
    id: String(call._id),
    title: bilingual(call.title),
    programme: call.programme,
    phase: call.phase as Phase,
    agencies: call.agencies.map((a) => ({ code: a.code, name: bilingual(a.name), timeZone: a.timeZone })),
    myRole: extra.role as Role | null,
    nextDeadline: presentNextDeadline(call, extra.now, extra.viewerZone),
    todo: extra.todo ?? {},
  };
}

/** A whole call, with the viewer's role, agency and allowed actions. */
export function presentCall(
  call: CallDoc,
  extra: { role: string | null; agency?: string; allowed: PolicyAction[]; now: Date; viewerZone: string },
): CallDto {
  return {
    id: String(call._id),
    title: bilingual(call.title),
    programme: call.programme,
    phase: call.phase as Phase,
    agencies: call.agencies.map(
      (a): Agency => ({
        code: a.code,
        name: bilingual(a.name),
        timeZone: a.timeZone,
        currency: a.currency,
        budgetEnvelope: a.budgetEnvelope,
      }),
    ),
    criteria: call.criteria.map(
      (c): Criterion => ({
        key: c.key,
        name: bilingual(c.name),
        scale: c.scale as Criterion['scale'],
        halfMarks: Boolean(c.halfMarks),
        weight: c.weight,
        threshold: c.threshold ?? null,
      }),
    ),
    overallThreshold: call.overallThreshold ?? null,
    flagThresholds: call.flagThresholds as CallDto['flagThresholds'],
    timeZone: call.timeZone,
    phases: deadlines(call),
    nextDeadline: presentNextDeadline(call, extra.now, extra.viewerZone),
    version: call.version ?? 0,
    me: { role: extra.role as Role | null, agency: extra.agency ?? null, allowed: extra.allowed },
  };
}
