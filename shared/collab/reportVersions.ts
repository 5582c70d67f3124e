import { z } from 'zod';

/** Body of `POST /api/proposals/:proposalId/report/versions`: save the report as it is now under a label. */
export const ReportVersionCreateSchema = z.strictObject({
  label: z.string().trim().min(1, 'give the version a name').max(200),
});
export type ReportVersionCreateInput = z.infer<typeof ReportVersionCreateSchema>;

/** A version id, or `current` for the live report. */
export const ReportVersionRefSchema = z.union([z.literal('current'), z.string().regex(/^[0-9a-f]{24}$/, 'must be a version id or "current"')]);

/** Query of `GET .../report/versions/diff`. */
export const ReportDiffQuerySchema = z.strictObject({
  from: ReportVersionRefSchema,
  to: ReportVersionRefSchema.default('current'),
});
export type ReportDiffQuery = z.infer<typeof ReportDiffQuerySchema>;

/** Query of `GET .../report/export`. */
export const ReportExportQuerySchema = z.strictObject({
  format: z.enum(['markdown', 'html']).default('markdown'),
  version: ReportVersionRefSchema.default('current'),
});
export type ReportExportQuery = z.infer<typeof ReportExportQuerySchema>;

/** A named version as the API lists it. */
export interface ReportVersionDto {
  id: string;
  label: string;
  createdAt: string;
  createdBy: { id: string; name: string | null };
  bytes: number;
}

/** One piece of a diff. */
export interface ReportDiffPartDto {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** The differences between two versions of a report, per section and language, and per minority view. */
export interface ReportDiffDto {
  from: string;
  to: string;
  sections: Array<{ key: string; language: 'en' | 'ja'; changed: boolean; parts: ReportDiffPartDto[] }>;
  minorityViews: Array<{ criterion: string; agency: string; changed: boolean; parts: ReportDiffPartDto[] }>;
}
