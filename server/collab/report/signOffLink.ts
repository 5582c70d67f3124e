import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { parseCollabDocName, reportDocName } from '../../../shared/collab.js';
import type { LocalizedText } from '../../../shared/schemas/common.js';
import { contentChanged } from '../../commands/decisions/contentChanged.js';
import { setReportTextSource } from '../../commands/decisions/reportSource.js';
import { onAccessChange } from '../../commands/access/accessChanges.js';
import type { Models } from '../../models/index.js';
import type { DocumentRegistry } from '../registry.js';
import { TimerGrid } from '../timerGrid.js';
import { signOffProbe } from './signOffProbe.js';
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
 * hash, and edits re-check the proposal's sign-offs (voiding those that no longer match).
 * Re-checks are throttled per document: the first edit after a quiet spell is checked at once,
 * later ones at most once per `recheckDelayMs` (one trailing check covers every edit made in
 * between, and at most one check runs at a time). The fan-out benchmark's profile showed these
 * database reads as the server's largest cost: the earlier coalescing only delayed checks that
 * overlapped a running one, so steady typing (an edit every 100 ms, a check taking 2 ms) still
 * cost one check per keystroke (261 decision reads for 261 edits). A check of a report with no
 * pending sign-off reads nothing for 30 s after the last read said so (signOffProbe.ts); a sign-off's
 * announcement ends that at once and checks the proposal's open reports again.
 */
export interface ReportSignOffLink {
  /** Resolves once no sign-off re-check is running or scheduled (tests and shutdown wait on it). */
  idle(): Promise<void>;
  /** Re-checks running now and scheduled for later (for logs and tests). */
  stats(): { running: number; scheduled: number };
  /** Stops listening for edits; re-checks still scheduled run at once. */
  stop(): void;
}

/** One document's re-check state, kept while the document is open (it remembers the last start). */
interface Throttle {
  proposalId: string;
  actorId: string;
  /** Edits arrived since the last check started. */
  dirty: boolean;
  running: boolean;
  /** Cancels the scheduled trailing check; null when none is scheduled. */
  timer: (() => void) | null;
  lastStartAt: number;
  unloaded: boolean;
}

/** Trailing re-checks fall on multiples of this (wall clock), so that reports' checks coincide. */
const RECHECK_GRID_MS = 250;
/**
 * A report's "no pending sign-off" is read again after this long even without an announcement:
 * the bound on a sign-off announcement lost between processes (Redis away), as the connections'
 * timed access re-check (60 s) is for other access changes.
 */
const DEFAULT_REMEMBER_NONE_MS = 30_000;

