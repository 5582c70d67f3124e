import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { parseCollabDocName, reportDocName } from '../../../shared/collab.js';
import type { LocalizedText } from '../../../shared/schemas/common.js';
import { contentChanged } from '../../commands/decisions/contentChanged.js';
import { setReportTextSource } from '../../commands/decisions/reportSource.js';
import type { Models } from '../../models/index.js';
import type { DocumentRegistry } from '../registry.js';
import { blocksText, readReport } from './reportContent.js';

/** The report as signed text: every section per language, minority views with the English text. */
export function reportTextOf(content: ReturnType<typeof readReport>): LocalizedText {
  const language = (lang: 'en' | 'ja') =>
    content.sections.map((section) => [`# ${section.key}`, ...blocksText(section.blocks[lang])].join('\n')).join('\n');
  const minority = content.minorityViews.map((view) => `minority ${view.criterion} ${view.agency}: ${view.text}`);
  const hasText = content.sections.some((s) => s.blocks.en.length || s.blocks.ja.length) || minority.length > 0;
  return hasText ? { en: [language('en'), ...minority].join('\n'), ja: language('ja') } : {};
}

/**
 * Makes the consensus report part of what agencies sign off: its text enters the signed content
 * hash, and every edit re-checks the proposal's sign-offs (voiding those that no longer match).
 * Checks are coalesced per document: at most one runs at a time, and edits that arrive during
 * it cause one more run, so a burst of keystrokes costs two checks, not hundreds. That further run
 * starts `recheckDelayMs` after the previous one at the earliest: without it, steady typing kept one
 * check after another running back to back (the fan-out benchmark's profile showed these database
 * reads as most of the server's CPU; at 250 ms they still were its largest cost after Yjs, hence
 * one second). The first edit after a quiet spell is still checked at once.
 */
export interface ReportSignOffLink {
  /** Resolves once no sign-off re-check is running (tests and shutdown wait on it). */
  idle(): Promise<void>;
  stop(): void;
}

export function linkReportToSignOffs(deps: {
  registry: DocumentRegistry;
  models: Models;
  clock: () => Date;
  logger: Logger;
  recheckDelayMs?: number;
}): ReportSignOffLink {
  const { registry, models } = deps;
  const recheckDelayMs = deps.recheckDelayMs ?? 1_000;
  setReportTextSource(models, async (proposalId) => {
    const proposal = await models.Proposal.findById(proposalId, { callId: 1 }).lean();
    const call = proposal && (await models.Call.findById(proposal.callId, { criteria: 1, agencies: 1 }).lean());
    if (!call) return undefined;
    return registry.use(reportDocName(String(proposalId)), (document) => reportTextOf(readReport(document.doc, call)));
  });
  const running = new Map<string, { again: boolean; actorId: string; done: Promise<void> }>();
  // A proposal's call never changes: remembered while its report is open, so a re-check is one
  // database read (the decision), not two (the fan-out profile showed these reads as the server's
  // largest cost after the Yjs work itself). Forgotten when the report unloads.
  const callIds = new Map<string, Types.ObjectId | null>();
  const callIdOf = async (proposalId: string): Promise<Types.ObjectId | null> => {
    const known = callIds.get(proposalId);
    if (known !== undefined) return known;
    const proposal = await models.Proposal.findById(proposalId, { callId: 1 }).lean();
    const callId = proposal ? (proposal.callId as Types.ObjectId) : null;
    if (callId) callIds.set(proposalId, callId);
    return callId;
  };
  const check = async (docName: string, proposalId: string, actorId: string): Promise<void> => {
    const state = running.get(docName);
    if (state) {
      state.again = true;
      state.actorId = actorId;
      return;
    }
    let finish!: () => void;
    const current = { again: false, actorId, done: new Promise<void>((resolve) => (finish = resolve)) };
    running.set(docName, current);
    try {
      for (let first = true; first || current.again; first = false) {
        if (!first) await new Promise((resolve) => setTimeout(resolve, recheckDelayMs));
        current.again = false;
        const callId = await callIdOf(proposalId);
        if (!callId) break;
        await contentChanged({ models, callId, proposalId: new Types.ObjectId(proposalId), actorId: current.actorId, cause: 'report.edited', now: deps.clock() });
      }
    } catch (err) {
      deps.logger.error({ err, docName }, 'could not re-check sign-offs after a report edit');
    } finally {
      running.delete(docName);
      finish();
    }
  };
  const onEdited = (docName: string, userId: string) => {
    const parsed = parseCollabDocName(docName);
    if (!parsed || !Types.ObjectId.isValid(parsed.proposalId)) return;
    void check(docName, parsed.proposalId, userId);
  };
  const onUnloaded = (docName: string) => {
    const parsed = parseCollabDocName(docName);
    if (parsed) callIds.delete(parsed.proposalId);
  };
  registry.on('edited', onEdited);
  registry.on('unloaded', onUnloaded);
  return {
    async idle() {
      while (running.size) await Promise.all([...running.values()].map((state) => state.done));
    },
    stop: () => {
      registry.off('edited', onEdited);
      registry.off('unloaded', onUnloaded);
    },
  };
}
