/** Bench child: `@hocuspocus/server` 3.x with no extensions (no auth, no persistence). */
import { Server } from '@hocuspocus/server';
import { serveIpc } from './servers.js';

const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
const port = server.address.port;
const docs = Number(process.env.DOCS ?? 1);
const editors = Number(process.env.EDITORS ?? 1);
serveIpc();
process.once('SIGTERM', () => void server.destroy().finally(() => process.exit(0)));
process.send!({
  type: 'ready',
  wsUrl: `ws://127.0.0.1:${port}`,
  httpUrl: `http://127.0.0.1:${port}`,
  port,
  docNames: Array.from({ length: docs }, (_, i) => `bench-${i}`),
  cookies: Array.from({ length: editors }, () => ''),
});