export function linkReportToSignOffs(deps: {
  registry: DocumentRegistry;
  models: Models;
  clock: () => Date;
  logger: Logger;
  recheckDelayMs?: number;
  /** How long a report's "no pending sign-off" is trusted without an announcement (signOffProbe.ts). */
  rememberNoneMs?: number;
}): ReportSignOffLink {
  const { registry, models } = deps;
  const recheckDelayMs = deps.recheckDelayMs ?? 1_000;
  setReportTextSource(models, async (proposalId) => {
    const proposal = await models.Proposal.findById(proposalId, { callId: 1 }).lean();
    const call = proposal && (await models.Call.findById(proposal.callId, { criteria: 1, agencies: 1 }).lean());
    if (!call) return undefined;
    return registry.use(reportDocName(String(proposalId)), (document) => reportTextOf(readReport(document.doc, call)));
  });
  const throttles = new Map<string, Throttle>();
  const grid = new TimerGrid();
  const probe = signOffProbe(models, { rememberNoneMs: deps.rememberNoneMs ?? DEFAULT_REMEMBER_NONE_MS, now: () => deps.clock().getTime() });
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  const busy = () => [...throttles.values()].some((t) => t.running || t.timer);
  const settle = () => {
    if (busy()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
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
  const runCheck = async (docName: string, throttle: Throttle): Promise<void> => {
    try {
      // Most reports have no sign-off yet (or only voided ones): nothing to re-check.
      if (!(await probe.hasPendingSignOffs(throttle.proposalId))) return;
      const callId = await callIdOf(throttle.proposalId);
      if (!callId) return;
      await contentChanged({ models, callId, proposalId: new Types.ObjectId(throttle.proposalId), actorId: throttle.actorId, cause: 'report.edited', now: deps.clock() });
    } catch (err) {
      deps.logger.error({ err, docName }, 'could not re-check sign-offs after a report edit');
    }
  };
  const pump = (docName: string, throttle: Throttle): void => {
    if (throttle.running || throttle.timer) return;
    if (!throttle.dirty) {
      if (throttle.unloaded) throttles.delete(docName);
      settle();
      return;
    }
    const due = throttle.lastStartAt + recheckDelayMs;
    if (due > Date.now() && !stopped) {
      // On a shared grid: reports typed in at the same time are re-checked in the same turn, and
      // the probe asks the database about all of them at once.
      throttle.timer = grid.at(Math.ceil(due / RECHECK_GRID_MS) * RECHECK_GRID_MS, () => {
        throttle.timer = null;
        pump(docName, throttle);
      });
      return;
    }
    throttle.dirty = false;
    throttle.running = true;
    throttle.lastStartAt = Date.now();
    void runCheck(docName, throttle).finally(() => {
      throttle.running = false;
      pump(docName, throttle);
    });
  };
  const onEdited = (docName: string, userId: string) => {
    // Runs for every edit: the document name is parsed once, when its first edit arrives.
    let throttle = throttles.get(docName);
    if (!throttle) {
      const parsed = parseCollabDocName(docName);
      if (!parsed || !Types.ObjectId.isValid(parsed.proposalId)) return;
      throttle = { proposalId: parsed.proposalId, actorId: userId, dirty: false, running: false, timer: null, lastStartAt: -Infinity, unloaded: false };
      throttles.set(docName, throttle);
    }
    throttle.unloaded = false;
    throttle.actorId = userId;
    throttle.dirty = true;
    pump(docName, throttle);
  };
  const onUnloaded = (docName: string) => {
    const parsed = parseCollabDocName(docName);
    if (parsed) {
      callIds.delete(parsed.proposalId);
      probe.forget(parsed.proposalId);
    }
    const throttle = throttles.get(docName);
    if (!throttle) return;
    // A check still due runs first (the last edits must void what they changed); then it is forgotten.
    throttle.unloaded = true;
    if (!throttle.running && !throttle.timer && !throttle.dirty) throttles.delete(docName);
  };
  // A sign-off announces an access change naming its proposal (here, or on another process). The
  // probe's remembered "none" is forgotten, and the proposal's open reports are checked again: an
  // edit that landed after the sign-off read the text and before this announcement was not checked
  // against it (the sign-off command's own re-check covers edits up to its write).
  const onChange = (change: { proposalId?: string }) => {
    probe.forget(change.proposalId);
    if (stopped || !change.proposalId) return;
    for (const [docName, throttle] of throttles) {
      if (throttle.proposalId !== change.proposalId) continue;
      throttle.dirty = true;
      pump(docName, throttle);
    }
  };
  const stopAccessChanges = onAccessChange(onChange);
  registry.on('edited', onEdited);
  registry.on('unloaded', onUnloaded);
  return {
    idle() {
      if (!busy()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    stats() {
      const all = [...throttles.values()];
      return { running: all.filter((t) => t.running).length, scheduled: all.filter((t) => t.timer).length };
    },
    stop: () => {
      stopped = true;
      stopAccessChanges();
      registry.off('edited', onEdited);
      registry.off('unloaded', onUnloaded);
      for (const [docName, throttle] of throttles) {
        if (!throttle.timer) continue;
        throttle.timer();
        throttle.timer = null;
        pump(docName, throttle);
      }
    },
  };
}
