import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { LIMITS } from '../../../shared/limits';
import type { CallDto, JointEntryDto, RankingDto } from '../../api/dto';
import { moveInRanking } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';

interface PendingMove {
  entry: JointEntryDto;
  to: number;
}

/**
 * The negotiated joint list. A proposal moves by drag and drop or with its Up/Down buttons (the
 * keyboard way); either way the move waits for a reason, which the server records with it.
 * Each agency's funding line is drawn after the last proposal within its envelope.
 */
export function JointList({ call, ranking, writable }: { call: CallDto; ranking: RankingDto; writable: boolean }) {
  const { t, fmt } = useI18n();
  const client = useQueryClient();
  const [pending, setPending] = useState<PendingMove | null>(null);
  const [reason, setReason] = useState('');
  const [dragged, setDragged] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  // After a move (or a cancelled one) the keyboard focus goes back to the proposal's row.
  const [focusRow, setFocusRow] = useState<string | null>(null);
  useEffect(() => {
    if (!focusRow) return;
    document.querySelector<HTMLButtonElement>(`tr[data-proposal-id="${focusRow}"] .reorder button:not(:disabled)`)?.focus();
    setFocusRow(null);
  }, [focusRow, ranking]);
  const count = ranking.joint.length;
  useEffect(() => {
    if (pending) reasonRef.current?.focus();
  }, [pending]);
  const move = useMutation({
    mutationFn: (input: PendingMove) =>
      moveInRanking(call.id, { proposalId: input.entry.proposalId, toPosition: input.to, reason: reason.trim(), version: ranking.version }),
    onSuccess: ({ ranking: next }, input) => {
      client.setQueryData(queryKeys.ranking(call.id), next);
      setAnnouncement(t('ranking.movedAnnouncement', { ref: input.entry.ref, position: input.to }));
      setPending(null);
      setReason('');
      setFocusRow(input.entry.proposalId);
    },
  });
  const propose = (entry: JointEntryDto, to: number) => {
    if (to < 1 || to > count || to === entry.position) return;
    move.reset();
    setPending({ entry, to });
  };
  const onConfirm = (event: FormEvent) => {
    event.preventDefault();
    if (pending && reason.trim()) move.mutate(pending);
  };
  const linesAfter = (position: number) =>
    ranking.fundingLines.filter((line) => line.lastWithin === position && line.firstBelow !== null).map((line) => line.agency);
  const agencies = call.agencies.map((agency) => agency.code);
  const columns = 6 + agencies.length + (writable ? 1 : 0);
  return (
    <section aria-labelledby="joint-title">
      <h3 id="joint-title">{t('ranking.joint')}</h3>
      {writable && <p className="muted">{t('ranking.howToMove')}</p>}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {pending && (
        <form className="card move-form" onSubmit={onConfirm} aria-labelledby="move-title">
          <h4 id="move-title">{t('ranking.moveTitle', { ref: pending.entry.ref, from: pending.entry.position, to: pending.to })}</h4>
          <label className="field">
            <span>{t('ranking.reasonRequired')}</span>
            <textarea ref={reasonRef} rows={2} required maxLength={LIMITS.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          {move.error && <ErrorNotice error={move.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={!reason.trim() || move.isPending}>
              {t('ranking.confirmMove')}
            </button>
            <button
              type="button"
              onClick={() => {
                setFocusRow(pending.entry.proposalId);
                setPending(null);
              }}
            >
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <div className="table-scroll">
        <table className="plain joint-list">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('ranking.position')}
              </th>
              {writable && <th scope="col">{t('ranking.reorder')}</th>}
              <th scope="col">{t('proposals.ref')}</th>
              <th scope="col">{t('proposals.titleColumn')}</th>
              <th scope="col" className="num">
                {t('ranking.score')}
              </th>
              <th scope="col">{t('ranking.tier')}</th>
              {agencies.map((agency) => (
                <th scope="col" key={agency}>
                  {t('ranking.fundingOf', { agency })}
                </th>
              ))}
              <th scope="col">{t('ranking.jointlyFundable')}</th>
            </tr>
          </thead>
          <tbody>
            {ranking.joint.map((entry) => (
              <Fragment key={entry.proposalId}>
                <tr
                  data-proposal-id={entry.proposalId}
                  data-position={entry.position}
                  draggable={writable}
                  className={dragged === entry.proposalId ? 'dragging' : undefined}
                  onDragStart={(e) => {
                    e.dataTransfer.setData('text/plain', entry.proposalId);
                    e.dataTransfer.effectAllowed = 'move';
                    setDragged(entry.proposalId);
                  }}
                  onDragEnd={() => setDragged(null)}
                  onDragOver={(e) => {
                    if (writable && dragged) e.preventDefault();
                  }}
                  onDrop={(e) => {
                    e.preventDefault();
                    const source = ranking.joint.find((candidate) => candidate.proposalId === e.dataTransfer.getData('text/plain'));
                    setDragged(null);
                    if (source) propose(source, entry.position);
                  }}
                >
                  <td className="num">{entry.position}</td>
                  {writable && (
                    <td className="reorder">
                      <span className="drag-handle" aria-hidden="true">
                        ⠿
                      </span>
                      <button type="button" aria-label={t('ranking.moveUp', { ref: entry.ref })} disabled={entry.position === 1} onClick={() => propose(entry, entry.position - 1)}>
                        ↑
                      </button>
                      <button type="button" aria-label={t('ranking.moveDown', { ref: entry.ref })} disabled={entry.position === count} onClick={() => propose(entry, entry.position + 1)}>
                        ↓
                      </button>
                    </td>
                  )}
                  <th scope="row">
                    <Link to={`../proposals/${entry.proposalId}`}>{entry.ref}</Link>
                  </th>
                  <td>
                    <LocalizedText text={entry.title} />
                  </td>
                  <td className="num">{fmt.score(entry.score)}</td>
                  <td>{entry.tier ?? '–'}</td>
                  {agencies.map((agency) => {
                    const share = entry.funding[agency];
                    const currency = call.agencies.find((a) => a.code === agency)?.currency ?? 'JPY';
                    return (
                      <td key={agency} className={share ? (share.within ? 'within' : 'below') : undefined}>
                        {share ? `${share.within ? '✓' : '✗'} ${fmt.money(share.requested, currency)}` : '–'}
                        {share && <span className="visually-hidden"> {share.within ? t('ranking.within') : t('ranking.below')}</span>}
                      </td>
                    );
                  })}
                  <td>{entry.aboveAllLines ? `✓ ${t('common.yes')}` : `✗ ${t('common.no')}`}</td>
                </tr>
                {linesAfter(entry.position).map((agency) => (
                  <tr key={`line-${agency}`} className="funding-line-row">
                    <td colSpan={columns}>{t('ranking.fundingLineOf', { agency })}</td>
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
