import { describe, expect, it } from 'vitest';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import { ERROR } from './support/capturedLogs.js';
import { AUDIT_HELD, AUDIT_WRITTEN, databaseCutOnAnnouncement } from './support/databaseCut.js';

// POST /api/conflicts and PATCH /api/conflicts/:conflictId when the database (the standalone embedded
// server in its own process) is SIGKILLed right after the declaration's or ruling's write: inside its
// access-change announcement, which declareConflict and resolveConflict make at once after the write
// and before the audit entry. The change is stored, so the client is told so (201 or 200 with the
// conflict, presented from the write, no read after it); the audit entry the database could not take
// is logged and written once it is back.

const DB_NAME = 'godo_faults_conflict_declare';

const h = databaseCutOnAnnouncement(DB_NAME, 'info');

describe('a conflict declared as the database goes away right after its write', () => {
  it('answers 201 with the stored conflict; once the database is back it is there once, with its audit entry', { timeout: 120_000 }, async () => {
    const s = await setUpMeeting(h.godo, 'cdo1');
    const declarer = s.reviewerJst;
    h.cutOn((change) => change.proposalId === s.b && change.userId === declarer.id);
    const started = performance.now();
    const res = await declarer.api.post('/api/conflicts', { proposalId: s.b, type: 'personal', note: 'Co-author of the JST PI' });
    const answeredMs = Math.round(performance.now() - started);
    const answeredAfterCutMs = Math.round(performance.now() - h.cutAt);
    expect(h.armed, 'the declaration was announced and cut the database').toBe(false);

    // Stored before the cut, so answered as done, presented from the write (proposal and person read before it).
    expect(res.status, res.text).toBe(201);
    expect(res.body.conflict).toMatchObject({
      callId: s.callId,
      proposalId: s.b,
      proposal: { ref: s.refs[s.b], title: { en: s.titles[s.b] } },
      userId: declarer.id,
      person: { name: declarer.name, email: `${declarer.name}@example.org` },
      type: 'personal',
      status: 'confirmed',
      source: 'declared',
      note: 'Co-author of the JST PI',
      decidedBy: null,
      version: 0,
    });
    expect(res.body.conflict.id).toMatch(/^[0-9a-f]{24}$/);
    // The audit entry could not be written then: not dropped, but logged in full and held.
    const held = await h.logs.waitFor((r) => r.msg === AUDIT_HELD && r.audit?.proposalId === s.b, 'the held audit entry logged');
    expect(held).toMatchObject({ level: ERROR, audit: { action: 'conflict.declared', actorId: declarer.id, before: null, after: { status: 'confirmed', type: 'personal' } } });

    const restoredAt = performance.now();
    await h.restoreDatabase();
    await h.logs.waitFor((r) => r.msg === AUDIT_WRITTEN && r.audit?.proposalId === s.b, 'the held audit entry written after the database returned', 20_000);
    const auditAfterMs = Math.round(performance.now() - restoredAt);

    // Exactly once: the conflict the client was told about, and one audit entry for it.
    const stored = await h.godo.models.Conflict.find({ proposalId: s.b, userId: declarer.id }).lean();
    expect(stored.map((c) => ({ id: String(c._id), status: c.status, source: c.source, version: c.version }))).toEqual([
      { id: res.body.conflict.id, status: 'confirmed', source: 'declared', version: 0 },
    ]);
    const entries = await h.godo.models.Audit.find({ proposalId: s.b, action: 'conflict.declared' }).lean();
    expect(entries.map((e) => ({ actorId: String(e.actorId), after: e.after }))).toEqual([
      { actorId: declarer.id, after: { type: 'personal', status: 'confirmed', source: 'declared', note: 'Co-author of the JST PI' } },
    ]);
    const listed = await declarer.api.get(`/api/calls/${s.callId}/conflicts`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.conflicts.filter((c: { proposalId: string }) => c.proposalId === s.b).map((c: { id: string }) => c.id)).toEqual([res.body.conflict.id]);
    // Why a 503 would have been wrong: sending it again is refused (the declarer is conflicted
    // with the proposal now), so the client could never learn its declaration was stored.
    const again = await declarer.api.post('/api/conflicts', { proposalId: s.b, type: 'personal' });
    expect(again.status, again.text).toBe(404);
    expect(await h.godo.models.Conflict.countDocuments({ proposalId: s.b, userId: declarer.id })).toBe(1);
    console.info(
      `[faults] conflict declared as the database was cut after its write: answered 201 in ${answeredMs} ms, ${answeredAfterCutMs} ms after the cut; held audit entry written ${auditAfterMs} ms after the restart began`,
    );
  });
});

