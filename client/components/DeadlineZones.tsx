import type { Phase } from '../../shared/enums';
import { useI18n } from './i18n/I18nProvider';

/** A zone to show a deadline in, and whose it is. */
export interface ZoneLabel {
  /** Who this zone belongs to: "you", "the call", or an agency code. */
  who: 'viewer' | 'call' | { agency: string };
  timeZone: string;
}

/**
 * The zones a deadline is shown in: the viewer's, the call's, then each agency's (time zones are
 * always explicit in Godo; OpenReview's single zone confused people).
 */
export function deadlineZones(viewerZone: string, callZone: string, agencies: readonly { code: string; timeZone: string }[]): ZoneLabel[] {
  return [
    { who: 'viewer', timeZone: viewerZone },
    { who: 'call', timeZone: callZone },
    ...agencies.map((agency) => ({ who: { agency: agency.code }, timeZone: agency.timeZone })),
  ];
}

/** One deadline with the phase it closes, how far away it is, and its wall-clock time in every zone. */
export function DeadlineZones({ phase, deadline, zones, compact }: { phase: Phase; deadline: string; zones: ZoneLabel[]; compact?: boolean }) {
  const { t, fmt } = useI18n();
  const label = (zone: ZoneLabel) =>
    zone.who === 'viewer' ? t('deadline.yourTime') : zone.who === 'call' ? t('deadline.callTime') : zone.who.agency;
  return (
    <div className={compact ? 'deadline deadline-compact' : 'deadline'}>
      <p className="deadline-head">
        <strong>{t('deadline.phaseEnds', { phase: t(`phase.${phase}`) })}</strong>{' '}
        <span className="muted">({fmt.relative(deadline)})</span>
      </p>
      <dl className="zones">
        {zones.map((zone, i) => (
          <div key={`${i}-${zone.timeZone}`} className={zone.who === 'viewer' ? 'zone zone-viewer' : 'zone'}>
            <dt>
              {label(zone)} <span className="muted">{zone.timeZone}</span>
            </dt>
            <dd>
              <time dateTime={deadline}>{fmt.dateTime(deadline, zone.timeZone)}</time>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
