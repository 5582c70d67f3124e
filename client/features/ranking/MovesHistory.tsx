import type { RankingDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';

/** The recorded moves of the joint list, newest first, each with its reason. */
export function MovesHistory({ ranking }: { ranking: RankingDto }) {
  const { t, fmt } = useI18n();
  const zone = useViewerZone();
  const moves = [...ranking.moves].reverse();
  return (
    <section aria-labelledby="moves-title">
      <h3 id="moves-title">{t('ranking.moves')}</h3>
      {moves.length === 0 ? (
        <p className="muted">{t('ranking.noMoves')}</p>
      ) : (
        <ol className="moves" reversed>
          {moves.map((move, i) => (
            <li key={`${move.at}-${i}`}>
              <p>
                <strong>{move.ref ?? '–'}</strong>{' '}
                {move.fromPosition !== null && move.toPosition !== null
                  ? t('ranking.movedFromTo', { from: move.fromPosition, to: move.toPosition })
                  : t('ranking.moved')}{' '}
                <span className="muted">
                  {move.by.name} · <time dateTime={move.at}>{fmt.dateTime(move.at, zone)}</time>
                </span>
              </p>
              <blockquote>{move.reason}</blockquote>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
