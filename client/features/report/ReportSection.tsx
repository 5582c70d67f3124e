import { useEffect, useState } from 'react';
import { REPORT_LANGUAGES, sectionMeta, staleLanguages, type ReportLanguage } from '../../../shared/collab/reportDoc';
import { useI18n } from '../../components/i18n/I18nProvider';
import type { EditorRegistry } from './editorRegistry';
import { LanguageEditor } from './LanguageEditor';
import { MinorityViews } from './MinorityViews';
import type { ReportPresenceUser } from './presence';
import type { ReportSession } from './reportSession';

interface SectionEdits {
  stale: ReportLanguage[];
  editedAt: Partial<Record<ReportLanguage, number>>;
}

function readEdits(session: ReportSession, section: string): SectionEdits {
  const meta = sectionMeta(session.doc, section);
  return { stale: staleLanguages(meta), editedAt: { en: meta.get('en'), ja: meta.get('ja') } };
}

/** Which language of a section is out of date, kept current as the server records edit times. */
function useSectionEdits(session: ReportSession, section: string): SectionEdits {
  const [edits, setEdits] = useState(() => readEdits(session, section));
  useEffect(() => {
    const meta = sectionMeta(session.doc, section);
    const update = () => setEdits(readEdits(session, section));
    update();
    meta.observe(update);
    return () => meta.unobserve(update);
  }, [session, section]);
  return edits;
}

/** Props of one report section. */
export interface ReportSectionProps {
  session: ReportSession;
  section: string;
  title: string;
  /** Set for criterion sections: they carry minority views per agency. */
  criterion: boolean;
  agencies: readonly string[];
  user: ReportPresenceUser;
  editable: boolean;
  zone: string;
  registry: EditorRegistry;
}

/** One section of the report: its English and Japanese text side by side, stale-translation notes, minority views. */
export function ReportSection({ session, section, title, criterion, agencies, user, editable, zone, registry }: ReportSectionProps) {
  const { t, fmt } = useI18n();
  const { stale, editedAt } = useSectionEdits(session, section);
  const headingId = `report-section-${section}`;
  return (
    <section className="report-section card" aria-labelledby={headingId} data-section={section}>
      <h4 id={headingId}>{title}</h4>
      <div className="report-languages">
        {REPORT_LANGUAGES.map((language) => {
          const other: ReportLanguage = language === 'en' ? 'ja' : 'en';
          const isStale = stale.includes(language);
          const noteId = `report-stale-${section}-${language}`;
          const otherEdit = editedAt[other];
          return (
            <div key={language} className="report-language" data-language={language} data-stale={isStale ? 'true' : undefined}>
              <h5 className="report-language-name">{t(`language.${language}`)}</h5>
              {isStale && otherEdit !== undefined && (
                <p id={noteId} className="stale-note" role="status">
                  <span aria-hidden="true">⚠ </span>
                  {t('report.stale', { language: t(`language.${language}`), other: t(`language.${other}`), when: fmt.dateTime(new Date(otherEdit), zone) })}
                </p>
              )}
              <LanguageEditor
                session={session}
                section={section}
                language={language}
                label={t('report.editorLabel', { section: title, language: t(`language.${language}`) })}
                describedBy={isStale ? noteId : undefined}
                user={user}
                editable={editable}
                registry={registry}
              />
            </div>
          );
        })}
      </div>
      {criterion && <MinorityViews session={session} criterion={section} criterionName={title} agencies={agencies} editable={editable} />}
    </section>
  );
}
