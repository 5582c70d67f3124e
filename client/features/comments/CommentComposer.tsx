import { useId, useState, type FormEvent } from 'react';
import type { CommentVisibility } from '../../../shared/schemas/comment';
import { useCreateComment, type CommentDto } from '../../api/comments';
import { ErrorNotice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { MentionInput } from './MentionInput';
import { mentionsIn, type Mentionable } from './threads';

/**
 * Writes a new thread or (with `threadId`) a reply. A new thread may be anchored to report text
 * (`anchor`: the opaque base64 Yjs relative positions from the report editor) and, for someone of
 * an agency side, kept to that side (the server enforces it). Mentions come from `@` autocompletion.
 */
export function CommentComposer({
  proposalId,
  people,
  myAgency,
  threadId,
  anchor,
  replyToName,
  onPosted,
  onCancel,
}: {
  proposalId: string;
  /** The call's members who can be mentioned. */
  people: readonly Mentionable[];
  /** The writer's agency side; null hides the agency-only choice. */
  myAgency: string | null;
  threadId?: string;
  anchor?: string;
  replyToName?: string;
  onPosted?: (comment: CommentDto) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const inputId = useId();
  const [body, setBody] = useState('');
  const [picked, setPicked] = useState<Mentionable[]>([]);
  const [visibility, setVisibility] = useState<CommentVisibility>('panel');
  const create = useCreateComment(proposalId);
  const isReply = threadId !== undefined;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!body.trim() || create.isPending) return;
    const mentions = mentionsIn(body, picked);
    create.mutate(
      {
        body,
        ...(isReply ? { threadId } : { ...(anchor ? { anchor } : {}), visibility }),
        ...(mentions.length ? { mentions } : {}),
      },
      {
        onSuccess: ({ comment }) => {
          setBody('');
          setPicked([]);
          onPosted?.(comment);
        },
      },
    );
  };

  return (
    <form className={isReply ? 'comment-composer reply' : 'comment-composer'} onSubmit={submit} aria-busy={create.isPending}>
      <MentionInput
        id={inputId}
        label={isReply ? t('comments.replyLabel', { name: replyToName ?? '' }) : t('comments.newThread')}
        value={body}
        onChange={setBody}
        people={people}
        onPick={(person) => setPicked((list) => (list.some((p) => p.userId === person.userId) ? list : [...list, person]))}
        onSubmitShortcut={() => submit()}
      />
      {!isReply && myAgency && (
        <fieldset className="comment-visibility">
          <legend>{t('comments.visibilityLegend')}</legend>
          {(['panel', 'agency'] as const).map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name={`${inputId}-visibility`}
                value={choice}
                checked={visibility === choice}
                onChange={() => setVisibility(choice)}
              />
              {choice === 'panel' ? t('comments.visibilityPanel') : t('comments.visibilityAgency', { agency: myAgency })}
            </label>
          ))}
        </fieldset>
      )}
      {create.error && <ErrorNotice error={create.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={!body.trim() || create.isPending}>
          {create.isPending ? t('comments.posting') : isReply ? t('comments.postReply') : t('comments.post')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('comments.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
