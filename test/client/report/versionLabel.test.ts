import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../client/components/i18n/translator';
import { versionLabel } from '../../../client/features/report/versionLabel';
import { capRestoreName, type ReportVersionSource } from '../../../shared/collab/reportVersions';

const id = (n: number) => n.toString(16).padStart(24, '0');

/** The source of a restore `depth` backups deep, the last one restoring the version "draft 1". */
function chain(depth: number): ReportVersionSource {
  let source: ReportVersionSource = { versionId: id(0), label: 'draft 1' };
  for (let level = 1; level <= depth; level += 1) source = { versionId: id(level), kind: 'beforeRestore', restoredFrom: source };
  return source;
}

describe('versionLabel', () => {
  it('words a backup in the reader\'s language around the version it restored', () => {
    expect(versionLabel({ kind: 'beforeRestore', restoredFrom: chain(0) }, createI18n('en').t)).toBe('Before restoring “draft 1”');
    expect(versionLabel({ kind: 'beforeRestore', restoredFrom: chain(0) }, createI18n('ja').t)).toBe('「draft 1」を復元する前');
  });

  it('stops a capped name at "an earlier backup", in both languages', () => {
    const capped = capRestoreName(chain(5));
    expect(versionLabel({ kind: 'beforeRestore', restoredFrom: capped }, createI18n('en').t)).toBe('Before restoring “Before restoring “an earlier backup””');
    expect(versionLabel({ kind: 'beforeRestore', restoredFrom: capped }, createI18n('ja').t)).toBe('「「以前のバックアップ」を復元する前」を復元する前');
    // Within the cap nothing is dropped.
    expect(capRestoreName(chain(1))).toEqual(chain(1));
  });
});
