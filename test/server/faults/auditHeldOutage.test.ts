import { describe, expect, it } from 'vitest';
import { AUDIT_LOST, recordAudit } from '../../../server/commands/audit/recordAudit.js';
import { loadConfig } from '../../../server/config.js';
import { startGodo, type RunningGodo } from '../../../server/index.js';
import { meetingRoom } from '../../../server/realtime/meetingRooms.js';
import { within } from '../collab/support/clients.js';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import { capturedLogs, ERROR, type CapturedLogs } from './support/capturedLogs.js';
import { AUDIT_HELD, AUDIT_WRITTEN, databaseCutOnAnnouncement } from './support/databaseCut.js';
import { faultEnv, joinPatiently as joinMeeting } from './support/godoProcess.js';

// Any command's audit entry (recordAudit.ts), not only a conflict's (conflictDeclareOutage.test.ts),
// when the database (the standalone embedded server in its own process) is SIGKILLed right after
// the command's write: inside its access-change announcement, which every command makes at once
// after the write and before the audit entry. Live connections are re-checked once the database is
// back; the audit entry the database could not take is logged in full and written once, then.

const DB_NAME = 'godo_faults_audit_held';

const h = databaseCutOnAnnouncement(DB_NAME, 'info');

describe('a member removed as the database goes away right after the removal', () => {
  it('answers 204; once the database is back the member is taken out of the meeting and the audit entry is there once', { timeout: 120_000 }, async () => {
    const s = await setUpMeeting(h.godo, 'aho1');
    const removed = s.reviewerJst;
    const jst = await joinMeeting(h.godo, removed, s.callId);
    h.peers.push(jst.peer);
    h.cutOn((change) => change.callId === s.callId && change.userId === removed.id);
    const res = await s.pd.api.delete(`/api/calls/${s.callId}/members/${removed.id}`);
    expect(h.armed, 'the removal was announced and cut the database').toBe(false);
    // The command has nothing to read after its audit entry, so it is answered as done.
    expect(res.status, res.text).toBe(204);
    // The announcement came before the audit entry, which the database could not take: logged in full and held.
    const held = await h.logs.waitFor((r) => r.msg === AUDIT_HELD && r.audit?.before?.userId === removed.id, 'the held audit entry logged');
    expect(held).toMatchObject({ level: ERROR, audit: { action: 'membership.removed', callId: s.callId, actorId: s.pd.id, before: { role: 'reviewer' } } });

    const accessEnded = jst.peer.waitFor('meeting:accessEnded');
    const restoredAt = performance.now();
    await h.restoreDatabase();
    // The re-check that failed with the database is retried: the member removed is taken out and told.
    expect(await within(accessEnded, 'meeting:accessEnded for the member removed as the database went', 20_000)).toEqual({ callId: s.callId });
    expect(h.godo.realtime.io.sockets.sockets.get(jst.peer.socket.id!)?.rooms.has(meetingRoom(s.callId)) ?? false).toBe(false);
    const recheckedMs = Math.round(performance.now() - restoredAt);
    await h.logs.waitFor((r) => r.msg === AUDIT_WRITTEN && r.audit?.before?.userId === removed.id, 'the held audit entry written after the database returned', 20_000);
    const auditAfterMs = Math.round(performance.now() - restoredAt);

    // Exactly once: the removal, and one audit entry for it, under the id the error line gave.
    expect(await h.godo.models.Membership.exists({ callId: s.callId, userId: removed.id })).toBeNull();
    const entries = await h.godo.models.Audit.find({ callId: s.callId, action: 'membership.removed' }).lean();
    expect(entries.map((e) => ({ id: String(e._id), actorId: String(e.actorId), before: e.before }))).toEqual([
      { id: held.audit.id, actorId: s.pd.id, before: { userId: removed.id, role: 'reviewer', agency: 'JST', timeZone: null, language: null } },
    ]);
    // Why failing the request would have been wrong: sending it again is refused (no such member now).
    const again = await s.pd.api.delete(`/api/calls/${s.callId}/members/${removed.id}`);
    expect(again.status, again.text).toBe(404);
    console.info(`[faults] member removed as the database was cut after the removal: re-checked ${recheckedMs} ms and held audit entry written ${auditAfterMs} ms after the restart began`);
  });
});

