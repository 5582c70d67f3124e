import type { ReportDiffDto, ReportVersionCreateInput, ReportVersionDto } from '../../../shared/collab/reportVersions';
import { api, query } from '../../api/http';

/**
 * REST wrappers of the consensus report's named versions and exports
 * (server/collab/report/reportRouter.ts). The live text itself goes over the collaboration websocket.
 */
const base = (proposalId: string) => `/proposals/${encodeURIComponent(proposalId)}/report`;

/** Query keys of the report's REST answers (kept here: only this chunk uses them). */
export const reportQueryKeys = {
  versions: (proposalId: string) => ['proposal', proposalId, 'report', 'versions'] as const,
  diff: (proposalId: string, from: string, to: string) => ['proposal', proposalId, 'report', 'diff', from, to] as const,
};

/** Named versions, newest first. @throws ApiRequestError (`not_found`, `forbidden`). */
export const fetchReportVersions = (proposalId: string) => api<{ versions: ReportVersionDto[] }>('GET', `${base(proposalId)}/versions`);

/** Saves the live report under a label. @throws ApiRequestError (`forbidden` without `report:edit`, `validation_failed`). */
export const createReportVersion = (proposalId: string, input: ReportVersionCreateInput) =>
  api<{ version: ReportVersionDto }>('POST', `${base(proposalId)}/versions`, input);

/** The server's word diff between two versions (`current` is the live report). @throws ApiRequestError. */
export const fetchReportDiff = (proposalId: string, from: string, to = 'current') =>
  api<{ diff: ReportDiffDto }>('GET', `${base(proposalId)}/versions/diff${query({ from, to })}`);

/** Restores a version into the live report; the server saves the text before as a backup version first. */
export const restoreReportVersion = (proposalId: string, versionId: string) =>
  api<{ restored: ReportVersionDto; backup: ReportVersionDto }>('POST', `${base(proposalId)}/versions/${encodeURIComponent(versionId)}/restore`);

/** Address of the export (a download: the server answers with `Content-Disposition: attachment`). */
export function reportExportUrl(proposalId: string, format: 'markdown' | 'html', version = 'current'): string {
  return `/api${base(proposalId)}/export${query({ format, version })}`;
}
