import { contentChanged } from '../../commands/decisions/contentChanged.js';
import { Types } from 'mongoose';
import * as Y from 'yjs';
import { reportDocName } from '../../../shared/collab.js';
import { REPORT_LANGUAGES } from '../../../shared/collab/reportDoc.js';
import {
  capRestoreName,
  ReportVersionSourceSchema,
  type ReportDiffDto,
  type ReportDiffQuery,
  type ReportExportQuery,
  type ReportVersionCreateInput,
  type ReportVersionDto,
  type ReportVersionName,
} from '../../../shared/collab/reportVersions.js';
import type { PolicyAction } from '../../../shared/policyActions.js';
import { loadProposalAccess } from '../../commands/access/loadAccess.js';
import { recordAudit } from '../../commands/audit/recordAudit.js';
import type { CommandContext } from '../../commands/calls/callCommands.js';
import { NotFoundError } from '../../errors.js';
import { authorize } from '../../policies/authorize.js';
import { bytesOf } from '../mongoPersistence.js';
import type { DocumentRegistry } from '../registry.js';
import { reportMarkdown } from './markdown.js';
import { reportPrintHtml } from './printHtml.js';
import { blocksText, docFromState, readReport, type ReportContent } from './reportContent.js';
import { restoreReportContent } from './restore.js';
import { diffText } from './textDiff.js';

/** A command context with the live collaborative documents. */
export interface ReportContext extends CommandContext {
  documents: DocumentRegistry;
}

async function loadReport(ctx: ReportContext, proposalId: string, action: PolicyAction) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, action);
  return { call, proposal, docName: reportDocName(String(proposal._id)) };
}
type LoadedReport = Awaited<ReturnType<typeof loadReport>>;

/** The live document's state, taken from memory when it is open (unsaved edits included). */
function liveState(ctx: ReportContext, docName: string): Promise<Uint8Array> {
  return ctx.documents.use(docName, (document) => Y.encodeStateAsUpdate(document.doc));
}

async function versionRecord(ctx: ReportContext, report: LoadedReport, versionId: string) {
  if (!/^[0-9a-f]{24}$/.test(versionId)) throw new NotFoundError('No such version');
  const version = await ctx.models.ReportVersion.findOne({ _id: new Types.ObjectId(versionId), proposalId: report.proposal._id }).lean();
  if (!version) throw new NotFoundError('No such version');
  return version;
}

/** A stored version's name fields, as read back from the database. */
interface StoredVersionName {
  label?: string | null;
  kind?: string | null;
  restoredFrom?: unknown;
}

/**
 * What a stored version is called: the person's label, or for a backup the version it was saved
 * before restoring (checked, since `restoredFrom` is stored schemaless).
 */
function nameOf(row: StoredVersionName): ReportVersionName {
  if (row.kind === 'beforeRestore') return { kind: 'beforeRestore', restoredFrom: ReportVersionSourceSchema.parse(row.restoredFrom) };
  return { label: row.label ?? '' };
}

/**
 * A version's name in English, for exports (English documents). The client words the same fields
 * through i18n (client/features/report/versionLabel.ts).
 */
function englishVersionLabel(name: ReportVersionName): string {
  if (name.kind !== 'beforeRestore') return name.label;
  return name.restoredFrom ? `Before restoring “${englishVersionLabel(name.restoredFrom)}”` : 'an earlier backup';
}

/** The state and (English) label of `current` or a stored version. */
async function stateOf(ctx: ReportContext, report: LoadedReport, ref: string): Promise<{ state: Uint8Array; label: string }> {
  if (ref === 'current') return { state: await liveState(ctx, report.docName), label: 'current' };
  const version = await versionRecord(ctx, report, ref);
  return { state: bytesOf(version.state), label: englishVersionLabel(nameOf(version)) };
}

async function presentVersions(ctx: ReportContext, rows: Array<StoredVersionName & { _id: unknown; createdAt: Date; createdBy: unknown; bytes: number }>): Promise<ReportVersionDto[]> {
  const ids = [...new Set(rows.map((row) => String(row.createdBy)))];
  const people = await ctx.models.User.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { name: 1 }).lean();
  const names = new Map(people.map((person) => [String(person._id), person.name]));
  return rows.map((row) => ({
    id: String(row._id),
    ...nameOf(row),
    createdAt: row.createdAt.toISOString(),
    createdBy: { id: String(row.createdBy), name: names.get(String(row.createdBy)) ?? null },
    bytes: row.bytes,
  }));
}

async function saveVersion(ctx: ReportContext, report: LoadedReport, name: ReportVersionName, state: Uint8Array): Promise<ReportVersionDto> {
  const version = await ctx.models.ReportVersion.create({
    callId: report.call._id,
    proposalId: report.proposal._id,
    ...name,
    state: Buffer.from(state),
    bytes: state.length,
    createdBy: new Types.ObjectId(ctx.user.id),
    createdAt: ctx.now,
  });
  await recordAudit(ctx.models, { callId: report.call._id, proposalId: report.proposal._id, actorId: ctx.user.id, action: 'report.versionSaved', after: { versionId: String(version._id), ...name }, at: ctx.now });
  return (await presentVersions(ctx, [version]))[0];
}

