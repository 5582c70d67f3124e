import { QUOTE_MARK, REPORT_LANGUAGES, type QuoteSourceAttrs, type ReportLanguage } from '../../../shared/collab/reportDoc.js';
import type { ReportHeading } from './markdown.js';
import type { Block, InlineRun, ReportContent } from './reportContent.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font-family: "Noto Serif", "Noto Serif JP", "Hiragino Mincho ProN", serif; margin: 2rem; color: #111; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 2rem; }
table.section { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.section th, table.section td { vertical-align: top; padding: 0.4rem 0.6rem; border: 1px solid #ccc; }
td[lang="ja"] { font-family: "Noto Serif JP", "Hiragino Mincho ProN", serif; line-height: 1.8; }
.stale { color: #a40; font-size: 0.8rem; font-weight: normal; }
q.quote { background: #f3f0e6; } sup.source { font-size: 0.7rem; }
.minority { margin: 0.5rem 0 0 1rem; } .meta { color: #555; font-size: 0.85rem; }
@media print { body { margin: 0; } h2 { break-after: avoid; } table.section { break-inside: auto; } tr { break-inside: avoid; } }
`;

function inline(runs: readonly InlineRun[], reviews: Map<string, number>): string {
  return runs
    .map((run) => {
      let html = escapeHtml(run.text).replace(/\n/g, '<br>');
      if (run.marks.bold || run.marks.strong) html = `<strong>${html}</strong>`;
      if (run.marks.italic || run.marks.em) html = `<em>${html}</em>`;
      const source = run.marks[QUOTE_MARK] as Partial<QuoteSourceAttrs> | undefined;
      if (source?.reviewId) {
        if (!reviews.has(source.reviewId)) reviews.set(source.reviewId, reviews.size + 1);
        const n = reviews.get(source.reviewId)!;
        html = `<q class="quote" data-review-id="${escapeHtml(source.reviewId)}">${html}</q><sup class="source"><a href="#review-${n}">${n}</a></sup>`;
      }
      return html;
    })
    .join('');
}

function blockHtml(block: Block, reviews: Map<string, number>): string {
  const text = inline(block.runs, reviews);
  const children = block.children.map((child) => blockHtml(child, reviews)).join('');
  switch (block.type) {
    case 'heading': {
      const level = Math.min(6, 3 + Number(block.attrs.level ?? 1));
      return `<h${level}>${text}</h${level}>`;
    }
    case 'bulletList':
    case 'bullet_list':
      return `<ul>${children}</ul>`;
    case 'orderedList':
    case 'ordered_list':
      return `<ol>${children}</ol>`;
    case 'listItem':
    case 'list_item':
      return `<li>${text}${children}</li>`;
    case 'blockquote':
      return `<blockquote>${text}${children}</blockquote>`;
    default:
      return `<p>${text}</p>${children}`;
  }
}

const LANGUAGE_NAMES: Record<ReportLanguage, string> = { en: 'English', ja: '日本語' };

/**
 * The report as a standalone printable HTML page: sections with English and Japanese side by side,
 * stale languages flagged, minority views, and quotes numbered with the review they came from.
 * All user text is escaped; the page loads nothing from elsewhere.
 */
export function reportPrintHtml(content: ReportContent, heading: ReportHeading): string {
  const reviews = new Map<string, number>();
  const sections = content.sections
    .map((section) => {
      const headers = REPORT_LANGUAGES.map((language) => {
        const stale = section.stale.includes(language) ? ' <span class="stale">(needs updating)</span>' : '';
        return `<th>${LANGUAGE_NAMES[language]}${stale}</th>`;
      }).join('');
      const cells = REPORT_LANGUAGES.map((language) => `<td lang="${language}">${section.blocks[language].map((block) => blockHtml(block, reviews)).join('')}</td>`).join('');
      const views = content.minorityViews.filter((view) => view.criterion === section.key);
      const minority = views.length
        ? `<h3>Minority views</h3>${views.map((view) => `<p class="minority"><strong>${escapeHtml(view.agency)}</strong>: ${escapeHtml(view.text).replace(/\n/g, '<br>')}</p>`).join('')}`
        : '';
      return `<section><h2>${escapeHtml(section.title.en)} / <span lang="ja">${escapeHtml(section.title.ja)}</span></h2><table class="section"><tr>${headers}</tr><tr>${cells}</tr></table>${minority}</section>`;
    })
    .join('\n');
  const sources = [...reviews]
    .map(([reviewId, n]) => `<li id="review-${n}">Quoted from review <code>${escapeHtml(reviewId)}</code></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Consensus report ${escapeHtml(heading.proposalRef)}</title><style>${STYLE}</style></head>
<body>
<h1>Consensus report — ${escapeHtml(heading.proposalRef)}</h1>
<p>${escapeHtml(heading.proposalTitle.en)} / <span lang="ja">${escapeHtml(heading.proposalTitle.ja)}</span></p>
<p class="meta">Version: ${escapeHtml(heading.versionLabel)} · exported ${escapeHtml(heading.exportedAt.toISOString())}</p>
${sections}
${sources ? `<h2>Sources of quotes</h2><ol>${sources}</ol>` : ''}
</body></html>
`;
}
