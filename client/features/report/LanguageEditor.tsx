import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect } from 'react';
import { sectionFragment, type ReportLanguage } from '../../../shared/collab/reportDoc';
import type { EditorRegistry } from './editorRegistry';
import type { ReportPresenceUser } from './presence';
import { QuoteSource, renderCaret } from './reportExtensions';
import type { ReportSession } from './reportSession';

/** Props of one language's editor of a section. */
export interface LanguageEditorProps {
  session: ReportSession;
  section: string;
  language: ReportLanguage;
  /** Accessible name, e.g. "Excellence — English". */
  label: string;
  /** Id of the element describing the editor (the stale-translation note), if any. */
  describedBy?: string;
  user: ReportPresenceUser;
  editable: boolean;
  registry: EditorRegistry;
}

/**
 * A Tiptap editor bound to one section fragment (`section:<key>:<language>`) of the report's Y.Doc.
 * Undo/redo comes from the collaboration extension (Yjs undo, only one's own edits), not from
 * StarterKit's history, which would undo other people's typing.
 */
export function LanguageEditor({ session, section, language, label, describedBy, user, editable, registry }: LanguageEditorProps) {
  const attributes = (): Record<string, string> => ({
    class: 'report-prose',
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-label': label,
    lang: language,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
  });
  const editor = useEditor(
    {
      editable,
      extensions: [
        // Every mark another client may have written must be known here: y-prosemirror deletes text whose marks the schema lacks.
        StarterKit.configure({ undoRedo: false, link: { openOnClick: false, autolink: true } }),
        QuoteSource,
        Collaboration.configure({ fragment: sectionFragment(session.doc, section, language) }),
        CollaborationCaret.configure({ provider: session.provider, user, render: renderCaret }),
      ],
      editorProps: { attributes: attributes() },
    },
    // A new fragment or provider needs a new binding; the rest is updated in place below.
    [session, section, language],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    if (editor) editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: attributes() } });
    // attributes() reads only label, describedBy and language (fixed for this editor).
  }, [editor, label, describedBy]);

  useEffect(() => {
    // Every editor shares one awareness: keep its user current (the language or agency can change).
    if (editor) session.provider.awareness.setLocalStateField('user', user);
  }, [editor, session, user]);

  useEffect(() => (editor ? registry.register(section, language, editor) : undefined), [editor, registry, section, language]);

  return <EditorContent editor={editor} className={`report-editor${editable ? '' : ' report-editor-readonly'}`} />;
}
