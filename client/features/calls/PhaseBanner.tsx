import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PHASE_TRANSITIONS, PHASES, type Phase } from '../../../shared/enums';
import { changePhase } from '../../api/calls';
import type { CallDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';
import { DeadlineZones, deadlineZones } from '../../components/DeadlineZones';
import { ErrorNotice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useMe } from '../auth/useSession';
import { allows } from './useCall';

/** Phase steps of the call, the deadline of the current one in every zone, and (for moderators) the phase controls. */
export function PhaseBanner({ call }: { call: CallDto }) {
  const { t } = useI18n();
  const me = useMe();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const move = useMutation({
    mutationFn: (to: Phase) => changePhase(call.id, { to, version: call.version, ...(reason.trim() ? { reason: reason.trim() } : {}) }),
    onSuccess: ({ call: updated }) => {
      client.setQueryData(queryKeys.call(call.id), updated);
      client.invalidateQueries({ queryKey: ['call', call.id] });
      client.invalidateQueries({ queryKey: queryKeys.calls });
      setReason('');
    },
  });
  const zones = deadlineZones(me.data?.timeZone ?? call.timeZone, call.timeZone, call.agencies);
  const current = call.phases.find((entry) => entry.phase === call.phase);
  const targets = PHASE_TRANSITIONS[call.phase].filter(
    (to) => allows(call, 'call:setPhase') && (to !== 'review' || call.phase !== 'panel' || allows(call, 'call:reopenReview')),
  );
  return (
    <section className={`phase-banner phase-${call.phase}`} aria-labelledby="phase-title">
      <h2 id="phase-title" className="visually-hidden">
        {t('phase.bannerTitle')}
      </h2>
      <ol className="phase-steps">
        {PHASES.map((phase) => (
          <li key={phase} aria-current={phase === call.phase ? 'step' : undefined} className={phase === call.phase ? 'current' : undefined}>
            {t(`phase.${phase}`)}
          </li>
        ))}
      </ol>
      {current ? (
        <DeadlineZones phase={current.phase} deadline={current.deadline} zones={zones} compact />
      ) : call.nextDeadline ? (
        <DeadlineZones phase={call.nextDeadline.phase} deadline={call.nextDeadline.deadline} zones={zones} compact />
      ) : (
        <p className="muted">{t('calls.noDeadline')}</p>
      )}
      {targets.length > 0 && (
        <div className="phase-controls">
          <label className="field inline">
            <span>{t('phase.reason')}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
          </label>
          {targets.map((to) => (
            <button
              key={to}
              type="button"
              disabled={move.isPending}
              onClick={() => {
                if (window.confirm(t('phase.confirmMove', { phase: t(`phase.${to}`) }))) move.mutate(to);
              }}
            >
              {PHASES.indexOf(to) < PHASES.indexOf(call.phase) ? t('phase.reopen', { phase: t(`phase.${to}`) }) : t('phase.moveTo', { phase: t(`phase.${to}`) })}
            </button>
          ))}
          {move.error && <ErrorNotice error={move.error} />}
        </div>
      )}
    </section>
  );
}
