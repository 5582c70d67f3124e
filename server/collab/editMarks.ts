import * as Y from 'yjs';
import { parseCollabDocName } from '../../shared/collab.js';
import { markSectionsEdited, parseSectionFragmentName, rootNameOf, type ReportLanguage } from '../../shared/collab/reportDoc.js';
import { Connection } from './connection.js';

/** Records which report sections clients edit, and writes their edit times (the stale markers). */
export interface SectionEditTracker {
  /** Writes the edit times of the sections edited since the last call, as the server (`origin`). */
  markEdited(now: number, origin: unknown): void;
  stop(): void;
}

const NONE: SectionEditTracker = { markEdited: () => undefined, stop: () => undefined };

/**
 * Watches a report document's transactions that come from connections and remembers the section
 * fragments they changed. The server, not the client, writes the edit times: one clock for everyone
 * (Tokyo and Paris browsers disagree about time), and read-only edits never reach the document.
 * Documents that are not reports get a tracker that does nothing.
 */
export function trackSectionEdits(doc: Y.Doc, docName: string): SectionEditTracker {
  if (parseCollabDocName(docName)?.kind !== 'report') return NONE;
  const edited = new Map<string, { section: string; language: ReportLanguage }>();
  const onTransaction = (transaction: Y.Transaction) => {
    if (!(transaction.origin instanceof Connection)) return;
    for (const type of transaction.changed.keys()) {
      const root = rootNameOf(type);
      const section = root ? parseSectionFragmentName(root) : null;
      if (section && root) edited.set(root, section);
    }
  };
  doc.on('afterTransaction', onTransaction);
  return {
    markEdited(now, origin) {
      if (edited.size === 0) return;
      const edits = [...edited.values()];
      edited.clear();
      markSectionsEdited(doc, edits, now, origin);
    },
    stop() {
      doc.off('afterTransaction', onTransaction);
    },
  };
}
