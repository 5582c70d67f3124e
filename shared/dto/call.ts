import type { Phase, Role } from '../enums';
import type { PolicyAction } from '../policyActions';
import type { Agency, Criterion, PhaseDeadline } from '../schemas/call';
import type { BilingualName } from '../schemas/common';

/** Response shapes of the call routes (server/presenters/call.ts). */

/** An instant as shown in one zone. */
export interface ZonedTimeDto {
  timeZone: string;
  local: string;
  offset: string;
}

/** The call's next deadline, in the viewer's, the call's and every agency's zone. */
export interface NextDeadlineDto {
  phase: Phase;
  deadline: string;
  zones: ZonedTimeDto[];
}

/** One row of `GET /api/calls`. */
export interface CallSummaryDto {
  id: string;
  title: BilingualName;
  programme: string;
  phase: Phase;
  agencies: { code: string; name: BilingualName; timeZone: string }[];
  myRole: Role | null;
  nextDeadline: NextDeadlineDto | null;
  todo: { reviewsToSubmit?: number; assignmentsToAccept?: number };
}

/** `GET /api/calls/:id`. */
export interface CallDto {
  id: string;
  title: BilingualName;
  programme: string;
  phase: Phase;
  agencies: Agency[];
  criteria: Criterion[];
  overallThreshold: number | null;
  flagThresholds: { spread: number; agencyGap: number };
  timeZone: string;
  phases: PhaseDeadline[];
  nextDeadline: NextDeadlineDto | null;
  version: number;
  me: { role: Role | null; agency: string | null; allowed: PolicyAction[] };
}
