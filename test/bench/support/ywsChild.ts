/** Bench child: `@y/websocket-server` 0.1.1's own connection handler on a plain HTTP server (no auth, no persistence). */
import http from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { announcePeerReady } from './servers.js';

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => setupWSConnection(ws, req));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.once('SIGTERM', () => process.exit(0));
  announcePeerReady((server.address() as { port: number }).port);
});
