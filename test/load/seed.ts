import { pino } from 'pino';
import { createSession } from '../../server/commands/auth/sessions.js';
import { connectDatabase } from '../../server/db/connect.js';
import { SESSION_COOKIE } from '../../server/http/middleware/session.js';
import { createModels, syncIndexes, type Models } from '../../server/models/index.js';
import type { Role } from '../../shared/enums.js';
import { bilateralCallInput } from '../helpers/fixtures.js';

/** One person of a panel, with the session cookie the load generator signs in with. */
export interface SeededPerson {
  id: string;
  name: string;
  role: Role;
  agency: string | null;
  cookie: string;
}

/** One panel: a call in the review phase with its people, proposals, assignments and conflicts. */
export interface PanelSeed {
  index: number;
  callId: string;
  criteria: string[];
  proposals: { id: string; ref: string }[];
  people: SeededPerson[];
  assignments: { proposalId: string; reviewerId: string; rapporteur: boolean }[];
  conflicts: { proposalId: string; userId: string }[];
}

/**
 * The database on disk, opened in this process (the embedded server on `dataDir`, no worker):
 * to seed before the servers start and to check every acknowledged write after they stopped.
 */
export async function openDatabase(dataDir: string): Promise<{ models: Models; close(): Promise<void> }> {
  const db = await connectDatabase(
    { MONGODB_URI: undefined, GODO_DATA_DIR: dataDir, GODO_DB_WORKER: false, GODO_DB_PORT: 0 },
    pino({ level: 'silent' }),
  );
  const models = createModels(db.connection);
  await syncIndexes(models);
  return { models, close: () => db.close() };
}

/**
 * Seeds `panels` joint calls (JST–ANR, 0–5 with half marks), each with `people` people: the Program
 * Director and Program Officer (JST), an observer, and reviewers split between the two agencies.
 * Every proposal gets four reviewers (two per side where there are enough), the first its
 * rapporteur; two reviewers per panel have a confirmed conflict with a proposal they are not
 * assigned to. Sessions are written straight into the database, as a sign-in would write them
 * (45 argon2 sign-ins would also trip the per-address login limit, which is not under test here).
 */
export async function seedPanels(models: Models, options: { panels: number; people: number; proposals: number }): Promise<PanelSeed[]> {
  if (options.people < 6) throw new Error('a panel needs at least 6 people (PD, PO, observer, 3 reviewers)');
  const now = new Date();
  const seeds: PanelSeed[] = [];
  for (let k = 0; k < options.panels; k++) {
    const input = bilateralCallInput({ title: { en: `Panel day ${k + 1}: joint call`, ja: `パネル審査日 ${k + 1}` } });
    const call = await models.Call.create({ ...input, phase: 'review', version: 0 });
    const callId = String(call._id);
    const people: SeededPerson[] = [];
    const person = async (handle: string, role: Role, agency: string | null) => {
      const user = await models.User.create({ email: `p${k + 1}-${handle}@load.example`, name: `P${k + 1} ${handle}`, passwordHash: 'unused', language: 'en', timeZone: 'Asia/Tokyo' });
      await models.Membership.create({ callId, userId: user._id, role, ...(agency ? { agency } : {}) });
      const token = await createSession(models, user._id, {}, now);
      people.push({ id: String(user._id), name: user.name, role, agency, cookie: `${SESSION_COOKIE}=${token}` });
    };
    await person('pd', 'pd', 'JST');
    await person('po', 'po', 'JST');
    await person('observer', 'observer', null);
    for (let r = 0; r < options.people - 3; r++) await person(`reviewer${r + 1}`, 'reviewer', r % 2 === 0 ? 'JST' : 'ANR');
    const proposals: PanelSeed['proposals'] = [];
    for (let n = 0; n < options.proposals; n++) {
      const ref = `SICORP-2027-P${k + 1}-${String(n + 1).padStart(2, '0')}`;
      const proposal = await models.Proposal.create({
        callId,
        ref,
        title: { en: `Proposal ${n + 1} of panel ${k + 1}`, ja: `パネル${k + 1}の提案${n + 1}` },
        pis: ['JST', 'ANR'].map((agency) => ({ name: `PI ${agency} ${n + 1}`, institution: `${agency} Institute ${n + 1}`, email: `pi${n + 1}@${agency.toLowerCase()}.example`, agency })),
        budget: { JST: [10_000_000, 10_000_000, 10_000_000], ANR: [150_000, 150_000, 150_000] },
        periodMonths: 36,
      });
      proposals.push({ id: String(proposal._id), ref });
    }
    const reviewers = people.filter((p) => p.role === 'reviewer');
    const bySide = (agency: string) => reviewers.filter((p) => p.agency === agency);
    const assignments: PanelSeed['assignments'] = [];
    for (const [n, proposal] of proposals.entries()) {
      const chosen = (['JST', 'ANR'] as const).flatMap((agency) => {
        const side = bySide(agency);
        const count = Math.min(2, side.length);
        return Array.from({ length: count }, (_, i) => side[(n * 2 + i) % side.length]);
      });
      for (const [i, reviewer] of [...new Set(chosen)].entries()) {
        await models.Assignment.create({ callId, proposalId: proposal.id, reviewerId: reviewer.id, agency: reviewer.agency!, rapporteur: i === 0, acceptedAt: now, noConflictCertifiedAt: now });
        assignments.push({ proposalId: proposal.id, reviewerId: reviewer.id, rapporteur: i === 0 });
      }
    }
    const conflicts: PanelSeed['conflicts'] = [];
    for (const reviewer of reviewers) {
      if (conflicts.length === 2) break;
      const free = proposals.find((p) => !assignments.some((a) => a.proposalId === p.id && a.reviewerId === reviewer.id) && !conflicts.some((c) => c.proposalId === p.id));
      if (!free) continue;
      await models.Conflict.create({ callId, proposalId: free.id, userId: reviewer.id, type: 'institutional', status: 'confirmed', source: 'declared' });
      conflicts.push({ proposalId: free.id, userId: reviewer.id });
    }
    seeds.push({ index: k, callId, criteria: input.criteria.map((c) => c.key), proposals, people, assignments, conflicts });
  }
  return seeds;
}
