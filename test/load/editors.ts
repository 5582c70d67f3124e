import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { COLLAB_PATH, reportDocName } from '../../shared/collab.js';
import { sectionFragmentName } from '../../shared/collab/reportDoc.js';
import type { AckLedger } from './ledger.js';
import type { LoadMetrics } from './metrics.js';
import type { Day, Person } from './people.js';

// Every provider adds a process 'exit' listener; a day of editing sessions is not a leak.
process.setMaxListeners(0);

/** One edit of a trace: delete `deleted` characters at `position`, then insert `inserted`. */
type Patch = [position: number, deleted: number, inserted: string];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Every editing trace in GODO_LOAD_TRACES_DIR (default: ../shared/bench-data/editing-traces next
 * to the repository), flattened to their patches. Concurrent traces are flattened too: their
 * positions are only used as cursor movements (see `TraceTypist`), so that is fine.
 */
export function loadTraces(dir = process.env.GODO_LOAD_TRACES_DIR ?? path.resolve(repoRoot, '..', 'shared', 'bench-data', 'editing-traces')): Patch[][] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json.gz')).sort();
  if (files.length === 0) throw new Error(`no *.json.gz editing traces in ${dir} (set GODO_LOAD_TRACES_DIR)`);
  return files.map((file) => {
    const json = JSON.parse(gunzipSync(readFileSync(path.join(dir, file))).toString('utf8')) as { txns: { patches: Patch[] }[] };
    return json.txns.flatMap((txn) => txn.patches);
  });
}

/**
 * Replays a slice of a trace as one person's typing in a shared paragraph. The trace's absolute
 * positions belong to its own (much longer) document, so each patch moves this typist's cursor
 * by the trace's own cursor movement, clamped to the text: a run of typing stays a run, a jump
 * stays a jump, and every edit is valid whatever the others typed meanwhile.
 */
class TraceTypist {
  private cursor = 0;
  private last: number | null = null;

  constructor(
    private readonly patches: Patch[],
    private next: number,
  ) {}

  apply(text: Y.XmlText): number {
    const [position, deleted, inserted] = this.patches[this.next++ % this.patches.length];
    this.cursor += this.last === null ? 0 : position - this.last;
    this.last = position + inserted.length;
    const at = Math.max(0, Math.min(this.cursor, text.length));
    const removed = Math.min(deleted, text.length - at);
    if (removed > 0) text.delete(at, removed);
    if (inserted) text.insert(at, inserted);
    this.cursor = at + inserted.length;
    return at;
  }
}

/** The section the editors co-write (the summary, in English). */
export const EDITED_FRAGMENT = sectionFragmentName('summary', 'en');

interface Editor {
  person: Person;
  doc: Y.Doc;
  provider: WebsocketProvider;
  typed: number;
}

function cookieWebSocket(cookie: string) {
  return class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  };
}

function whenTrue(docs: Y.Doc[], condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!condition()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      for (const doc of docs) doc.off('update', check);
    };
    for (const doc of docs) doc.on('update', check);
  });
}

const paragraphText = (doc: Y.Doc): Y.XmlText | null => {
  const first = doc.getXmlFragment(EDITED_FRAGMENT).get(0);
  const text = first instanceof Y.XmlElement ? first.get(0) : null;
  return text instanceof Y.XmlText ? text : null;
};

/**
 * One editing session: `people` open the proposal's consensus report (y-websocket, disableBc, each
 * on their own Godo process), the first (the rapporteur) adds a paragraph to the summary if there
 * is none, and all type into it at human speed, replaying trace slices, with a cursor in their
 * awareness. Every 10th edit is a probe: the time until each other editor holds it is recorded
 * as `yjs:edit→peer`. `stop` ends the typing (or each stops after `quota` edits); then the session
 * waits until every editor holds the same state, records that state in the ledger and leaves.
 */
