import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import type { Phase } from '../../../shared/enums.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import type { ActorKey } from '../http/authorizationMatrix/expectations.js';
import { REQUESTS } from '../http/authorizationMatrix/requests.js';
import { buildWorld, enterPhase, type World } from '../http/authorizationMatrix/world.js';
import { probe } from '../http/dbState.js';

/*
 * Response-content leak scan: every GET route of the served OpenAPI document, in every phase from
 * review on, as a reviewer conflicted with P (RC), an observer conflicted with P (OBS!), an
 * observer (OBS) and the PO of another call (OUT). Each response, whatever its status, is searched
 * for the strings of what that person may not see: P's (and for OUT also Q's) id, reference,
 * titles, PI names and e-mails, and marker texts planted in the reviews' comments and the
 * consensus (the scores' words: every score a reviewer gives travels with them). The observer
 * may read the call but never another person's unsubmitted draft.
 */

const PHASES: Phase[] = ['review', 'panel', 'finalization', 'decided'];
const SCANNED: ActorKey[] = ['RC', 'OBS!', 'OBS', 'OUT'];
const MARK = {
  pReview: 'LEAKMARK-P-submitted-review',
  pDraft: 'LEAKMARK-P-draft-review',
  pConsensus: 'LEAKMARK-P-consensus-summary',
  qReview: 'LEAKMARK-Q-review',
};
const P_PIS = ['Taro Yamada', 'Marie Dubois', 'taro@u-tokyo.ac.jp', 'marie.dubois@cnrs.fr'];
const Q_PIS = ['Hanako Sato', 'Louis Martin', 'hanako@osaka-u.ac.jp', 'louis.martin@sorbonne-universite.fr'];

let godo: RunningGodo;
let world: World;
let getRoutes: string[] = [];
let scanned = 0;
const found: string[] = [];

/** Plants the marker texts in the stored reviews and consensus (re-done after each phase step, which rewrites them). */
async function plantMarkers(): Promise<void> {
  const { Review, Consensus } = godo.models;
  const p = world.target.id;
  await Review.updateMany({ proposalId: p, status: 'submitted' }, { $set: { 'comments.excellence': MARK.pReview, overallComment: MARK.pReview } });
  await Review.updateMany({ proposalId: p, status: 'draft' }, { $set: { 'comments.excellence': MARK.pDraft, overallComment: MARK.pDraft } });
  await Review.updateMany({ proposalId: world.second.id }, { $set: { 'comments.excellence': MARK.qReview, overallComment: MARK.qReview } });
  await Consensus.updateMany({ proposalId: p }, { $set: { summary: { en: MARK.pConsensus, ja: MARK.pConsensus } } });
}

function forbiddenFor(key: ActorKey): string[] {
  const p = [world.target.id, world.target.ref, world.target.title.en, world.target.title.ja, MARK.pReview, MARK.pDraft, MARK.pConsensus, ...P_PIS];
  const q = [world.second.id, world.second.ref, world.second.title.en, world.second.title.ja, MARK.qReview, ...Q_PIS];
  if (key === 'OUT') return [...p.filter((word) => !P_PIS.includes(word)), ...q]; // OUT's own call has a proposal by P's PIs
  if (key === 'OBS') return [MARK.pDraft];
  return p;
}

/** A person's own conflict record is theirs to see (the conflict list shows it so they can contest it). */
function scannedText(route: string, key: ActorKey, status: number, text: string): string {
  if (route !== 'GET /calls/:callId/conflicts' || status !== 200) return text;
  const body = JSON.parse(text) as { conflicts: { userId: string }[] };
  return JSON.stringify(body.conflicts.filter((conflict) => conflict.userId !== world.actors[key].id));
}

beforeAll(async () => {
  godo = await startTestGodo();
  world = await buildWorld(godo);
  const doc = (await new HttpClient(godo.url).get('/api/openapi.json')).body as { paths: Record<string, object> };
  getRoutes = Object.entries(doc.paths)
    .filter(([, item]) => 'get' in item)
    .map(([path]) => `GET ${path.replace(/^\/api/, '').replace(/\{(\w+)\}/g, ':$1')}`);
}, 180_000);

afterAll(async () => {
  console.info(`leak scan: ${scanned} GET responses (${getRoutes.length} routes × ${SCANNED.length} people × ${PHASES.length} phases), ${found.length} leaks`);
  await godo?.close();
});

describe('GET responses never carry what the person may not see', () => {
  it('scans every GET route of the OpenAPI document', () => {
    expect(getRoutes.length).toBeGreaterThan(25);
    expect(getRoutes.filter((route) => !REQUESTS[route])).toEqual([]);
  });

  for (const phase of PHASES) {
    it(`in the ${phase} phase`, async () => {
      await enterPhase(world, phase);
      await plantMarkers();
      // The markers are really out there: someone allowed sees each one (so a clean scan means something).
      const all = await Promise.all(
        [`/api/proposals/${world.target.id}/reviews`, `/api/proposals/${world.second.id}/reviews`, `/api/proposals/${world.target.id}/reviews/mine`].map(
          (path) => probe(godo.url, 'GET', path, world.actors.RA.cookie),
        ),
      );
      const visible = all.map((answer) => answer.text).join('\n');
      expect(visible).toContain(phase === 'review' ? MARK.pDraft : MARK.pReview);
      const leaks: string[] = [];
      for (const route of getRoutes) {
        for (const key of SCANNED) {
          const actor = world.actors[key];
          const request = await REQUESTS[route](world, actor);
          const answer = await probe(godo.url, 'GET', request.path, actor.cookie);
          scanned += 1;
          const text = scannedText(route, key, answer.status, answer.text);
          for (const word of forbiddenFor(key)) if (text.includes(word)) leaks.push(`${phase} ${route} as ${key} (${answer.status}): "${word}"`);
        }
      }
      found.push(...leaks);
      expect(leaks).toEqual([]);
    }, 180_000);
  }
});
