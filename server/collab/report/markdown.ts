import { QUOTE_MARK, REPORT_LANGUAGES, type QuoteSourceAttrs, type ReportLanguage } from '../../../shared/collab/reportDoc.js';
import type { Block, InlineRun, ReportContent } from './reportContent.js';

/** What heads an exported report. */
export interface ReportHeading {
  proposalRef: string;
  proposalTitle: Record<ReportLanguage, string>;
  /** e.g. the version label, or "current". */
  versionLabel: string;
  exportedAt: Date;
}

const LANGUAGE_NAMES: Record<ReportLanguage, string> = { en: 'English', ja: '日本語' };

/** Escapes Markdown syntax in user text so it prints as typed. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]{}<>#|!~])/g, '\\$1')
    .replace(/^(\s*)(\d+)\.(\s)/gm, '$1$2\\.$3')
    .replace(/^(\s*)([-+])(\s)/gm, '$1\\$2$3');
}

function inline(runs: readonly InlineRun[], reviews: Map<string, number>): string {
  return runs
    .map((run) => {
      let text = escapeMarkdown(run.text).replace(/\n/g, '  \n');
      if (!text.trim()) return text;
      if (run.marks.bold || run.marks.strong) text = `**${text}**`;
      if (run.marks.italic || run.marks.em) text = `_${text}_`;
      const source = run.marks[QUOTE_MARK] as Partial<QuoteSourceAttrs> | undefined;
      if (source?.reviewId) {
        if (!reviews.has(source.reviewId)) reviews.set(source.reviewId, reviews.size + 1);
        text = `“${text}”[^r${reviews.get(source.reviewId)}]`;
      }
      return text;
    })
    .join('');
}

function blockLines(block: Block, reviews: Map<string, number>, prefix = ''): string[] {
  const text = inline(block.runs, reviews);
  switch (block.type) {
    case 'heading':
      return [`${prefix}${'#'.repeat(Math.min(6, 3 + Number(block.attrs.level ?? 1)))} ${text}`, ''];
    case 'bulletList':
    case 'bullet_list':
      return [...block.children.flatMap((item) => itemLines(item, reviews, `${prefix}- `, `${prefix}  `)), ''];
    case 'orderedList':
    case 'ordered_list':
      return [...block.children.flatMap((item, i) => itemLines(item, reviews, `${prefix}${i + 1}. `, `${prefix}   `)), ''];
    case 'blockquote':
      return block.children.flatMap((child) => blockLines(child, reviews, `${prefix}> `));
    default:
      return [`${prefix}${text}`, ...block.children.flatMap((child) => blockLines(child, reviews, prefix)), ''];
  }
}

function itemLines(item: Block, reviews: Map<string, number>, first: string, rest: string): string[] {
  const lines = [inline(item.runs, reviews), ...item.children.flatMap((child) => blockLines(child, reviews))].filter((line) => line !== '');
  return lines.map((line, i) => `${i === 0 ? first : rest}${line}`);
}

/**
 * The report as Markdown: each section with its English and Japanese text one after the other,
 * stale languages flagged, minority views per criterion and agency, and quotes footnoted with the
 * review they came from.
 */
export function reportMarkdown(content: ReportContent, heading: ReportHeading): string {
  const reviews = new Map<string, number>();
  const out: string[] = [
    `# Consensus report — ${escapeMarkdown(heading.proposalRef)}`,
    '',
    `**${escapeMarkdown(heading.proposalTitle.en)}** / **${escapeMarkdown(heading.proposalTitle.ja)}**`,
    '',
    `Version: ${escapeMarkdown(heading.versionLabel)} · exported ${heading.exportedAt.toISOString()}`,
    '',
  ];
  for (const section of content.sections) {
    out.push(`## ${escapeMarkdown(section.title.en)} / ${escapeMarkdown(section.title.ja)}`, '');
    for (const language of REPORT_LANGUAGES) {
      const stale = section.stale.includes(language) ? ' _(needs updating: the other language changed after this text)_' : '';
      out.push(`### ${LANGUAGE_NAMES[language]}${stale}`, '');
      const lines = section.blocks[language].flatMap((block) => blockLines(block, reviews));
      out.push(...(lines.some((line) => line.trim()) ? lines : ['_(empty)_', '']));
    }
    const views = content.minorityViews.filter((view) => view.criterion === section.key);
    if (views.length > 0) {
      out.push('### Minority views', '');
      for (const view of views) out.push(`- **${escapeMarkdown(view.agency)}**: ${escapeMarkdown(view.text).replace(/\n/g, '  \n  ')}`);
      out.push('');
    }
  }
  for (const [reviewId, n] of reviews) out.push(`[^r${n}]: Quoted from review ${reviewId}`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
