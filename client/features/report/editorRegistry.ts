import type { Editor } from '@tiptap/core';
import type { ReportLanguage } from '../../../shared/collab/reportDoc';

/** Key of one section editor: `<section>:<language>`. */
export function editorKey(section: string, language: ReportLanguage): string {
  return `${section}:${language}`;
}

/**
 * The report's mounted Tiptap editors by section and language, so the comment rail can turn a
 * selection into an anchor and an anchor back into a place to scroll to.
 */
export class EditorRegistry {
  private readonly editors = new Map<string, Editor>();
  private readonly listeners = new Set<() => void>();
  /** The editor that last had the focus (where "Comment on selection" takes its selection). */
  lastFocused: { section: string; language: ReportLanguage } | null = null;

  register(section: string, language: ReportLanguage, editor: Editor): () => void {
    const key = editorKey(section, language);
    this.editors.set(key, editor);
    const onFocus = () => {
      this.lastFocused = { section, language };
      this.notify();
    };
    const onSelection = () => this.notify();
    editor.on('focus', onFocus);
    editor.on('selectionUpdate', onSelection);
    this.notify();
    return () => {
      editor.off('focus', onFocus);
      editor.off('selectionUpdate', onSelection);
      if (this.editors.get(key) === editor) this.editors.delete(key);
      this.notify();
    };
  }

  get(section: string, language: ReportLanguage): Editor | undefined {
    return this.editors.get(editorKey(section, language));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
