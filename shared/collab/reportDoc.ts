import * as Y from 'yjs';

/**
 * The shape of a consensus report's Y.Doc (one per proposal, named `report:<proposalId>`), shared by
 * the client (which binds Tiptap editors to the fragments) and the server (which marks stale languages,
 * exports and diffs versions).
 *
 * Every part is a ROOT type, found by name: root types are never created twice, so two people opening
 * an empty report at once cannot each create "their" section and lose the other's text (which is what
 * happens with nested types created on demand inside a shared Y.Map).
 *
 * - `section:<key>:en`, `section:<key>:ja`  Y.XmlFragment: ProseMirror content of a section, one per
 *   language, side by side. `<key>` is a criterion key, `summary` or `recommendation`.
 * - `section:<key>:meta`  Y.Map<number>: `en` / `ja` → when that language was last edited (server
 *   clock, ms since epoch). WRITTEN BY THE SERVER ONLY (it observes edits; clients' clocks differ by
 *   time zone settings and drift, and observers' writes are dropped anyway). A language is stale
 *   when the other one was edited after it (`staleLanguages`).
 * - `minority:<criterionKey>:<agency>`  Y.Text: the minority view of one agency side on one criterion.
 *   (The issue sketched a Y.Map of Y.Text; root texts keyed the same way avoid the lost-text race above.)
 * - Quotes from individual reviews carry the mark `quoteSource` with attrs `{ reviewId }` (stored by
 *   y-prosemirror as a Y.XmlText attribute), so the report keeps a link back to the source review.
 */

