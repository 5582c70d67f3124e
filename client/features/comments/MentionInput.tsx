import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../components/i18n/I18nProvider';
import { mentionQueryAt, type Mentionable } from './threads';

const MAX_SUGGESTIONS = 8;

/**
 * A comment text area with `@` autocompletion of the call's members, following the ARIA
 * combobox pattern: the text area owns a listbox of suggestions (aria-expanded, aria-controls,
 * aria-activedescendant); ArrowDown/ArrowUp move, Enter or Tab picks, Escape closes. Focus stays
 * in the text area throughout, so typing never stops.
 */
export function MentionInput({
  id,
  label,
  value,
  onChange,
  people,
  onPick,
  onSubmitShortcut,
  disabled,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  people: readonly Mentionable[];
  onPick: (person: Mentionable) => void;
  /** Ctrl/⌘+Enter. */
  onSubmitShortcut?: () => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const listId = useId();
  const hintId = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const lowered = query?.query.toLocaleLowerCase() ?? '';
  const suggestions = query ? people.filter((p) => p.name.toLocaleLowerCase().includes(lowered)).slice(0, MAX_SUGGESTIONS) : [];
  const open = suggestions.length > 0;
  const optionId = (index: number) => `${listId}-option-${index}`;

  const track = (text: string, caret: number) => {
    const next = mentionQueryAt(text, caret);
    setQuery(next);
    if (next?.query !== query?.query) setActive(0);
  };

  const pick = (person: Mentionable) => {
    if (!query) return;
    const end = query.start + 1 + query.query.length;
    const inserted = `@${person.name} `;
    const text = value.slice(0, query.start) + inserted + value.slice(end);
    onChange(text);
    onPick(person);
    setQuery(null);
    const caret = query.start + inserted.length;
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(caret, caret);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((index) => (index + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(suggestions[Math.min(active, suggestions.length - 1)]);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setQuery(null);
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && onSubmitShortcut) {
      event.preventDefault();
      onSubmitShortcut();
    }
  };

  return (
    <div className="mention-input">
      <label htmlFor={id}>{label}</label>
      <textarea
        ref={area}
        id={id}
        value={value}
        rows={3}
        disabled={disabled}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? optionId(Math.min(active, suggestions.length - 1)) : undefined}
        aria-describedby={hintId}
        onChange={(event) => {
          onChange(event.target.value);
          track(event.target.value, event.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onClick={(event) => track(event.currentTarget.value, event.currentTarget.selectionStart)}
        onBlur={() => setQuery(null)}
      />
      <p id={hintId} className="muted small">
        {t('comments.mentionHint')}
      </p>
      <ul id={listId} role="listbox" aria-label={t('comments.mentionSuggestions')} className="mention-list" hidden={!open}>
        {suggestions.map((person, index) => (
          <li
            key={person.userId}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            // mousedown, not click: the text area keeps focus (blur would close the list first).
            onMouseDown={(event) => {
              event.preventDefault();
              pick(person);
            }}
          >
            {person.name}
            {person.agency && <span className="tag">{person.agency}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