describe('a phase change whose answer cannot be read as the database goes away right after the change', () => {
  it('answers 503 saying the change may be stored; it is, with its audit entry once, and a blind retry is refused', { timeout: 120_000 }, async () => {
    const s = await setUpMeeting(h.godo, 'aho2');
    h.cutOn((change) => change.callId === s.callId && !change.userId && !change.proposalId);
    const res = await s.pd.api.post(`/api/calls/${s.callId}/phase`, { to: 'finalization', version: 0 });
    expect(h.armed, 'the phase change was announced and cut the database').toBe(false);
    // The answer is read after the write, so the request fails; its message must not claim nothing changed.
    expect(res.status, res.text).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.body.error.message).toMatch(/reload first to see whether it was stored/);
    expect(res.body.error.message).not.toMatch(/nothing was changed/);
    const held = await h.logs.waitFor((r) => r.msg === AUDIT_HELD && r.audit?.callId === s.callId, 'the held audit entry logged');
    expect(held).toMatchObject({ level: ERROR, audit: { action: 'phase.changed', actorId: s.pd.id, before: { phase: 'panel' }, after: { phase: 'finalization' } } });

    await h.restoreDatabase();
    await h.logs.waitFor((r) => r.msg === AUDIT_WRITTEN && r.audit?.callId === s.callId, 'the held audit entry written after the database returned', 20_000);
    // Reloading shows the change stored; the audit log has it once.
    const reloaded = await s.pd.api.get(`/api/calls/${s.callId}`);
    expect(reloaded.status, reloaded.text).toBe(200);
    expect(reloaded.body.call).toMatchObject({ phase: 'finalization', version: 1 });
    const entries = await h.godo.models.Audit.find({ callId: s.callId, action: 'phase.changed' }).lean();
    expect(entries.map((e) => ({ id: String(e._id), before: e.before, after: e.after }))).toEqual([
      { id: held.audit.id, before: { phase: 'panel' }, after: { phase: 'finalization', reason: null } },
    ]);
    // Sending it again unreloaded is refused: the call is in finalization already.
    const again = await s.pd.api.post(`/api/calls/${s.callId}/phase`, { to: 'finalization', version: 0 });
    expect(again.status, again.text).toBe(409);
    expect(again.body.error.code).toBe('phase_transition_invalid');
  });
});

describe('an audit entry the database refuses (it is reachable)', () => {
  it('fails the command: only an unreachable database makes an entry wait', async () => {
    const s = await setUpMeeting(h.godo, 'aho3');
    // `action` is required: the insert is refused with a validation error, a programming error.
    await expect(recordAudit(h.godo.models, { callId: s.callId, actorId: s.pd.id, action: '', at: new Date() })).rejects.toMatchObject({ name: 'ValidationError' });
    expect(h.logs.records.filter((r) => r.msg === AUDIT_HELD && r.audit?.callId === s.callId)).toEqual([]);
    expect(await h.godo.models.Audit.countDocuments({ callId: s.callId })).toBe(0);
  });
});

describe('held audit entries when the server stops', () => {
  /** A second Godo over the same database, to be stopped mid-outage, with an entry held in it. */
  async function stoppingWithHeldEntry(prefix: string): Promise<{ stopping: RunningGodo; logs: CapturedLogs; id: string }> {
    const s = await setUpMeeting(h.godo, prefix);
    const logs = capturedLogs('info');
    const stopping = await startGodo(loadConfig(faultEnv(h.dbUri)), { logger: logs.logger });
    h.cutOn((change) => change.callId === s.callId && !change.userId && !change.proposalId);
    await s.pd.api.post(`/api/calls/${s.callId}/phase`, { to: 'finalization', version: 0 });
    expect(h.armed, 'the phase change cut the database').toBe(false);
    expect(await recordAudit(stopping.models, { callId: s.callId, actorId: s.pd.id, action: 'call.updated', after: { prefix }, at: new Date() })).toBe(false);
    const held = await logs.waitFor((r) => r.msg === AUDIT_HELD, 'the entry held by the server that will stop');
    return { stopping, logs, id: held.audit.id };
  }

  it('logs each entry still held at the stop as lost, in full, after one more try', { timeout: 120_000 }, async () => {
    const { stopping, logs, id } = await stoppingWithHeldEntry('aho4');
    const stopAt = performance.now();
    await stopping.close();
    console.info(`[faults] stop with an audit entry held and the database away: ${Math.round(performance.now() - stopAt)} ms`);
    expect(logs.records.filter((r) => r.msg === AUDIT_LOST)).toMatchObject([{ level: ERROR, audit: { id, action: 'call.updated', after: { prefix: 'aho4' } } }]);
    await h.restoreDatabase();
    // The process that held it is gone: the error line is the record, nothing writes it later.
    expect(await h.godo.models.Audit.findById(id).lean()).toBeNull();
  });

  it('writes an entry still held at the stop when the database is back by then', { timeout: 120_000 }, async () => {
    const { stopping, logs, id } = await stoppingWithHeldEntry('aho5');
    await h.restoreDatabase();
    await stopping.close();
    expect(logs.records.filter((r) => r.msg === AUDIT_LOST)).toEqual([]);
    expect(await h.godo.models.Audit.findById(id).lean()).toMatchObject({ action: 'call.updated', after: { prefix: 'aho5' } });
  });
});
