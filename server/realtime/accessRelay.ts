import type { Logger } from 'pino';
import { AccessChangeSchema } from '../../shared/realtime/accessChangeSchema.js';
import { announceAccessChange, onAccessChange } from '../commands/access/accessChanges.js';
import type { GodoIo } from './types.js';

/**
 * With several processes (REDIS_URL), relays access changes made here to the others as the
 * `godo:accessChanged` server-side event and re-announces theirs locally, so every process's
 * collaboration server re-checks the connections concerned at once. Returns the stop function.
 */
export function relayAccessChanges(io: GodoIo, logger: Logger): () => void {
  const stop = onAccessChange(({ remote, ...change }) => {
    if (!remote) io.serverSideEmit('godo:accessChanged', JSON.stringify(change));
  });
  const fromPeer = (text: unknown) => {
    let parsed;
    try {
      parsed = AccessChangeSchema.safeParse(JSON.parse(String(text)));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) return void logger.warn('realtime: a malformed access change from another process was dropped');
    announceAccessChange({ ...parsed.data, remote: true });
  };
  io.on('godo:accessChanged', fromPeer);
  return () => {
    stop();
    io.off('godo:accessChanged', fromPeer);
  };
}
