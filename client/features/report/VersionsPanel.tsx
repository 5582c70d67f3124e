import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ReportVersionDto } from '../../../shared/collab/reportVersions';
import { ErrorNotice, Loading, Notice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { ConfirmDialog } from './ConfirmDialog';
import { createReportVersion, fetchReportDiff, fetchReportVersions, reportQueryKeys, restoreReportVersion } from './reportApi';
import { VersionDiff } from './VersionDiff';
import { versionLabel } from './versionLabel';

/** Props of the versions panel. */
export interface VersionsPanelProps {
  proposalId: string;
  editable: boolean;
  zone: string;
  sectionTitle(key: string): string;
}

function DiffView({ proposalId, version, sectionTitle, onClose }: { proposalId: string; version: ReportVersionDto; sectionTitle(key: string): string; onClose(): void }) {
  const { t } = useI18n();
  const diff = useQuery({ queryKey: reportQueryKeys.diff(proposalId, version.id, 'current'), queryFn: async () => (await fetchReportDiff(proposalId, version.id)).diff });
  return (
    <section className="report-diff-view" aria-labelledby="report-diff-title">
      <h5 id="report-diff-title">{t('report.diff.title', { label: versionLabel(version, t) })}</h5>
      {diff.isPending ? <Loading /> : diff.error ? <ErrorNotice error={diff.error} onRetry={() => diff.refetch()} /> : <VersionDiff diff={diff.data} sectionTitle={sectionTitle} />}
      <button type="button" onClick={onClose}>
        {t('report.diff.close')}
      </button>
    </section>
  );
}

function VersionItem({ version, editable, zone, onCompare, onRestore }: { version: ReportVersionDto; editable: boolean; zone: string; onCompare(version: ReportVersionDto): void; onRestore(version: ReportVersionDto): void }) {
  const { t, fmt } = useI18n();
  const label = versionLabel(version, t);
  return (
    <li data-version-label={label} data-version-kind={version.kind}>
      <strong>{label}</strong>
      <span className="muted">
        {t('report.versions.savedBy', { name: version.createdBy.name ?? t('report.versions.unknownAuthor'), when: fmt.dateTime(version.createdAt, zone) })}
      </span>
      <span className="report-version-actions">
        <button type="button" className="link-button" onClick={() => onCompare(version)} aria-label={t('report.versions.compareNamed', { label })}>
          {t('report.versions.compare')}
        </button>
        {editable && (
          <button type="button" className="link-button" onClick={() => onRestore(version)} aria-label={t('report.versions.restoreNamed', { label })}>
            {t('report.versions.restore')}
          </button>
        )}
      </span>
    </li>
  );
}

/**
 * Named versions of the report: who saved each and when (in the viewer's zone, zone shown), saving
 * a new one, comparing one with the live text (the server's word diff) and restoring one after a
 * confirmation (the server keeps the text before the restore as a version of its own).
 */
export function VersionsPanel({ proposalId, editable, zone, sectionTitle }: VersionsPanelProps) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [label, setLabel] = useState('');
  const [comparing, setComparing] = useState<ReportVersionDto | null>(null);
  const [restoring, setRestoring] = useState<ReportVersionDto | null>(null);
  // The version itself, not its words: a backup's name follows a change of language.
  const [restored, setRestored] = useState<ReportVersionDto | null>(null);
  // Others save versions too (and a restore adds one); nothing pushes them, so look again now and then.
  const versions = useQuery({ queryKey: reportQueryKeys.versions(proposalId), queryFn: async () => (await fetchReportVersions(proposalId)).versions, refetchInterval: 30_000 });
  const refresh = () => client.invalidateQueries({ queryKey: ['proposal', proposalId, 'report'] });
  const save = useMutation({
    mutationFn: () => createReportVersion(proposalId, { label: label.trim() }),
    onSuccess: () => {
      setLabel('');
      void refresh();
    },
  });
  const restore = useMutation({
    mutationFn: (version: ReportVersionDto) => restoreReportVersion(proposalId, version.id),
    onSuccess: ({ restored }) => {
      setRestoring(null);
      setComparing(null);
      setRestored(restored);
      void refresh();
    },
  });
  const onSave = (event: FormEvent) => {
    event.preventDefault();
    if (label.trim()) save.mutate();
  };
  return (
    <section className="card report-versions" aria-labelledby="report-versions-title">
      <h4 id="report-versions-title">{t('report.versions.title')}</h4>
      {editable && (
        <form className="form report-version-form" onSubmit={onSave}>
          <label className="field">
            <span>{t('report.versions.label')}</span>
            <input value={label} maxLength={200} onChange={(event) => setLabel(event.target.value)} placeholder={t('report.versions.labelExample')} />
          </label>
          <button type="submit" className="primary" disabled={!label.trim() || save.isPending}>
            {t('report.versions.save')}
          </button>
          {save.error && <ErrorNotice error={save.error} />}
        </form>
      )}
      {restored && <Notice tone="success">{t('report.versions.restored', { label: versionLabel(restored, t) })}</Notice>}
      {versions.isPending ? (
        <Loading />
      ) : versions.error ? (
        <ErrorNotice error={versions.error} onRetry={() => versions.refetch()} />
      ) : versions.data.length === 0 ? (
        <p className="muted">{t('report.versions.none')}</p>
      ) : (
        <ol className="report-version-list">
          {versions.data.map((version) => (
            <VersionItem key={version.id} version={version} editable={editable} zone={zone} onCompare={setComparing} onRestore={setRestoring} />
          ))}
        </ol>
      )}
      {comparing && <DiffView proposalId={proposalId} version={comparing} sectionTitle={sectionTitle} onClose={() => setComparing(null)} />}
      <ConfirmDialog
        open={restoring !== null}
        title={t('report.restore.title')}
        confirmLabel={t('report.restore.confirm')}
        cancelLabel={t('report.restore.cancel')}
        busy={restore.isPending}
        onConfirm={() => restoring && restore.mutate(restoring)}
        onCancel={() => {
          setRestoring(null);
          restore.reset();
        }}
      >
        <p>{t('report.restore.body', { label: restoring ? versionLabel(restoring, t) : '' })}</p>
        {restore.error && <ErrorNotice error={restore.error} />}
      </ConfirmDialog>
    </section>
  );
}
