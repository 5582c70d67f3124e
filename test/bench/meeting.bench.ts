import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { load1, progress, writeResults } from './report.js';
import { startServer } from './support/servers.js';
import { cell, collectGarbage, percentile } from './support/stats.js';

const PARTICIPANTS = Number(process.env.MEETING_PARTICIPANTS ?? 100);
const ACTIONS = Number(process.env.MEETING_ACTIONS ?? 100);
const TARGET_P99_MS = 50;

async function connect(url: string, cookie: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function ok(socket: Socket, event: string, payload: unknown): Promise<{ seq?: number }> {
  const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as { ok: boolean; seq?: number; error?: unknown };
  if (!ack.ok) throw new Error(`${event} failed: ${JSON.stringify(ack.error)}`);
  return ack;
}

/**
 * Meeting broadcast: PARTICIPANTS socket.io-client participants and a moderator in one meeting of
 * Godo (child process, auth on, embedded database on disk). The moderator starts and pauses an
 * item's timer ACTIONS times, one at a time; each latency is from the moderator's emit to a
 * participant's `meeting:timerChanged` (the command writes to the database
 * first, so this is the whole path a moderator's click takes).
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
  } finally {
    for (const socket of sockets) socket.disconnect();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
