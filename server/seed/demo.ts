import argon2 from 'argon2';
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Models } from '../models/index.js';
import { ASIAN_INSTITUTIONS, DEMO_TOPICS, FRENCH_INSTITUTIONS, JAPANESE_INSTITUTIONS, seededRandom } from './demoContent.js';

export const DEMO_PASSWORD = 'demo-password';

interface DemoAccount {
  key: string;
  name: string;
  language: 'en' | 'ja';
  timeZone: string;
  isAdmin?: boolean;
  institution?: string;
}

/** The demo accounts (README lists them); every one signs in with DEMO_PASSWORD. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { key: 'admin', name: 'Aiko Admin', language: 'en', timeZone: 'Asia/Tokyo', isAdmin: true },
  { key: 'pd', name: '田中 一郎 (PD)', language: 'ja', timeZone: 'Asia/Tokyo' },
  { key: 'po', name: '佐藤 花子 (PO)', language: 'ja', timeZone: 'Asia/Tokyo' },
  { key: 'officer', name: 'Claire Martin (ANR)', language: 'en', timeZone: 'Europe/Paris' },
  { key: 'r1', name: '鈴木 健', language: 'ja', timeZone: 'Asia/Tokyo', institution: 'Tohoku University' },
  { key: 'r2', name: '高橋 美咲', language: 'ja', timeZone: 'Asia/Tokyo', institution: 'Kyoto University' },
  { key: 'r3', name: 'Kenji Watanabe', language: 'en', timeZone: 'Asia/Tokyo', institution: 'Hokkaido University' },
  { key: 'r4', name: 'Julien Bernard', language: 'en', timeZone: 'Europe/Paris', institution: 'Université de Lille' },
  { key: 'r5', name: 'Sophie Laurent', language: 'en', timeZone: 'Europe/Paris', institution: 'Université de Bordeaux' },
  { key: 'r6', name: 'Nattapong Srisuk', language: 'en', timeZone: 'Asia/Bangkok', institution: 'Chiang Mai University' },
  { key: 'observer', name: 'Olivia Observer', language: 'en', timeZone: 'UTC' },
];

export const demoEmail = (key: string) => `${key}@demo.example`;

const DAY = 24 * 3600 * 1000;
const roundHalf = (x: number) => Math.min(5, Math.max(0, Math.round(x * 2) / 2));

/**
 * Seeds the demo: a bilateral JST–ANR call (0–5 with half marks, 12 proposals, reviews
 * submitted, panel open) and a three-agency e-ASIA call (1–9, lower is better), so a panel
 * can start at once. Runs only on an empty database; never call it in production.
 */
export async function seedDemo(models: Models, logger: Logger, now: Date): Promise<{ seeded: boolean }> {
  if ((await models.User.estimatedDocumentCount()) > 0) return { seeded: false };
  const passwordHash = await argon2.hash(DEMO_PASSWORD);
  const users = new Map<string, Types.ObjectId>();
  for (const account of DEMO_ACCOUNTS) {
    const user = await models.User.create({
      email: demoEmail(account.key),
      name: account.name,
      isAdmin: account.isAdmin ?? false,
      language: account.language,
      timeZone: account.timeZone,
      institution: account.institution,
      passwordHash,
    });
    users.set(account.key, user._id);
  }
  const id = (key: string) => users.get(key)!;
  await seedBilateral(models, id, now);
  await seedMultilateral(models, id, now);
  logger.info({ accounts: DEMO_ACCOUNTS.map((a) => demoEmail(a.key)), password: DEMO_PASSWORD }, 'demo data seeded');
  return { seeded: true };
}

type IdOf = (key: string) => Types.ObjectId;

function deadlines(now: Date) {
  return [
    { phase: 'review', deadline: new Date(now.getTime() - 7 * DAY) },
    { phase: 'panel', deadline: new Date(now.getTime() + 14 * DAY) },
    { phase: 'finalization', deadline: new Date(now.getTime() + 28 * DAY) },
  ];
}

async function addMembers(models: Models, callId: Types.ObjectId, id: IdOf, members: [string, string, string?][]) {
  await models.Membership.insertMany(members.map(([key, role, agency]) => ({ callId, userId: id(key), role, agency })));
}