export const REPORT_LANGUAGES = ['en', 'ja'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

/** Sections every report has after its per-criterion sections. */
export const REPORT_FIXED_SECTIONS = ['summary', 'recommendation'] as const;

/** Mark (ProseMirror) / text attribute (Yjs) that links quoted text to its source review. */
export const QUOTE_MARK = 'quoteSource';
export interface QuoteSourceAttrs {
  reviewId: string;
}

/** Edits closer together than this do not rewrite the edit time, unless the order of the two languages changes. */
export const EDIT_MARK_RESOLUTION_MS = 1000;

const SECTION_FRAGMENT = /^section:([a-z][a-z0-9_]{0,39}):(en|ja)$/;

/** The report's sections in display order: one per criterion, then summary and recommendation. */
export function reportSectionKeys(criterionKeys: readonly string[]): string[] {
  return [...new Set([...criterionKeys, ...REPORT_FIXED_SECTIONS])];
}

/** Root name of a section's fragment in one language. */
export function sectionFragmentName(section: string, language: ReportLanguage): string {
  return `section:${section}:${language}`;
}

/** Root name of a section's edit-time map. */
export function sectionMetaName(section: string): string {
  return `section:${section}:meta`;
}

/** Root name of one agency's minority view on one criterion. */
export function minorityViewName(criterionKey: string, agency: string): string {
  return `minority:${criterionKey}:${agency}`;
}

/** `{ section, language }` of a section fragment's root name; null for other names. */
export function parseSectionFragmentName(name: string): { section: string; language: ReportLanguage } | null {
  const match = SECTION_FRAGMENT.exec(name);
  return match ? { section: match[1], language: match[2] as ReportLanguage } : null;
}

/** A section's content in one language (the Tiptap editor binds to it). */
export function sectionFragment(doc: Y.Doc, section: string, language: ReportLanguage): Y.XmlFragment {
  return doc.getXmlFragment(sectionFragmentName(section, language));
}

/** A section's edit times per language. */
export function sectionMeta(doc: Y.Doc, section: string): Y.Map<number> {
  return doc.getMap<number>(sectionMetaName(section));
}

/** One agency side's minority view on one criterion. */
export function minorityView(doc: Y.Doc, criterionKey: string, agency: string): Y.Text {
  return doc.getText(minorityViewName(criterionKey, agency));
}

function otherLanguage(language: ReportLanguage): ReportLanguage {
  return language === 'en' ? 'ja' : 'en';
}

/**
 * The languages of a section whose text is older than the other language's last edit (a language
 * never edited counts as older than any edit of the other).
 */
export function staleLanguages(meta: { get(key: string): number | undefined }): ReportLanguage[] {
  return REPORT_LANGUAGES.filter((language) => (meta.get(otherLanguage(language)) ?? 0) > (meta.get(language) ?? 0));
}

/**
 * Records that sections were edited in the given languages at `now` (the server calls this after
 * applying a client's edit). Writes only when needed: an edit time is rewritten when it is older
 * than `EDIT_MARK_RESOLUTION_MS` or when the language currently looks stale, so typing does not
 * produce a metadata update per keystroke while staleness stays exact. Both languages of a section
 * edited at once get the same time.
 */
export function markSectionsEdited(
  doc: Y.Doc,
  edits: Iterable<{ section: string; language: ReportLanguage }>,
  now: number,
  origin: unknown,
): void {
  // Decided before opening a transaction: most keystrokes write nothing, and an empty transaction
  // still costs Yjs a state vector and a cleanup pass (on the server, once per edit).
  const languagesBySection = new Map<string, Set<ReportLanguage>>();
  for (const { section, language } of edits) {
    const languages = languagesBySection.get(section) ?? new Set<ReportLanguage>();
    languagesBySection.set(section, languages.add(language));
  }
  const writes: { meta: Y.Map<number>; language: ReportLanguage; at: number }[] = [];
  for (const [section, languages] of languagesBySection) {
    const meta = sectionMeta(doc, section);
    if (languages.size === REPORT_LANGUAGES.length) {
      // Both languages in one edit: the same time for both, so neither looks stale.
      const times = REPORT_LANGUAGES.map((language) => meta.get(language));
      const due = times.some((time) => time === undefined || now - time >= EDIT_MARK_RESOLUTION_MS) || times[0] !== times[1];
      const at = Math.max(now, ...times.map((time) => time ?? now));
      if (due) for (const language of REPORT_LANGUAGES) writes.push({ meta, language, at });
      continue;
    }
    const [language] = languages;
    const mine = meta.get(language);
    const other = meta.get(otherLanguage(language));
    if (mine === undefined || (other !== undefined && other >= mine) || now - mine >= EDIT_MARK_RESOLUTION_MS) {
      // Never write a time at or before the other language's: the edited language must not look stale.
      writes.push({ meta, language, at: Math.max(now, other === undefined ? now : other + 1) });
    }
  }
  if (writes.length === 0) return;
  doc.transact(() => {
    for (const { meta, language, at } of writes) meta.set(language, at);
  }, origin);
}

/** The root name of the type that contains `type` (null for types not attached to a root). */
export function rootNameOf(type: Y.AbstractType<any>): string | null {
  let current: Y.AbstractType<any> = type;
  while (current._item !== null) {
    const parent = current._item.parent;
    if (!(parent instanceof Y.AbstractType)) return null;
    current = parent;
  }
  try {
    return Y.findRootTypeKey(current);
  } catch {
    return null;
  }
}

/** A run of quoted text and the review it came from. */
export interface ReportQuote {
  section: string;
  language: ReportLanguage;
  text: string;
  reviewId: string;
}

function collectQuotes(node: Y.XmlFragment | Y.XmlElement, into: Omit<ReportQuote, 'text' | 'reviewId'>, out: ReportQuote[]): void {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        const source = op.attributes?.[QUOTE_MARK] as Partial<QuoteSourceAttrs> | undefined;
        if (typeof op.insert === 'string' && source && typeof source.reviewId === 'string') {
          out.push({ ...into, text: op.insert, reviewId: source.reviewId });
        }
      }
    } else if (child instanceof Y.XmlElement) {
      collectQuotes(child, into, out);
    }
  }
}

/** Every quoted run in the report's sections, with its source review. */
export function reportQuotes(doc: Y.Doc, sections: readonly string[]): ReportQuote[] {
  const out: ReportQuote[] = [];
  for (const section of sections) {
    for (const language of REPORT_LANGUAGES) collectQuotes(sectionFragment(doc, section, language), { section, language }, out);
  }
  return out;
}
