import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';

// Scale-out is opt-in: REDIS_URL unset means one process and no Redis at all.
describe('scale-out configuration', () => {
  it('is off unless REDIS_URL is set', () => {
    const config = loadConfig({});
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.GODO_INSTANCE_ID).toBeUndefined();
  });

  it('takes redis:// and rediss:// URLs and a safe instance name', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379', GODO_INSTANCE_ID: 'web-1' })).toMatchObject({
      REDIS_URL: 'redis://cache:6379',
      GODO_INSTANCE_ID: 'web-1',
    });
    expect(loadConfig({ REDIS_URL: 'rediss://user:secret@cache:6380/0' }).REDIS_URL).toBe('rediss://user:secret@cache:6380/0');
  });

  it('refuses other URLs and instance names with separators, naming the variable', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ GODO_INSTANCE_ID: 'a|b' })).toThrow(/GODO_INSTANCE_ID/);
  });
});