/**
 * The named versions of a proposal's report, newest first.
 * @throws NotFoundError (no such proposal, not a member, conflicted), ForbiddenError.
 */
export async function listReportVersions(ctx: ReportContext, proposalId: string): Promise<ReportVersionDto[]> {
  const report = await loadReport(ctx, proposalId, 'report:read');
  const rows = await ctx.models.ReportVersion.find({ proposalId: report.proposal._id }, { state: 0 }).sort({ createdAt: -1 }).lean();
  return presentVersions(ctx, rows);
}

/**
 * Saves the report as it is now (unsaved live edits included) under a label.
 * @throws NotFoundError, ForbiddenError (no `report:edit`, e.g. observers or after the final sign-off).
 */
export async function createReportVersion(ctx: ReportContext, proposalId: string, input: ReportVersionCreateInput): Promise<ReportVersionDto> {
  const report = await loadReport(ctx, proposalId, 'report:edit');
  return saveVersion(ctx, report, { label: input.label }, await liveState(ctx, report.docName));
}

/**
 * What changed between two versions (or a version and `current`): per section and language, word
 * by word (character by character in Japanese), and per minority view.
 * @throws NotFoundError (also for an unknown version), ForbiddenError.
 */
export async function diffReportVersions(ctx: ReportContext, proposalId: string, query: ReportDiffQuery): Promise<ReportDiffDto> {
  const report = await loadReport(ctx, proposalId, 'report:read');
  const [from, to] = await Promise.all([stateOf(ctx, report, query.from), stateOf(ctx, report, query.to)]);
  const before = readReport(docFromState(from.state), report.call);
  const after = readReport(docFromState(to.state), report.call);
  const sections = before.sections.flatMap((section, i) =>
    REPORT_LANGUAGES.map((language) => {
      const parts = diffText(blocksText(section.blocks[language]).join('\n'), blocksText(after.sections[i].blocks[language]).join('\n'));
      return { key: section.key, language, changed: parts.some((part) => part.op !== 'equal'), parts };
    }),
  );
  const viewKey = (view: { criterion: string; agency: string }) => `${view.criterion}\u0000${view.agency}`;
  const textOf = (content: ReportContent) => new Map(content.minorityViews.map((view) => [viewKey(view), view.text]));
  const [oldViews, newViews] = [textOf(before), textOf(after)];
  const minorityViews = [...new Set([...oldViews.keys(), ...newViews.keys()])].map((key) => {
    const [criterion, agency] = key.split('\u0000');
    const parts = diffText(oldViews.get(key) ?? '', newViews.get(key) ?? '');
    return { criterion, agency, changed: parts.some((part) => part.op !== 'equal'), parts };
  });
  return { from: query.from, to: query.to, sections, minorityViews };
}

/**
 * Restores a version: the live report becomes that version's text again, as new edits that every
 * connected editor sees. The report as it was just before is saved first as a version of its own,
 * so a restore can itself be undone.
 * @throws NotFoundError, ForbiddenError (no `report:edit`).
 */
export async function restoreReportVersion(ctx: ReportContext, proposalId: string, versionId: string) {
  const report = await loadReport(ctx, proposalId, 'report:edit');
  const version = await versionRecord(ctx, report, versionId);
  // What the backup is, not a sentence: each reader's screen words it in their language.
  const restoredFrom = capRestoreName({ versionId, ...nameOf(version) });
  const backup = await saveVersion(ctx, report, { kind: 'beforeRestore', restoredFrom }, await liveState(ctx, report.docName));
  const source = docFromState(bytesOf(version.state));
  await ctx.documents.use(report.docName, (document) => document.change((doc) => restoreReportContent(doc, source)));
  await contentChanged({ models: ctx.models, callId: report.call._id, proposalId: report.proposal._id, actorId: ctx.user.id, cause: 'report.versionRestored', now: ctx.now });
  await recordAudit(ctx.models, { callId: report.call._id, proposalId: report.proposal._id, actorId: ctx.user.id, action: 'report.versionRestored', after: { ...restoredFrom, backupId: backup.id }, at: ctx.now });
  return { restored: (await presentVersions(ctx, [version]))[0], backup };
}

/**
 * The report (current or a version) as Markdown or as a printable HTML page.
 * @throws NotFoundError, ForbiddenError.
 */
export async function exportReport(ctx: ReportContext, proposalId: string, query: ReportExportQuery) {
  const report = await loadReport(ctx, proposalId, 'report:read');
  const { state, label } = await stateOf(ctx, report, query.version);
  const content = readReport(docFromState(state), report.call);
  const title = report.proposal.title ?? {};
  const heading = {
    proposalRef: report.proposal.ref,
    proposalTitle: { en: title.en ?? '', ja: title.ja ?? title.en ?? '' },
    versionLabel: label,
    exportedAt: ctx.now,
  };
  const base = `consensus-report-${report.proposal.ref}`.replace(/[^\w.-]+/g, '_');
  return query.format === 'html'
    ? { contentType: 'text/html; charset=utf-8', filename: `${base}.html`, body: reportPrintHtml(content, heading) }
    : { contentType: 'text/markdown; charset=utf-8', filename: `${base}.md`, body: reportMarkdown(content, heading) };
}
