import { useEffect, useRef } from 'react';
import { minorityView } from '../../../shared/collab/reportDoc';
import { useI18n } from '../../components/i18n/I18nProvider';
import type { ReportSession } from './reportSession';
import { bindTextarea } from './textareaBinding';

function MinorityViewField({ session, criterion, criterionName, agency, editable }: { session: ReportSession; criterion: string; criterionName: string; agency: string; editable: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => (ref.current ? bindTextarea(ref.current, minorityView(session.doc, criterion, agency)) : undefined), [session, criterion, agency]);
  const id = `minority-${criterion}-${agency}`;
  return (
    <div className="field minority-view">
      <label htmlFor={id}>{t('report.minority.label', { agency, criterion: criterionName })}</label>
      <textarea id={id} ref={ref} rows={2} readOnly={!editable} data-agency={agency} />
    </div>
  );
}

/**
 * The minority views of one criterion, one plain text per agency side (EU practice keeps them as
 * free text), each bound live to its Y.Text.
 */
export function MinorityViews({ session, criterion, criterionName, agencies, editable }: { session: ReportSession; criterion: string; criterionName: string; agencies: readonly string[]; editable: boolean }) {
  const { t } = useI18n();
  return (
    <details className="minority-views">
      <summary>{t('report.minority.title')}</summary>
      <p className="muted">{t('report.minority.hint')}</p>
      {agencies.map((agency) => (
        <MinorityViewField key={agency} session={session} criterion={criterion} criterionName={criterionName} agency={agency} editable={editable} />
      ))}
    </details>
  );
}
