/**
 * Bench child for calibration (FANOUT_SERVERS=...,null): forwards every frame of a socket to the
 * other sockets of the same document, holding no Yjs document at all, and answers a client's
 * SyncStep1 with an empty SyncStep2 so providers count as synced. No server can relay cheaper, so
 * its latencies show the floor this machine and load generator can resolve.
 */
import http from 'node:http';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { announcePeerReady } from './servers.js';

const MESSAGE_SYNC = 0;

function emptySyncStep2(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(new Y.Doc()));
  return encoding.toUint8Array(encoder);
}

const step2 = emptySyncStep2();
const rooms = new Map<string, Set<WebSocket>>();
const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => {
  const name = req.url ?? '';
  const room = rooms.get(name) ?? new Set<WebSocket>();
  rooms.set(name, room.add(ws));
  ws.on('message', (data: Buffer) => {
    if (data[0] === MESSAGE_SYNC && data[1] === syncProtocol.messageYjsSyncStep1) return void ws.send(step2);
    for (const other of room) if (other !== ws) other.send(data);
  });
  ws.on('close', () => room.delete(ws));
});
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.once('SIGTERM', () => process.exit(0));
  announcePeerReady((server.address() as { port: number }).port);
});
