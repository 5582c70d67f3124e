import type { ReportDiffDto, ReportDiffPartDto } from '../../../shared/collab/reportVersions';
import { useI18n } from '../../components/i18n/I18nProvider';

function Parts({ parts, language }: { parts: ReportDiffPartDto[]; language?: string }) {
  const { t } = useI18n();
  return (
    <p className="diff-text" lang={language}>
      {parts.map((part, i) =>
        part.op === 'equal' ? (
          <span key={i}>{part.text}</span>
        ) : part.op === 'insert' ? (
          <ins key={i}>
            <span className="visually-hidden">[{t('report.diff.inserted')}] </span>
            {part.text}
          </ins>
        ) : (
          <del key={i}>
            <span className="visually-hidden">[{t('report.diff.deleted')}] </span>
            {part.text}
          </del>
        ),
      )}
    </p>
  );
}

/**
 * The server's word diff between a version and the live report: changed sections and minority
 * views only; insertions underlined, deletions struck through (and named for screen readers).
 */
export function VersionDiff({ diff, sectionTitle }: { diff: ReportDiffDto; sectionTitle(key: string): string }) {
  const { t } = useI18n();
  const sections = diff.sections.filter((section) => section.changed);
  const views = diff.minorityViews.filter((view) => view.changed);
  if (sections.length === 0 && views.length === 0) return <p className="muted">{t('report.diff.none')}</p>;
  return (
    <div className="report-diff">
      {sections.map((section) => (
        <div key={`${section.key}:${section.language}`} className="diff-block">
          <h6>
            {sectionTitle(section.key)} · {t(`language.${section.language}`)}
          </h6>
          <Parts parts={section.parts} language={section.language} />
        </div>
      ))}
      {views.map((view) => (
        <div key={`${view.criterion}:${view.agency}`} className="diff-block">
          <h6>{t('report.minority.label', { agency: view.agency, criterion: sectionTitle(view.criterion) })}</h6>
          <Parts parts={view.parts} />
        </div>
      ))}
    </div>
  );
}
