/**
 * Test-only: one Godo process of a cluster in a child process, so a test can SIGKILL it. Run with
 * `node --import tsx` through `fork`. env: the node's config (see cluster.ts nodeEnv), and
 * SAVE_DELAY_MS to rebuild its collaboration server with saves batched that long (so a kill lands
 * before this process stores its clients' edits). IPC out: { type: 'ready', url, port }.
 */
import { pino } from 'pino';
import { createCollabServer } from '../../../../server/collab/collabServer.js';
import { loadConfig } from '../../../../server/config.js';
import { startGodo } from '../../../../server/index.js';

async function main(): Promise<void> {
  const godo = await startGodo(loadConfig(process.env), { logger: pino({ level: 'silent' }) });
  if (process.env.SAVE_DELAY_MS) {
    await godo.collab.close();
    const collab = createCollabServer({
      httpServer: godo.server,
      models: godo.models,
      logger: godo.logger,
      clock: () => new Date(),
      limits: { saveDelayMs: Number(process.env.SAVE_DELAY_MS) },
      relay: godo.scale!.collab.relay,
    });
    await godo.scale!.collab.attach(collab.registry);
  }
  process.send!({ type: 'ready', url: godo.url, port: godo.port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
