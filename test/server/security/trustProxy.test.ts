import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { LOGIN_LIMITS } from '../../../server/commands/auth/login.js';
import { ConfigError, loadConfig } from '../../../server/config.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';

// Which proxies may name the client's address decides who shares a per-address login limit.

describe('GODO_TRUST_PROXY', () => {
  it('defaults to loopback, takes hop counts and address lists, and refuses anything else naming the variable', () => {
    expect(loadConfig({}).GODO_TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ GODO_TRUST_PROXY: '1' }).GODO_TRUST_PROXY).toBe('1');
    expect(loadConfig({ GODO_TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).GODO_TRUST_PROXY).toBe('loopback, 10.0.0.0/8, fd00::/8');
    expect(() => loadConfig({ GODO_TRUST_PROXY: 'loopback; rm -rf' })).toThrow(ConfigError);
    expect(() => loadConfig({ GODO_TRUST_PROXY: 'proxy one' })).toThrow(/GODO_TRUST_PROXY/);
  });
});

describe('a forwarded address from a proxy that is not trusted', () => {
  let godo: RunningGodo;
  beforeAll(async () => {
    // Tests reach the server from loopback; trusting only another address makes the header untrusted.
    godo = await startTestGodo({ env: { GODO_TRUST_PROXY: '192.0.2.1' } });
  });
  afterAll(async () => {
    await godo?.close();
  });

  it('is ignored: attempts claiming different addresses share the real one and its limit', async () => {
    const production = LOGIN_LIMITS.perAddress.limit;
    LOGIN_LIMITS.perAddress.limit = 2;
    onTestFinished(() => {
      LOGIN_LIMITS.perAddress.limit = production;
    });
    const attempt = (i: number) =>
      new HttpClient(godo.url).request('POST', '/api/auth/login', { email: `spoof-${i}@example.org`, password: 'password1' }, { 'x-forwarded-for': `198.51.100.${i}` });
    const statuses = [];
    for (let i = 1; i <= 3; i++) statuses.push((await attempt(i)).status);
    // Trusted (the default), three different forwarded addresses would each get 401.
    expect(statuses).toEqual([401, 401, 429]);
  });
});