export async function editingSession(options: {
  proposalId: string;
  people: Person[];
  day: Day;
  traces: Patch[][];
  metrics: LoadMetrics;
  ledger: AckLedger;
  stop: Promise<void>;
  quota?: number;
}): Promise<void> {
  const { day, metrics, ledger } = options;
  const docName = reportDocName(options.proposalId);
  const editors: Editor[] = options.people.map((person) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(person.url.replace(/^http/, 'ws') + COLLAB_PATH, docName, doc, {
      disableBc: true,
      WebSocketPolyfill: cookieWebSocket(person.seed.cookie) as unknown as typeof globalThis.WebSocket,
    });
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (!stopping) metrics.fail('yjs:connection', `${person.seed.name} on ${docName}: closed ${event?.code ?? ''} ${event?.reason ?? ''}`);
    });
    return { person, doc, provider, typed: 0 };
  });
  let stopping = false;
  const probes: { client: number; clock: number; at: number; waiting: Set<Editor> }[] = [];
  for (const editor of editors) {
    editor.doc.on('update', () => {
      for (const probe of probes) {
        if (!probe.waiting.has(editor) || Y.getState(editor.doc.store, probe.client) < probe.clock) continue;
        probe.waiting.delete(editor);
        metrics.sample('yjs:edit→peer', performance.now() - probe.at);
      }
      while (probes.length && probes[0].waiting.size === 0) probes.shift();
    });
  }
  try {
    await Promise.all(
      editors.map(async (editor) => {
        const start = performance.now();
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${editor.person.seed.name} did not sync ${docName}`)), 30_000);
          editor.provider.once('sync', () => {
            clearTimeout(timer);
            resolve();
          });
        }).then(
          () => metrics.ok('yjs:sync', performance.now() - start),
          (error: Error) => metrics.fail('yjs:sync', error.message),
        );
      }),
    );
    const [rapporteur] = editors;
    if (!paragraphText(rapporteur.doc)) {
      rapporteur.doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText()]);
        rapporteur.doc.getXmlFragment(EDITED_FRAGMENT).insert(0, [paragraph]);
      });
    }
    let stopped = false;
    void options.stop.then(() => (stopped = true));
    await Promise.all(
      editors.map(async (editor, i) => {
        await whenTrue([editor.doc], () => paragraphText(editor.doc) !== null, `the summary paragraph at ${editor.person.seed.name}`).catch((error: Error) =>
          metrics.fail('yjs:sync', error.message),
        );
        const patches = options.traces[i % options.traces.length];
        const typist = new TraceTypist(patches, Math.floor(day.random() * patches.length));
        // Without the paragraph (its sync failed, already reported) this editor cannot type at all.
        const more = () => paragraphText(editor.doc) !== null && !stopped && !day.over && (options.quota === undefined || editor.typed < options.quota);
        while (more()) {
          // A burst of typing, then a pause to read what the others wrote.
          const burst = Math.round(day.between(10, 60));
          for (let k = 0; k < burst && more(); k++) {
            const at = typist.apply(paragraphText(editor.doc)!);
            editor.typed++;
            metrics.ok('yjs:edit');
            editor.provider.awareness.setLocalStateField('cursor', { anchor: at, head: at });
            if (editor.typed % 10 === 0) {
              const client = editor.doc.clientID;
              probes.push({ client, clock: Y.getState(editor.doc.store, client), at: performance.now(), waiting: new Set(editors.filter((e) => e !== editor)) });
            }
            await day.think(120, 320);
          }
          if (options.quota === undefined) await Promise.race([day.think(2_000, 8_000), options.stop]);
        }
      }),
    );
    // Converged: every editor holds every edit (they only reach each other through the server).
    const vectorOf = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64');
    const start = performance.now();
    try {
      // A state vector counts insertions only: a deletion still on its way leaves it unchanged, so
      // converged means the same vector AND the same content (never reached: whenTrue times out).
      const textOf = (doc: Y.Doc) => doc.getXmlFragment(EDITED_FRAGMENT).toString();
      await whenTrue(
        editors.map((e) => e.doc),
        () => editors.every((e) => vectorOf(e.doc) === vectorOf(rapporteur.doc) && textOf(e.doc) === textOf(rapporteur.doc)),
        `${docName} to converge`,
      );
      metrics.ok('yjs:converge', performance.now() - start);
      const fragment = textOf(rapporteur.doc);
      ledger.reports.set(docName, {
        docName,
        fragment,
        fragmentName: EDITED_FRAGMENT,
        stateVector: Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(rapporteur.doc))].map(([client, clock]) => [String(client), clock])),
      });
    } catch (error) {
      metrics.fail('yjs:converge', (error as Error).message);
    }
  } finally {
    stopping = true;
    for (const editor of editors) {
      editor.provider.destroy();
      editor.doc.destroy();
    }
  }
}
