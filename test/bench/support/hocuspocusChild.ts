/** Bench child: `@hocuspocus/server` 3.x with no extensions (no auth, no persistence). */
import { Server } from '@hocuspocus/server';
import { announcePeerReady } from './servers.js';

const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
process.once('SIGTERM', () => void server.destroy().finally(() => process.exit(0)));
announcePeerReady(server.address.port);