describe('a conflict ruled on as the database goes away right after its write', () => {
  it('answers 200 with the ruled conflict; once the database is back the ruling is there once, with its audit entry', { timeout: 120_000 }, async () => {
    const s = await setUpMeeting(h.godo, 'cro1');
    const concerned = s.reviewerJst;
    const proposed = await h.godo.models.Conflict.create({
      callId: s.callId,
      proposalId: s.c,
      userId: concerned.id,
      type: 'institutional',
      status: 'proposed',
      source: 'automatic',
      note: 'Same institution as the JST PI',
    });
    const conflictId = String(proposed._id);
    h.cutOn((change) => change.proposalId === s.c && change.userId === concerned.id);
    const started = performance.now();
    const res = await s.pd.api.patch(`/api/conflicts/${conflictId}`, { status: 'dismissed', note: 'Different department, no joint work', version: 0 });
    const answeredMs = Math.round(performance.now() - started);
    const answeredAfterCutMs = Math.round(performance.now() - h.cutAt);
    expect(h.armed, 'the ruling was announced and cut the database').toBe(false);

    // Stored before the cut, so answered as done, presented from the write (proposal and person read before it).
    expect(res.status, res.text).toBe(200);
    expect(res.body.conflict).toMatchObject({
      id: conflictId,
      callId: s.callId,
      proposalId: s.c,
      proposal: { ref: s.refs[s.c], title: { en: s.titles[s.c] } },
      userId: concerned.id,
      person: { name: concerned.name, email: `${concerned.name}@example.org` },
      type: 'institutional',
      status: 'dismissed',
      source: 'automatic',
      note: 'Different department, no joint work',
      decidedBy: s.pd.id,
      version: 1,
    });
    const held = await h.logs.waitFor((r) => r.msg === AUDIT_HELD && r.audit?.proposalId === s.c, 'the held audit entry logged');
    expect(held).toMatchObject({
      level: ERROR,
      audit: { action: 'conflict.dismissed', actorId: s.pd.id, before: { status: 'proposed' }, after: { status: 'dismissed' } },
    });

    const restoredAt = performance.now();
    await h.restoreDatabase();
    await h.logs.waitFor((r) => r.msg === AUDIT_WRITTEN && r.audit?.proposalId === s.c, 'the held audit entry written after the database returned', 20_000);
    const auditAfterMs = Math.round(performance.now() - restoredAt);

    // Exactly once: the ruling the client was told about, and one audit entry for it.
    const stored = await h.godo.models.Conflict.find({ proposalId: s.c, userId: concerned.id }).lean();
    expect(stored.map((c) => ({ id: String(c._id), status: c.status, decidedBy: String(c.decidedBy), version: c.version }))).toEqual([
      { id: conflictId, status: 'dismissed', decidedBy: s.pd.id, version: 1 },
    ]);
    const entries = await h.godo.models.Audit.find({ proposalId: s.c, action: { $in: ['conflict.confirmed', 'conflict.dismissed'] } }).lean();
    expect(entries.map((e) => ({ action: e.action, actorId: String(e.actorId), before: e.before, after: e.after }))).toEqual([
      {
        action: 'conflict.dismissed',
        actorId: s.pd.id,
        before: { type: 'institutional', status: 'proposed', source: 'automatic', note: 'Same institution as the JST PI' },
        after: { type: 'institutional', status: 'dismissed', source: 'automatic', note: 'Different department, no joint work' },
      },
    ]);
    // In force: the person concerned has the proposal back.
    expect((await concerned.api.get(`/api/proposals/${s.c}`)).status).toBe(200);
    // Why a 503 would have been wrong: sending it again is refused as stale, so the client could
    // never learn its ruling was stored.
    const again = await s.pd.api.patch(`/api/conflicts/${conflictId}`, { status: 'dismissed', version: 0 });
    expect(again.status, again.text).toBe(409);
    console.info(
      `[faults] conflict ruled on as the database was cut after its write: answered 200 in ${answeredMs} ms, ${answeredAfterCutMs} ms after the cut; held audit entry written ${auditAfterMs} ms after the restart began`,
    );
  });
});
