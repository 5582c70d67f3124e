/** Bench child: `@y/websocket-server` 0.1.1's own connection handler on a plain HTTP server (no auth, no persistence). */
import http from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { serveIpc } from './servers.js';

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => setupWSConnection(ws, req));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  const docs = Number(process.env.DOCS ?? 1);
  const editors = Number(process.env.EDITORS ?? 1);
  serveIpc();
  process.once('SIGTERM', () => process.exit(0));
  process.send!({
    type: 'ready',
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    docNames: Array.from({ length: docs }, (_, i) => `bench-${i}`),
    cookies: Array.from({ length: editors }, () => ''),
  });
});
