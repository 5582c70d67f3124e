import * as Y from 'yjs';

type RootKind = 'fragment' | 'map' | 'text';

/** What kind of root type a report root name holds (see shared/collab/reportDoc.ts); null for others. */
export function reportRootKind(name: string): RootKind | null {
  if (/^section:[^:]+:(en|ja)$/.test(name)) return 'fragment';
  if (/^section:[^:]+:meta$/.test(name)) return 'map';
  if (/^minority:[^:]+:[^:]+$/.test(name)) return 'text';
  return null;
}

// Unchanged roots are left alone, so a restore re-inserts only the sections that differ.
function copyFragment(target: Y.XmlFragment, source: Y.XmlFragment): void {
  if (target.toString() === source.toString()) return;
  if (target.length > 0) target.delete(0, target.length);
  const children = source.toArray().map((node) => (node as Y.XmlElement | Y.XmlText).clone());
  if (children.length > 0) target.insert(0, children);
}

function copyText(target: Y.Text, source: Y.Text): void {
  if (JSON.stringify(target.toDelta()) === JSON.stringify(source.toDelta())) return;
  if (target.length > 0) target.delete(0, target.length);
  target.applyDelta(source.toDelta());
}

function copyMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
  for (const [key, value] of source.entries()) if (target.get(key) !== value) target.set(key, value);
}

/**
 * Makes `target`'s report content equal to `source`'s (a version), as NEW edits on top of the
 * current history: connected editors see the text change, nothing is rewritten in the past, and
 * the restore itself can be undone by restoring the version saved just before it. Call inside a
 * transaction. Roots that are not part of the report's structure are left alone.
 */
export function restoreReportContent(target: Y.Doc, source: Y.Doc): void {
  const names = new Set([...source.share.keys(), ...target.share.keys()]);
  for (const name of names) {
    switch (reportRootKind(name)) {
      case 'fragment':
        copyFragment(target.getXmlFragment(name), source.getXmlFragment(name));
        break;
      case 'text':
        copyText(target.getText(name), source.getText(name));
        break;
      case 'map':
        copyMap(target.getMap(name), source.getMap(name));
        break;
      default:
        break;
    }
  }
}
