import { useId, useState } from 'react';
import { useCommentActions, type CommentDto } from '../../api/comments';
import { ErrorNotice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { MentionInput } from './MentionInput';
import { mentionsIn, splitMentions, type Mentionable } from './threads';

/** A point in time in the reader's zone, machine-readable too. */
export function CommentTime({ iso, timeZone }: { iso: string; timeZone: string }) {
  const { fmt } = useI18n();
  return <time dateTime={iso}>{fmt.dateTime(iso, timeZone)}</time>;
}

/**
 * One comment: author, agency, time (with zone), text with mentions marked, the edited marker
 * with its earlier versions, and its author's edit and delete.
 */
export function CommentItem({
  comment,
  people,
  myId,
  timeZone,
  canWrite,
}: {
  comment: CommentDto;
  people: readonly Mentionable[];
  myId: string;
  timeZone: string;
  canWrite: boolean;
}) {
  const { t, fmt } = useI18n();
  const editId = useId();
  const actions = useCommentActions();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [picked, setPicked] = useState<Mentionable[]>([]);
  const [confirming, setConfirming] = useState(false);
  const author = people.find((p) => p.userId === comment.author.userId);
  const mine = comment.author.userId === myId && canWrite && !comment.deleted;
  const failed = actions.edit.error ?? actions.remove.error;

  const startEdit = () => {
    setDraft(comment.body ?? '');
    setPicked(people.filter((p) => comment.mentions.includes(p.userId)));
    setEditing(true);
  };
  const saveEdit = () => {
    if (!draft.trim()) return;
    actions.edit.mutate(
      { id: comment.id, body: draft, mentions: mentionsIn(draft, picked), version: comment.version },
      { onSuccess: () => setEditing(false) },
    );
  };

  return (
    <article className={`comment${comment.mentions.includes(myId) ? ' mentions-me' : ''}`} id={`comment-${comment.id}`} data-comment-id={comment.id}>
      <header className="comment-meta">
        <strong>{comment.author.name}</strong>
        {author?.agency && <span className="tag">{author.agency}</span>}
        <CommentTime iso={comment.createdAt} timeZone={timeZone} />
        {comment.editedAt && !comment.deleted && <span className="comment-edited">({t('comments.edited')})</span>}
      </header>
      {comment.deleted ? (
        <p className="muted comment-deleted">{t('comments.deleted')}</p>
      ) : editing ? (
        <div className="comment-edit">
          <MentionInput
            id={editId}
            label={t('comments.editLabel')}
            value={draft}
            onChange={setDraft}
            people={people}
            onPick={(person) => setPicked((list) => [...list, person])}
            onSubmitShortcut={saveEdit}
          />
          <div className="actions">
            <button type="button" className="primary" onClick={saveEdit} disabled={actions.edit.isPending || !draft.trim()}>
              {t('comments.save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('comments.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <p className="comment-body">
          {splitMentions(comment.body ?? '', people).map((part, i) =>
            part.mention ? (
              <mark key={i} className="mention">
                {part.text}
              </mark>
            ) : (
              <span key={i}>{part.text}</span>
            ),
          )}
        </p>
      )}
      {comment.editedAt && !comment.deleted && comment.history.length > 0 && (
        <details className="comment-history">
          <summary>{t('comments.history')}</summary>
          <ol>
            {comment.history.map((entry) => (
              <li key={entry.replacedAt}>
                <time className="muted small" dateTime={entry.replacedAt}>
                  {t('comments.historyEntry', { time: fmt.dateTime(entry.replacedAt, timeZone) })}
                </time>
                <p>{entry.body}</p>
              </li>
            ))}
          </ol>
        </details>
      )}
      {failed && <ErrorNotice error={failed} />}
      {mine && !editing && (
        <div className="actions comment-actions">
          <button type="button" className="link-button" onClick={startEdit}>
            {t('comments.edit')}
          </button>
          {confirming ? (
            <>
              <button type="button" className="link-button danger" onClick={() => actions.remove.mutate(comment.id)} disabled={actions.remove.isPending}>
                {t('comments.confirmDelete')}
              </button>
              <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                {t('comments.cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="link-button" onClick={() => setConfirming(true)}>
              {t('comments.delete')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
