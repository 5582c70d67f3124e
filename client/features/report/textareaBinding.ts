import * as Y from 'yjs';

/** The smallest single change turning `before` into `after`: delete `remove` characters at `index`, then insert `insert`. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

/**
 * The minimal edit between two strings as one splice (common prefix and suffix kept), so a typed
 * character becomes one Yjs insert rather than a rewrite that would clobber someone else's typing.
 * Does not split a UTF-16 surrogate pair.
 */
export function textChange(before: string, after: string): TextChange | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start += 1;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore -= 1;
    endAfter -= 1;
  }
  const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
  if (start > 0 && isLowSurrogate(before.charCodeAt(start)) && isLowSurrogate(after.charCodeAt(start) || 0xdc00)) start -= 1;
  return { index: start, remove: endBefore - start, insert: after.slice(start, endAfter) };
}

/** Where a caret at `position` lands after a remote change described by a Yjs delta. */
export function mapPosition(position: number, delta: ReadonlyArray<{ retain?: number; insert?: unknown; delete?: number }>): number {
  // `index` walks the text as it was before the change (retains and deletes cover old characters).
  let index = 0;
  let mapped = position;
  for (const op of delta) {
    if (index > position) break;
    if (op.retain !== undefined) index += op.retain;
    else if (typeof op.insert === 'string') {
      // An insert exactly at the caret goes before it (the other person typed where we stand).
      mapped += op.insert.length;
    } else if (op.delete !== undefined) {
      mapped -= Math.min(op.delete, Math.max(0, position - index));
      index += op.delete;
    }
  }
  return Math.max(0, mapped);
}

/**
 * Binds a plain textarea to a Y.Text: local input is applied as a minimal splice, remote changes
 * update the textarea while keeping its caret and selection where the person left them.
 * Returns the unbind function.
 */
export function bindTextarea(textarea: HTMLTextAreaElement, text: Y.Text): () => void {
  const origin = Symbol('textarea');
  textarea.value = text.toString();
  const onInput = () => {
    const change = textChange(text.toString(), textarea.value);
    if (!change) return;
    text.doc?.transact(() => {
      if (change.remove > 0) text.delete(change.index, change.remove);
      if (change.insert) text.insert(change.index, change.insert);
    }, origin);
  };
  const onRemote = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return;
    const focused = document.activeElement === textarea;
    const { selectionStart, selectionEnd, selectionDirection } = textarea;
    textarea.value = text.toString();
    if (focused) {
      const delta = event.delta as Array<{ retain?: number; insert?: unknown; delete?: number }>;
      textarea.setSelectionRange(mapPosition(selectionStart, delta), mapPosition(selectionEnd, delta), selectionDirection ?? undefined);
    }
  };
  textarea.addEventListener('input', onInput);
  text.observe(onRemote);
  return () => {
    textarea.removeEventListener('input', onInput);
    text.unobserve(onRemote);
  };
}
