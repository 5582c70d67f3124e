import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { advanceTo, assign, createCall, createMember, createProposal, declareConflict, eu, storeReview, type Member } from './panelSetup.js';

let godo: RunningGodo;
let callId: string;
let po: Member;
let officer: Member;
let conflictedPd: Member;
let reviewer: Member;
let tricky: string;
let hidden: string;
let hiddenRef: string;

/** Parses CSV as RFC 4180 says (quoted cells, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

/** Downloads a file as the browser saves it: raw bytes, decoded keeping the byte order mark. */
async function download(who: Member, path: string) {
  const res = await fetch(godo.url + path, { headers: { cookie: who.client.cookieHeader() } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

beforeAll(async () => {
  godo = await startTestGodo();
  ({ callId } = await createCall(godo, 'ex'));
  let anr: Member;
  [po, officer, conflictedPd, reviewer, anr] = await Promise.all([
    createMember(godo, callId, 'ex-po', 'po', 'JST'),
    createMember(godo, callId, 'ex-officer', 'officer', 'ANR'),
    createMember(godo, callId, 'ex-pd', 'pd', 'JST'),
    createMember(godo, callId, 'ex-reviewer', 'reviewer', 'JST'),
    createMember(godo, callId, 'ex-anr', 'reviewer', 'ANR'),
  ]);
  tricky = await createProposal(godo, callId, { title: '=HYPERLINK("http://evil.example","Click"), "quoted", 電池\nnext line' });
  hidden = await createProposal(godo, callId, { title: 'Secret collaboration' });
  hiddenRef = (await godo.models.Proposal.findById(hidden).lean())!.ref;
  for (const id of [tricky, hidden]) {
    await assign(godo, callId, id, reviewer);
    await assign(godo, callId, id, anr);
  }
  await declareConflict(godo, callId, hidden, conflictedPd);
  await advanceTo(godo, po, callId, 'review');
  await storeReview(godo, callId, tricky, reviewer, eu(4, 4.5, 3));
  await storeReview(godo, callId, tricky, anr, eu(3, 3, 3));
  await storeReview(godo, callId, hidden, reviewer, eu(5, 5, 5));
  await godo.models.Review.create({ callId, proposalId: hidden, reviewerId: anr.id, agency: 'ANR', scores: eu(1, 1, 1), status: 'draft', version: 1 });
  await advanceTo(godo, po, callId, 'panel');
  expect((await po.client.put(`/api/proposals/${tricky}/decision`, { kind: 'fund', version: 0 })).status).toBe(200);
});
afterAll(async () => {
  await godo?.close();
});

describe('GET /api/calls/:callId/export/scores.csv', () => {
  it('is UTF-8 CSV with a BOM, a safe attachment name, one row per proposal × submitted review', async () => {
    const res = await download(po, `/api/calls/${callId}/export/scores.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="godo-${callId}-scores.csv"; filename*=UTF-8''godo-${callId}-scores.csv`,
    );
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0]).toEqual(['proposal_ref', 'proposal_title', 'reviewer', 'agency', 'excellence', 'impact', 'implementation', 'weighted_total', 'confidence', 'submitted_at']);
    // The draft is never exported.
    expect(rows).toHaveLength(4);
    const trickyRows = rows.filter((row) => row[1].includes('HYPERLINK'));
    expect(trickyRows.map((row) => row.slice(2, 8))).toEqual([
      ['ex-reviewer', 'JST', '4', '4.5', '3', '11.5'],
      ['ex-anr', 'ANR', '3', '3', '3', '9'],
    ]);
  });

  it('escapes quotes, commas and line breaks and defuses formulas', async () => {
    const res = await download(po, `/api/calls/${callId}/export/scores.csv`);
    expect(res.text).toContain('"\'=HYPERLINK(""http://evil.example"",""Click""), ""quoted"", 電池\nnext line"');
    const [, first] = parseCsv(res.text.slice(1));
    expect(first[1]).toBe('\'=HYPERLINK("http://evil.example","Click"), "quoted", 電池\nnext line');
  });

  it('leaves out proposals the requester is conflicted with', async () => {
    const res = await download(conflictedPd, `/api/calls/${callId}/export/scores.csv`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Secret');
    expect(res.text).not.toContain(hiddenRef);
    expect(parseCsv(res.text.slice(1))).toHaveLength(3);
  });

  it('is for staff only', async () => {
    expect((await reviewer.client.get(`/api/calls/${callId}/export/scores.csv`)).status).toBe(403);
    const outsider = await createMember(godo, null, 'ex-outsider', null);
    expect((await outsider.client.get(`/api/calls/${callId}/export/scores.csv`)).status).toBe(404);
  });
});

describe('GET /api/calls/:callId/export/ranking.csv', () => {
  it('lists the joint ranking with tiers, scores, agency ranks and funding lines', async () => {
    const res = await download(officer, `/api/calls/${callId}/export/ranking.csv`);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    expect(res.headers.get('content-disposition')).toContain(`filename="godo-${callId}-ranking.csv"`);
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0]).toEqual([
      'position', 'proposal_ref', 'proposal_title', 'tier', 'score', 'reviews',
      'JST_rank', 'JST_requested', 'JST_within_line', 'ANR_rank', 'ANR_requested', 'ANR_within_line', 'above_all_lines',
    ]);
    expect(rows[1]).toEqual(['1', hiddenRef, 'Secret collaboration', '', '15', '1', '1', '3000', 'yes', '', '3000', 'yes', 'yes']);
    expect(rows[2].slice(4, 7)).toEqual(['10.25', '2', '2']);
  });

  it('leaves out proposals the requester is conflicted with, renumbering positions', async () => {
    const rows = parseCsv((await download(conflictedPd, `/api/calls/${callId}/export/ranking.csv`)).text.slice(1));
    expect(rows).toHaveLength(2);
    expect(rows[1].slice(0, 1)).toEqual(['1']);
    expect(rows.flat().join()).not.toContain(hiddenRef);
  });
});

describe('GET /api/calls/:callId/export/call.json', () => {
  it('holds the call, proposals, submitted reviews, consensus, ranking and decisions', async () => {
    const res = await po.client.get(`/api/calls/${callId}/export/call.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename="godo-${callId}-call.json"`);
    const body = res.body;
    expect(body.call).toMatchObject({ id: callId, phase: 'panel' });
    expect(body.proposals.map((p: { id: string }) => p.id).sort()).toEqual([tricky, hidden].sort());
    expect(body.reviews).toHaveLength(3);
    expect(body.reviews.every((r: { status: string }) => r.status === 'submitted')).toBe(true);
    expect(body.ranking.joint).toHaveLength(2);
    expect(body.decisions.find((d: { proposalId: string }) => d.proposalId === tricky)).toMatchObject({ decision: { kind: 'fund' } });
  });

  it('has nothing about proposals the requester is conflicted with', async () => {
    const res = await conflictedPd.client.get(`/api/calls/${callId}/export/call.json`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(hidden);
    expect(res.text).not.toContain('Secret');
    expect(res.body.proposals).toHaveLength(1);
    expect(res.body.reviews).toHaveLength(2);
  });
});
