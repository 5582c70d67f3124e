import { describe, expect, it } from 'vitest';
import { COLLAB_CLOSE_CODES } from '../../../shared/collab.js';
import { startTestGodo } from '../../helpers/godo.js';
import { connectClient, providerClosed, synced, within } from './support/clients.js';
import { createReportFixture } from './support/godoHarness.js';

describe("Godo's shutdown with collaboration clients connected", () => {
  it('tells clients to come back later (4503) and completes although they keep reconnecting', async () => {
    const godo = await startTestGodo();
    const fixture = await createReportFixture(godo);
    const client = connectClient(godo.url, fixture.docName, fixture.cookies.reviewer);
    try {
      await synced(client);
      client.doc.getText('t').insert(0, 'pending at shutdown');
      const closed = providerClosed(client);
      await within(godo.close(), 'Godo to close', 20_000);
      expect((await closed).code).toBe(COLLAB_CLOSE_CODES.shuttingDown);
      expect(godo.collab.stats()).toMatchObject({ documents: 0, connections: 0 });
    } finally {
      client.destroy();
    }
  });
});
