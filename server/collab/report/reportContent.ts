import * as Y from 'yjs';
import {
  minorityView,
  REPORT_LANGUAGES,
  reportQuotes,
  reportSectionKeys,
  sectionFragment,
  sectionMeta,
  staleLanguages,
  type ReportLanguage,
  type ReportQuote,
} from '../../../shared/collab/reportDoc.js';

/** A run of text with its marks (ProseMirror marks as Yjs stores them: `bold`, `italic`, `quoteSource`...). */
export interface InlineRun {
  text: string;
  marks: Record<string, unknown>;
}

/** A ProseMirror block node read from Yjs: `paragraph`, `heading`, `bulletList`, `listItem`, ... */
export interface Block {
  type: string;
  attrs: Record<string, unknown>;
  runs: InlineRun[];
  children: Block[];
}

/** What the call says about the report's shape. */
export interface ReportCall {
  criteria: ReadonlyArray<{ key: string; name?: { en?: string | null; ja?: string | null } | null }>;
  agencies: ReadonlyArray<{ code: string }>;
}

/** A report read out of its Y.Doc, for export and diff. */
export interface ReportContent {
  sections: Array<{
    key: string;
    title: Record<ReportLanguage, string>;
    blocks: Record<ReportLanguage, Block[]>;
    /** Languages edited less recently than the other one. */
    stale: ReportLanguage[];
  }>;
  minorityViews: Array<{ criterion: string; agency: string; text: string }>;
  quotes: ReportQuote[];
}

const FIXED_TITLES: Record<string, Record<ReportLanguage, string>> = {
  summary: { en: 'Summary', ja: '総評' },
  recommendation: { en: 'Recommendation', ja: '推薦' },
};

// Inline nodes (y-prosemirror stores them as elements inside a paragraph).
const INLINE: Record<string, string> = { hardBreak: '\n', hard_break: '\n' };

function runsOf(text: Y.XmlText): InlineRun[] {
  return (text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>)
    .filter((op) => typeof op.insert === 'string')
    .map((op) => ({ text: op.insert as string, marks: op.attributes ?? {} }));
}

function blockOf(node: Y.XmlElement | Y.XmlText): Block {
  if (node instanceof Y.XmlText) return { type: 'paragraph', attrs: {}, runs: runsOf(node), children: [] };
  const block: Block = { type: node.nodeName, attrs: node.getAttributes() as Record<string, unknown>, runs: [], children: [] };
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) block.runs.push(...runsOf(child));
    else if (child instanceof Y.XmlElement && child.nodeName in INLINE) block.runs.push({ text: INLINE[child.nodeName], marks: {} });
    else if (child instanceof Y.XmlElement) block.children.push(blockOf(child));
  }
  return block;
}

/** The blocks of one section in one language. */
export function sectionBlocks(doc: Y.Doc, section: string, language: ReportLanguage): Block[] {
  return sectionFragment(doc, section, language)
    .toArray()
    .filter((node): node is Y.XmlElement | Y.XmlText => node instanceof Y.XmlElement || node instanceof Y.XmlText)
    .map(blockOf);
}

/** The plain text of blocks: one line per paragraph-like block, list items and quotes flattened. */
export function blocksText(blocks: readonly Block[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    const own = block.runs.map((run) => run.text).join('');
    if (own) lines.push(own);
    lines.push(...blocksText(block.children));
  }
  return lines;
}

/** Reads a report document (live or rebuilt from a version) into plain data. */
export function readReport(doc: Y.Doc, call: ReportCall): ReportContent {
  const keys = reportSectionKeys(call.criteria.map((criterion) => criterion.key));
  const sections = keys.map((key) => {
    const criterion = call.criteria.find((c) => c.key === key);
    const title = FIXED_TITLES[key] ?? { en: criterion?.name?.en || key, ja: criterion?.name?.ja || criterion?.name?.en || key };
    const blocks = Object.fromEntries(REPORT_LANGUAGES.map((language) => [language, sectionBlocks(doc, key, language)])) as Record<ReportLanguage, Block[]>;
    return { key, title, blocks, stale: staleLanguages(sectionMeta(doc, key)) };
  });
  const minorityViews = call.criteria.flatMap((criterion) =>
    call.agencies
      .map((agency) => ({ criterion: criterion.key, agency: agency.code, text: minorityView(doc, criterion.key, agency.code).toString() }))
      .filter((view) => view.text.trim() !== ''),
  );
  return { sections, minorityViews, quotes: reportQuotes(doc, keys) };
}

/** A Y.Doc rebuilt from an encoded state (a stored version). */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
