import argon2 from 'argon2';
import type { RunningGodo } from '../../server/index.js';
import type { CallCreateInput } from '../../shared/schemas/call.js';
import { HttpClient } from './httpClient.js';

export const TEST_PASSWORD = 'correct horse battery';

// argon2 is deliberately slow; one hash serves every test user.
let passwordHash: Promise<string> | undefined;

/** Creates a person directly in the database (as an admin or an accepted invitation would). */
export async function createUser(
  godo: RunningGodo,
  user: { email: string; name?: string; isAdmin?: boolean; language?: 'en' | 'ja'; timeZone?: string },
) {
  passwordHash ??= argon2.hash(TEST_PASSWORD);
  const doc = await godo.models.User.create({
    email: user.email,
    name: user.name ?? user.email.split('@')[0],
    isAdmin: user.isAdmin ?? false,
    language: user.language ?? 'en',
    timeZone: user.timeZone ?? 'UTC',
    passwordHash: await passwordHash,
  });
  return { id: String(doc._id), email: user.email };
}

/** A client signed in as `email` (with its own cookie jar). */
export async function signIn(godo: RunningGodo, email: string, password = TEST_PASSWORD): Promise<HttpClient> {
  const client = new HttpClient(godo.url);
  const res = await client.post('/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${res.text}`);
  return client;
}

/** A valid bilateral call body (JST + ANR, 0–5 with half marks, EU-style thresholds). */
export function bilateralCallInput(overrides: Partial<CallCreateInput> = {}): CallCreateInput {
  return {
    title: { en: 'Joint call on AI for materials', ja: 'AIによる材料研究の共同公募' },
    programme: 'bilateral',
    agencies: [
      { code: 'JST', name: { en: 'Japan Science and Technology Agency', ja: '科学技術振興機構' }, timeZone: 'Asia/Tokyo', currency: 'JPY', budgetEnvelope: 300_000_000 },
      { code: 'ANR', name: { en: 'French National Research Agency', ja: 'フランス国立研究機構' }, timeZone: 'Europe/Paris', currency: 'EUR', budgetEnvelope: 2_000_000 },
    ],
    criteria: [
      { key: 'excellence', name: { en: 'Excellence', ja: '卓越性' }, scale: 'zero_to_five', halfMarks: true, weight: 1, threshold: 3 },
      { key: 'impact', name: { en: 'Impact', ja: 'インパクト' }, scale: 'zero_to_five', halfMarks: true, weight: 1, threshold: 3 },
      { key: 'implementation', name: { en: 'Implementation', ja: '実施体制' }, scale: 'zero_to_five', halfMarks: true, weight: 1, threshold: 3 },
    ],
    overallThreshold: 10,
    flagThresholds: { spread: 2, agencyGap: 1.5 },
    timeZone: 'Asia/Tokyo',
    phases: [
      { phase: 'review', deadline: '2027-01-31T08:00:00Z' },
      { phase: 'panel', deadline: '2027-02-28T08:00:00Z' },
    ],
    ...overrides,
  };
}
