import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { load1, progress, writeResults } from './report.js';
import { startServer } from './support/servers.js';
import { cell, collectGarbage, median, percentile } from './support/stats.js';

const PARTICIPANTS = Number(process.env.MEETING_PARTICIPANTS ?? 100);
const ACTIONS = Number(process.env.MEETING_ACTIONS ?? 100);
const TARGET_P99_MS = 50;
const VOTE_STORMS = Number(process.env.MEETING_VOTE_STORMS ?? 20);
/** Storms before the timed ones (connections, JIT and the poll path warm up). */
const VOTE_STORM_WARMUP = 2;

async function connect(url: string, cookie: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function ok(socket: Socket, event: string, payload: unknown): Promise<{ seq?: number; pollId?: string }> {
  const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as { ok: boolean; seq?: number; pollId?: string; error?: unknown };
  if (!ack.ok) throw new Error(`${event} failed: ${JSON.stringify(ack.error)}`);
  return ack;
}

/**
 * Vote storm: every participant votes on an open straw poll at the same moment (all emitted in one
 * tick), as a panel does when the moderator opens a poll. Times from that moment to each
 * acknowledgement (a vote is acknowledged once written and broadcast); the time until all are
 * acknowledged is the slowest of them. Writes per storm = distinct seqs acknowledged (one per write:
 * server/realtime/voteBatcher.ts). Each storm gets a fresh poll, closed afterwards.
 */
async function voteStorms(moderator: Socket, participants: Socket[], callId: string, proposalId: string) {
  const perVote: number[] = [];
  const allAcknowledged: number[] = [];
  const writes: number[] = [];
  for (let storm = 0; storm < VOTE_STORM_WARMUP + VOTE_STORMS; storm++) {
    const { pollId } = await ok(moderator, 'meeting:openPoll', { callId, proposalId, criterion: 'impact' });
    collectGarbage();
    const latencies: number[] = [];
    const startedAt = performance.now();
    const seqs = await Promise.all(
      participants.map(async (socket, i) => {
        const { seq } = await ok(socket, 'meeting:vote', { callId, pollId, value: ((i + storm) % 11) / 2 });
        latencies.push(performance.now() - startedAt);
        return seq;
      }),
    );
    if (storm >= VOTE_STORM_WARMUP) {
      perVote.push(...latencies);
      allAcknowledged.push(Math.max(...latencies));
      writes.push(new Set(seqs).size);
    }
    await ok(moderator, 'meeting:closePoll', { callId, pollId });
  }
  return { perVote, allAcknowledged, writes };
}

/** Writes the vote storm's table (`meeting-votes`), beside the broadcast's. */
function writeVoteStormResults(storms: Awaited<ReturnType<typeof voteStorms>>): void {
  const { perVote, allAcknowledged, writes } = storms;
  const load = load1();
  const all = [percentile(allAcknowledged, 50), percentile(allAcknowledged, 99), Math.max(...allAcknowledged)].map((v) => cell(v, 1));
  writeResults(
    'meeting-votes',
    {
      title: `Vote storm: ${PARTICIPANTS} participants vote at once on a straw poll (Godo, Socket.IO)`,
      columns: ['participants', 'storms timed', 'all acknowledged p50 ms', 'p99 ms', 'max ms', 'one vote ack p50 ms', 'p99 ms', 'writes per storm (median)', 'load avg (1 min)'],
      rows: [[PARTICIPANTS, VOTE_STORMS, ...all, cell(percentile(perVote, 50), 1), cell(percentile(perVote, 99), 1), median(writes), load]],
      notes: [
        'Each storm: the moderator opens a poll, every participant emits meeting:vote in the same tick; times from then to each acknowledgement, and to the last one.',
        'A vote is acknowledged after its write (fsynced) and the broadcast of the change to everyone; simultaneous votes share one write and broadcast (server/realtime/voteBatcher.ts).',
        'Writes per storm: distinct seqs among the acknowledgements (each write takes one).',
        'Regenerate: npm run bench -- meeting (env MEETING_PARTICIPANTS, MEETING_VOTE_STORMS).',
      ],
    },
    { participants: PARTICIPANTS, storms: VOTE_STORMS, load, perVote, allAcknowledged, writes },
    [
      {
        measure: `vote storm, ${PARTICIPANTS} participants: all acknowledged p50 / p99 / max ms`,
        target: '—',
        godo: all.join(' / '),
        peers: '—',
        ratios: '—',
        verdict: '—',
        load,
        command: 'npm run bench -- meeting',
      },
    ],
  );
}

/**
 * Meeting broadcast: PARTICIPANTS socket.io-client participants and a moderator in one meeting of
 * Godo (child process, auth on, embedded database on disk). The moderator starts and pauses an
 * item's timer ACTIONS times, one at a time; each latency is from the moderator's emit to a
 * participant's `meeting:timerChanged` (the command writes to the database
 * first, so this is the whole path a moderator's click takes). Then the same people run
 * VOTE_STORMS vote storms (`voteStorms`, written to their own table, `meeting-votes`).
 */
export async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'godo-bench-meeting-'));
  const server = await startServer('godo', { DOCS: '1', EDITORS: '1', GODO_DATA_DIR: dataDir });
  const sockets: Socket[] = [];
  try {
    const setup = await server.request<{ callId: string; proposalIds: string[]; moderator: string; cookies: string[] }>({ type: 'meetingSetup', participants: PARTICIPANTS });
    const { callId } = setup;
    const moderator = await connect(server.httpUrl, setup.moderator);
    sockets.push(moderator);
    await ok(moderator, 'meeting:join', { callId });
    progress(`meeting: ${PARTICIPANTS} participants joining`);
    const participants: Socket[] = [];
    for (const cookie of setup.cookies) {
      const socket = await connect(server.httpUrl, cookie);
      sockets.push(socket);
      participants.push(socket);
      await ok(socket, 'meeting:join', { callId });
    }
    await ok(moderator, 'meeting:setAgenda', { callId, proposalIds: setup.proposalIds });
    const latencies: number[] = [];
    const acks: number[] = [];
    let sentAt = 0;
    let arrivals = 0;
    let allArrived: () => void = () => undefined;
    for (const socket of participants) {
      // Actions go one at a time and the next waits for every arrival: each event is the current action's.
      socket.on('meeting:timerChanged', () => {
        latencies.push(performance.now() - sentAt);
        if (++arrivals === participants.length) allArrived();
      });
    }
    collectGarbage();
    for (let i = 0; i < ACTIONS; i++) {
      arrivals = 0;
      const everyone = new Promise<void>((resolve) => (allArrived = resolve));
      sentAt = performance.now();
      await ok(moderator, 'meeting:controlTimer', { callId, proposalId: setup.proposalIds[0], action: i % 2 ? 'pause' : 'start', ...(i % 2 ? {} : { durationSeconds: 600 }) });
      acks.push(performance.now() - sentAt);
      await everyone;
      if (i === 9) latencies.length = 0; // the first ten warm up
      await new Promise((r) => setTimeout(r, 20));
    }
    const p99 = percentile(latencies, 99);
    const load = load1();
    const raw = { participants: PARTICIPANTS, actions: ACTIONS, load, latencies, acks };
    writeResults(
      'meeting',
      {
        title: `Meeting broadcast: a moderator action reaching ${PARTICIPANTS} participants (Godo, Socket.IO)`,
        columns: ['participants', 'actions timed', 'p50 ms', 'p99 ms', 'max ms', 'moderator ack p50 ms', `target p99 < ${TARGET_P99_MS} ms`, 'load avg (1 min)'],
        rows: [[PARTICIPANTS, ACTIONS - 10, cell(percentile(latencies, 50), 2), cell(p99, 2), cell(Math.max(...latencies), 2), cell(percentile(acks, 50), 2), p99 < TARGET_P99_MS ? 'met' : 'MISSED', load]],
        notes: [
          'Action: meeting:controlTimer (start/pause alternately), one at a time; latency from the moderator\'s emit to each participant\'s meeting:timerChanged.',
          'The command is authorised and written to the database (acknowledged durable) before the broadcast; all clients share one load-generator process.',
          'The timer event is the same for every participant who may see it: it is broadcast to them in one Socket.IO room emit (encoded once), conflicted participants get meeting:withheld.',
          'Regenerate: npm run bench -- meeting (env MEETING_PARTICIPANTS, MEETING_ACTIONS).',
        ],
      },
      raw,
      [
        {
          measure: `meeting broadcast, ${PARTICIPANTS} participants: p50 / p99 ms`,
          target: `p99 < ${TARGET_P99_MS} ms`,
          godo: `${cell(percentile(latencies, 50), 2)} / ${cell(p99, 2)}`,
          peers: '—',
          ratios: '—',
          verdict: p99 < TARGET_P99_MS ? 'met' : 'MISSED',
          load,
          command: 'npm run bench -- meeting',
        },
      ],
    );
    progress(`meeting: ${VOTE_STORMS} vote storms of ${PARTICIPANTS} participants`);
    writeVoteStormResults(await voteStorms(moderator, participants, callId, setup.proposalIds[0]));
  } finally {
    for (const socket of sockets) socket.disconnect();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