async function seedBilateral(models: Models, id: IdOf, now: Date) {
  const call = await models.Call.create({
    title: { en: 'SICORP Japan–France joint call: AI for materials and resilience', ja: 'SICORP 日仏共同研究公募：AIによる材料とレジリエンス' },
    programme: 'bilateral',
    agencies: [
      { code: 'JST', name: { en: 'Japan Science and Technology Agency', ja: '科学技術振興機構' }, timeZone: 'Asia/Tokyo', currency: 'JPY', budgetEnvelope: 240_000_000 },
      { code: 'ANR', name: { en: 'French National Research Agency', ja: 'フランス国立研究機構' }, timeZone: 'Europe/Paris', currency: 'EUR', budgetEnvelope: 1_800_000 },
    ],
    criteria: [
      { key: 'excellence', name: { en: 'Excellence', ja: '卓越性' }, scale: 'zero_to_five', halfMarks: true, weight: 1, threshold: 3 },
      { key: 'impact', name: { en: 'Impact', ja: 'インパクト' }, scale: 'zero_to_five', halfMarks: true, weight: 1, threshold: 3 },
      { key: 'implementation', name: { en: 'Quality of implementation', ja: '実施体制の質' }, scale: 'zero_to_five', halfMarks: true, weight: 1, threshold: 3 },
    ],
    overallThreshold: 10,
    flagThresholds: { spread: 2, agencyGap: 1.5 },
    timeZone: 'Asia/Tokyo',
    phase: 'panel',
    phases: deadlines(now),
    createdBy: id('admin'),
  });
  await addMembers(models, call._id, id, [
    ['admin', 'admin'], ['pd', 'pd', 'JST'], ['po', 'po', 'JST'], ['officer', 'officer', 'ANR'],
    ['r1', 'reviewer', 'JST'], ['r2', 'reviewer', 'JST'], ['r3', 'reviewer', 'JST'],
    ['r4', 'reviewer', 'ANR'], ['r5', 'reviewer', 'ANR'], ['r6', 'reviewer', 'ANR'], ['observer', 'observer'],
  ]);
  const random = seededRandom(20261125);
  const jstReviewers = ['r1', 'r2', 'r3'];
  const anrReviewers = ['r4', 'r5', 'r6'];
  for (let i = 0; i < 12; i++) {
    const topic = DEMO_TOPICS[i];
    const jstPi = JAPANESE_INSTITUTIONS[i % JAPANESE_INSTITUTIONS.length];
    const proposal = await models.Proposal.create({
      callId: call._id,
      ref: `SICORP-FR-2026-${String(i + 1).padStart(3, '0')}`,
      title: { en: topic.en, ja: topic.ja },
      abstract: {
        en: `A joint Japan–France project on ${topic.en.toLowerCase()}, combining complementary expertise of both teams.`,
        ja: `${topic.ja}に関する日仏共同研究。両チームの相補的な専門性を組み合わせる。`,
      },
      pis: [
        { name: `PI ${i + 1} (Japan)`, institution: jstPi, email: `pi${i + 1}@${jstPi.split(' ')[0].toLowerCase()}.ac.jp`, agency: 'JST' },
        { name: `PI ${i + 1} (France)`, institution: FRENCH_INSTITUTIONS[i % FRENCH_INSTITUTIONS.length], email: `pi${i + 1}@univ-${i + 1}.fr`, agency: 'ANR' },
      ],
      budget: { JST: [20_000_000 + i * 1_000_000, 20_000_000 + i * 1_000_000, 18_000_000], ANR: [150_000, 150_000, 120_000] },
      periodMonths: 36,
    });
    // Proposal 3 (index 2) has a declared institutional conflict with r2: r2 is never assigned to it.
    const jst = i === 2 ? ['r1', 'r3'] : [jstReviewers[i % 3], jstReviewers[(i + 1) % 3]];
    const anr = [anrReviewers[i % 3], anrReviewers[(i + 2) % 3]];
    if (i === 2) {
      await models.Conflict.create({ callId: call._id, proposalId: proposal._id, userId: id('r2'), type: 'institutional', status: 'confirmed', source: 'declared', note: 'Same department as the Japanese PI' });
    }
    const quality = 2 + random() * 2.6;
    // A few proposals split the sides: that is what the cross-agency gap flag is for.
    const sideBias = i % 4 === 1 ? 1.2 : i % 5 === 3 ? -1 : 0;
    for (const [index, key] of [...jst, ...anr].entries()) {
      const agency = jst.includes(key) ? 'JST' : 'ANR';
      await models.Assignment.create({ callId: call._id, proposalId: proposal._id, reviewerId: id(key), agency, rapporteur: index === 0, acceptedAt: now, noConflictCertifiedAt: now, assignedBy: id('po') });
      const bias = agency === 'JST' ? sideBias / 2 : -sideBias / 2;
      const score = () => roundHalf(quality + bias + (random() - 0.5) * 1.5);
      await models.Review.create({
        callId: call._id, proposalId: proposal._id, reviewerId: id(key), agency,
        scores: { excellence: score(), impact: score(), implementation: score() },
        comments: { excellence: 'Clear scientific question and strong teams on both sides.', impact: 'Relevant to both countries.', implementation: 'Work plan is credible.' },
        overallComment: 'See the criterion comments.', confidence: 3 + Math.floor(random() * 3), status: 'submitted', submittedAt: new Date(now.getTime() - 10 * DAY),
      });
      if (index === 0) await models.Proposal.updateOne({ _id: proposal._id }, { $set: { rapporteurId: id(key) } });
    }
  }
}

