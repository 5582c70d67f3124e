import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mapPosition, textChange } from '../../../client/features/report/textareaBinding';

/** Applies a textarea edit to a Y.Text as the binding does, and returns the text. */
function apply(text: Y.Text, after: string): string {
  const change = textChange(text.toString(), after);
  if (change) {
    text.doc!.transact(() => {
      if (change.remove) text.delete(change.index, change.remove);
      if (change.insert) text.insert(change.index, change.insert);
    });
  }
  return text.toString();
}

/** The delta another client's Y.Text observes when `edit` runs on this one. */
function remoteDelta(initial: string, edit: (text: Y.Text) => void) {
  const [mine, theirs] = [new Y.Doc(), new Y.Doc()];
  mine.getText('t').insert(0, initial);
  Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
  let delta: Array<{ retain?: number; insert?: unknown; delete?: number }> = [];
  theirs.getText('t').observe((event) => (delta = event.delta as typeof delta));
  const before = Y.encodeStateVector(theirs);
  edit(mine.getText('t'));
  Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, before));
  return delta;
}

describe('textChange: the smallest splice between two textarea values', () => {
  it('turns one typed character into one insert, and a deletion into one delete', () => {
    expect(textChange('abcd', 'abXcd')).toEqual({ index: 2, remove: 0, insert: 'X' });
    expect(textChange('abcd', 'ad')).toEqual({ index: 1, remove: 2, insert: '' });
    expect(textChange('same', 'same')).toBeNull();
  });

  it('replaces a selection in one step and never splits a surrogate pair', () => {
    expect(textChange('one two three', 'one 2 three')).toEqual({ index: 4, remove: 3, insert: '2' });
    const change = textChange('a😀b', 'a😃b')!;
    expect(change.insert).toBe('😃');
    expect(change.remove).toBe(2);
  });

  it('keeps a concurrent edit of someone else (no whole-text rewrite)', () => {
    const [mine, theirs] = [new Y.Doc(), new Y.Doc()];
    mine.getText('t').insert(0, 'Score 4 overall');
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
    apply(mine.getText('t'), 'Score 4.5 overall');
    apply(theirs.getText('t'), 'Score 4 overall, agreed');
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
    expect(mine.getText('t').toString()).toBe('Score 4.5 overall, agreed');
    expect(theirs.getText('t').toString()).toBe(mine.getText('t').toString());
  });
});

describe('mapPosition: the caret stays put under remote edits', () => {
  it('moves right when text is inserted before it, not when inserted after', () => {
    const before = remoteDelta('hello world', (t) => t.insert(0, '>> '));
    expect(mapPosition(6, before)).toBe(9);
    const after = remoteDelta('hello world', (t) => t.insert(8, 'XX'));
    expect(mapPosition(6, after)).toBe(6);
  });

  it('moves left by the deleted text before it, and to the deletion point inside it', () => {
    const delta = remoteDelta('hello big world', (t) => t.delete(5, 4));
    expect(mapPosition(12, delta)).toBe(8);
    expect(mapPosition(7, delta)).toBe(5);
    expect(mapPosition(3, delta)).toBe(3);
  });
});
