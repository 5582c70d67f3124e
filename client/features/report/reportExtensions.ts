import { Mark, mergeAttributes } from '@tiptap/core';
import { QUOTE_MARK } from '../../../shared/collab/reportDoc';

/**
 * The `quoteSource` mark (shared/collab/reportDoc.ts): text quoted from an individual review keeps
 * a link to its source. The editor must know the mark, or opening a report with quotes would drop them.
 */
export const QuoteSource = Mark.create({
  name: QUOTE_MARK,
  inclusive: false,
  addAttributes() {
    return {
      reviewId: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute('data-review-id'),
        renderHTML: (attributes: { reviewId?: string | null }) => (attributes.reviewId ? { 'data-review-id': attributes.reviewId } : {}),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'q[data-review-id]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['q', mergeAttributes(HTMLAttributes, { class: 'report-quote' }), 0];
  },
});

/** The caret of another person: their name and agency in a label, so colour is never the only signal. */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  const color = typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#4a5568';
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  const name = typeof user.name === 'string' ? user.name : '?';
  label.textContent = typeof user.agency === 'string' && user.agency ? `${name} · ${user.agency}` : name;
  caret.append(label);
  return caret;
}