async function seedMultilateral(models: Models, id: IdOf, now: Date) {
  const call = await models.Call.create({
    title: { en: 'e-ASIA joint call: infectious disease surveillance', ja: 'e-ASIA 共同研究公募：感染症サーベイランス' },
    programme: 'multilateral_asia',
    agencies: [
      { code: 'JST', name: { en: 'Japan Science and Technology Agency', ja: '科学技術振興機構' }, timeZone: 'Asia/Tokyo', currency: 'JPY', budgetEnvelope: 60_000_000 },
      { code: 'NSTDA', name: { en: 'National Science and Technology Development Agency (Thailand)', ja: 'タイ国家科学技術開発庁' }, timeZone: 'Asia/Bangkok', currency: 'THB', budgetEnvelope: 12_000_000 },
      { code: 'VAST', name: { en: 'Vietnam Academy of Science and Technology', ja: 'ベトナム科学技術アカデミー' }, timeZone: 'Asia/Ho_Chi_Minh', currency: 'VND', budgetEnvelope: 9_000_000_000 },
    ],
    criteria: [
      { key: 'significance', name: { en: 'Significance', ja: '重要性' }, scale: 'nine_point_lower_better', halfMarks: false, weight: 2, threshold: 5 },
      { key: 'approach', name: { en: 'Approach', ja: 'アプローチ' }, scale: 'nine_point_lower_better', halfMarks: false, weight: 1, threshold: 5 },
    ],
    overallThreshold: null,
    flagThresholds: { spread: 3, agencyGap: 2 },
    timeZone: 'Asia/Tokyo',
    phase: 'panel',
    phases: deadlines(now),
    createdBy: id('admin'),
  });
  await addMembers(models, call._id, id, [
    ['admin', 'admin'], ['pd', 'pd', 'JST'], ['po', 'po', 'JST'], ['officer', 'officer', 'NSTDA'],
    ['r1', 'reviewer', 'JST'], ['r2', 'reviewer', 'JST'], ['r3', 'reviewer', 'JST'],
    ['r4', 'reviewer', 'NSTDA'], ['r5', 'reviewer', 'NSTDA'], ['r6', 'reviewer', 'VAST'], ['observer', 'observer'],
  ]);
  const random = seededRandom(42);
  const sides: Record<string, string> = { r1: 'JST', r2: 'JST', r3: 'JST', r4: 'NSTDA', r5: 'NSTDA', r6: 'VAST' };
  const titles = ['Genomic surveillance of dengue across the Mekong', 'Wastewater monitoring networks for emerging pathogens', 'Rapid point-of-care diagnostics for zoonoses', 'Mobility data and outbreak forecasting', 'One Health surveillance in poultry markets', 'Antimicrobial resistance mapping in river systems'];
  const titlesJa = ['メコン流域におけるデング熱のゲノムサーベイランス', '新興病原体のための下水モニタリングネットワーク', '人獣共通感染症の迅速POC診断', '人流データとアウトブレイク予測', '家禽市場におけるワンヘルス・サーベイランス', '河川系における薬剤耐性マッピング'];
  for (let i = 0; i < titles.length; i++) {
    const proposal = await models.Proposal.create({
      callId: call._id,
      ref: `EASIA-2026-${String(i + 1).padStart(3, '0')}`,
      title: { en: titles[i], ja: titlesJa[i] },
      abstract: { en: `A three-country project: ${titles[i].toLowerCase()}.`, ja: `日タイ越の三か国共同研究：${titlesJa[i]}。` },
      pis: [
        { name: `PI ${i + 1} (Japan)`, institution: JAPANESE_INSTITUTIONS[(i + 2) % 6], email: `easia${i + 1}@example.ac.jp`, agency: 'JST' },
        { name: `PI ${i + 1} (Thailand)`, institution: ASIAN_INSTITUTIONS.NSTDA[i % 3], email: `easia${i + 1}@example.ac.th`, agency: 'NSTDA' },
        { name: `PI ${i + 1} (Viet Nam)`, institution: ASIAN_INSTITUTIONS.VAST[i % 3], email: `easia${i + 1}@example.edu.vn`, agency: 'VAST' },
      ],
      budget: { JST: [10_000_000, 10_000_000, 10_000_000], NSTDA: [1_500_000, 1_500_000, 1_500_000], VAST: [900_000_000, 900_000_000, 900_000_000] },
      periodMonths: 36,
    });
    const quality = 2 + random() * 5;
    for (const [index, key] of ['r1', 'r2', 'r4', 'r6'].entries()) {
      const agency = sides[key];
      await models.Assignment.create({ callId: call._id, proposalId: proposal._id, reviewerId: id(key), agency, rapporteur: index === 0, acceptedAt: now, noConflictCertifiedAt: now, assignedBy: id('po') });
      const score = () => Math.min(9, Math.max(1, Math.round(quality + (random() - 0.5) * 3)));
      await models.Review.create({
        callId: call._id, proposalId: proposal._id, reviewerId: id(key), agency,
        scores: { significance: score(), approach: score() }, comments: { significance: 'Important for the region.', approach: 'Feasible with the proposed partners.' },
        overallComment: '', confidence: 4, status: 'submitted', submittedAt: new Date(now.getTime() - 9 * DAY),
      });
      if (index === 0) await models.Proposal.updateOne({ _id: proposal._id }, { $set: { rapporteurId: id(key) } });
    }
  }
}
