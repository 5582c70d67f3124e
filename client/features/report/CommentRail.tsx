import { useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { REPORT_LANGUAGES } from '../../../shared/collab/reportDoc';
import { COMMENT_LIMITS, type CommentDto } from '../../../shared/schemas/comment';
import { useCreateComment } from '../../api/comments';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import { anchorOfSelection, decodeAnchor, resolveAnchor, type ReportAnchor } from './commentAnchors';
import type { EditorRegistry } from './editorRegistry';
import type { ReportSession } from './reportSession';
import { useReportComments } from './useReportComments';

/** Props of the comment rail. */
export interface CommentRailProps {
  proposalId: string;
  session: ReportSession;
  registry: EditorRegistry;
  canComment: boolean;
  sectionTitle(key: string): string;
  /** Section keys in display order. */
  sections: readonly string[];
  /** The document has synced: anchors can be placed. */
  loaded: boolean;
}

interface PlacedThread {
  comment: CommentDto;
  replies: number;
  anchor: ReportAnchor;
  /** Section order, language order, position; null position: the anchored text was deleted. */
  order: [number, number, number];
  quote: string | null;
}

/** Re-renders on every document change and editor focus/selection change (positions move as people type). */
function useReportVersionTick(session: ReportSession, registry: EditorRegistry): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    session.doc.on('afterTransaction', bump);
    const stop = registry.subscribe(bump);
    return () => {
      session.doc.off('afterTransaction', bump);
      stop();
    };
  }, [session, registry]);
  return tick;
}

/**
 * Comments anchored to report text, in document order. "Comment on selection" anchors a new
 * thread at the selected text (Yjs relative positions, so it follows edits); choosing a comment
 * scrolls to its text and selects it.
 */
export function CommentRail({ proposalId, session, registry, canComment, sectionTitle, sections, loaded }: CommentRailProps) {
  const { t, fmt } = useI18n();
  const zone = useViewerZone();
  const comments = useReportComments(proposalId);
  const create = useCreateComment(proposalId);
  const [body, setBody] = useState('');
  const tick = useReportVersionTick(session, registry);
  const focused = useSyncExternalStore(
    (listener) => registry.subscribe(listener),
    () => registry.lastFocused,
  );
  const selectionEditor = focused ? registry.get(focused.section, focused.language) : undefined;
  const hasSelection = Boolean(selectionEditor && !selectionEditor.state.selection.empty);

  const threads = useMemo<PlacedThread[]>(() => {
    const list = comments.data?.comments ?? [];
    const order = (section: string) => (sections.includes(section) ? sections.indexOf(section) : Number.MAX_SAFE_INTEGER);
    const placed: PlacedThread[] = [];
    for (const comment of list) {
      if (comment.threadId !== null || !comment.anchor || comment.deleted) continue;
      const anchor = decodeAnchor(comment.anchor);
      if (!anchor) continue;
      const editor = registry.get(anchor.section, anchor.language);
      const range = editor ? resolveAnchor(editor, anchor, session.doc) : null;
      placed.push({
        comment,
        replies: list.filter((reply) => reply.threadId === comment.id && !reply.deleted).length,
        anchor,
        order: [order(anchor.section), REPORT_LANGUAGES.indexOf(anchor.language), range ? range.from : Number.MAX_SAFE_INTEGER],
        quote: editor && range ? editor.state.doc.textBetween(range.from, range.to, ' ') : null,
      });
    }
    return placed.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
    // `tick` stands for the document and editors, which change without React knowing.
  }, [comments.data, registry, session, sections, tick, loaded]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!focused || !selectionEditor || !body.trim()) return;
    const anchor = anchorOfSelection(selectionEditor, focused.section, focused.language);
    if (!anchor) return;
    create.mutate({ body: body.trim(), anchor }, { onSuccess: () => setBody('') });
  };

  const show = (thread: PlacedThread) => {
    const editor = registry.get(thread.anchor.section, thread.anchor.language);
    const range = editor ? resolveAnchor(editor, thread.anchor, session.doc) : null;
    if (!editor || !range) return;
    editor.chain().focus().setTextSelection(range).scrollIntoView().run();
    const element = editor.view.dom.closest('.report-language');
    element?.classList.remove('report-anchor-flash');
    // Restart the highlight animation even when the same comment is chosen twice.
    void (element as HTMLElement | null)?.offsetWidth;
    element?.classList.add('report-anchor-flash');
  };

  return (
    <section className="card report-comments" aria-labelledby="report-comments-title">
      <h4 id="report-comments-title">{t('report.comments.title')}</h4>
      {canComment && (
        <form className="form" onSubmit={onSubmit}>
          <label className="field">
            <span>{t('report.comments.body')}</span>
            <textarea rows={2} maxLength={COMMENT_LIMITS.body} value={body} onChange={(event) => setBody(event.target.value)} />
          </label>
          <p className="muted" id="report-comment-hint">
            {hasSelection && focused
              ? t('report.comments.selectionIn', { section: sectionTitle(focused.section), language: t(`language.${focused.language}`) })
              : t('report.comments.selectFirst')}
          </p>
          <button type="submit" className="primary" disabled={!hasSelection || !body.trim() || create.isPending} aria-describedby="report-comment-hint">
            {t('report.comments.commentOnSelection')}
          </button>
          {create.error && <ErrorNotice error={create.error} />}
        </form>
      )}
      {comments.isPending ? (
        <Loading />
      ) : comments.error ? (
        <ErrorNotice error={comments.error} onRetry={() => comments.refetch()} />
      ) : threads.length === 0 ? (
        <p className="muted">{t('report.comments.none')}</p>
      ) : (
        <ol className="report-comment-list">
          {threads.map((thread) => (
            <li key={thread.comment.id} data-comment-id={thread.comment.id} className={thread.comment.resolved ? 'resolved' : undefined}>
              <button type="button" className="report-comment" onClick={() => show(thread)} disabled={thread.quote === null}>
                <span className="report-comment-where">
                  {sectionTitle(thread.anchor.section)} · {t(`language.${thread.anchor.language}`)}
                </span>
                {thread.quote !== null ? (
                  <q className="report-comment-quote" lang={thread.anchor.language}>
                    {thread.quote}
                  </q>
                ) : (
                  <span className="muted">{t('report.comments.textRemoved')}</span>
                )}
                <span className="report-comment-body">{thread.comment.body}</span>
                <span className="muted">
                  {thread.comment.author.name} · {fmt.dateTime(thread.comment.createdAt, zone)}
                  {thread.replies > 0 && ` · ${t('report.comments.replies', { count: thread.replies })}`}
                  {thread.comment.resolved && ` · ${t('report.comments.resolved')}`}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
