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

/**
 * What a version is called. A person names a version in their own words (`label`, shown as typed).
 * Before each restore the server saves the report as a version itself (`kind: 'beforeRestore'`):
 * it stores which version was restored rather than a sentence, so that every screen words it in
 * its own language (the version restored may itself be such a backup, hence the nesting, capped at
 * RESTORE_NAME_DEPTH: deeper backups are named only as "an earlier backup", without `restoredFrom`).
 * Versions saved before `kind` existed carry an English `label` and no `kind`; they stay as they are.
 */
export type ReportVersionName = { label: string; kind?: undefined } | { kind: 'beforeRestore'; restoredFrom?: ReportVersionSource };

/** The version a restore brought back: its id and what it is called. */
export type ReportVersionSource = { versionId: string } & ReportVersionName;

/** A version's name as stored and sent (validates what the server reads back from the database). */
export const ReportVersionNameSchema: z.ZodType<ReportVersionName> = z.lazy(() =>
  z.union([
    z.object({ label: z.string() }),
    z.object({ kind: z.literal('beforeRestore'), restoredFrom: ReportVersionSourceSchema.optional() }),
  ]),
);

/** The version a restore brought back, as stored on its backup. */
export const ReportVersionSourceSchema: z.ZodType<ReportVersionSource> = z.lazy(() =>
  z.intersection(z.object({ versionId: z.string().regex(/^[0-9a-f]{24}$/) }), ReportVersionNameSchema),
);

/**
 * How many backups deep a backup's name goes. Restoring a backup of a backup of … would otherwise
 * add a level to every further backup's name ("Before restoring “Before restoring “…””"), without end.
 */
export const RESTORE_NAME_DEPTH = 2;

/** `source` with the backups nested below `depth` levels named only as "an earlier backup". */
export function capRestoreName(source: ReportVersionSource, depth = RESTORE_NAME_DEPTH): ReportVersionSource {
  if (source.kind !== 'beforeRestore' || !source.restoredFrom) return source;
  if (depth <= 1) return { versionId: source.versionId, kind: 'beforeRestore' };
  return { versionId: source.versionId, kind: 'beforeRestore', restoredFrom: capRestoreName(source.restoredFrom, depth - 1) };
}

/** A version as the API lists it: who saved it, when, how big, and what it is called. */
export type ReportVersionDto = {
  id: string;
  createdAt: string;
  createdBy: { id: string; name: string | null };
  bytes: number;
} & ReportVersionName;

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
