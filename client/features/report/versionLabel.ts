import type { ReportVersionName } from '../../../shared/collab/reportVersions';
import type { I18n } from '../../components/i18n/I18nProvider';

/**
 * What to call a version on screen: a person's label as they typed it; a backup the server saved
 * before a restore, in the reader's language ("Before restoring “…”" / 「…」を復元する前), around
 * the name of the version restored (itself possibly such a backup; past the name's depth cap, "an
 * earlier backup"). Versions saved before the
 * server stored `kind` keep their stored English label.
 */
export function versionLabel(version: ReportVersionName, t: I18n['t']): string {
  if (version.kind !== 'beforeRestore') return version.label;
  return version.restoredFrom ? t('report.versions.beforeRestore', { label: versionLabel(version.restoredFrom, t) }) : t('report.versions.earlierBackup');
}
