import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable Godo reads, with its default. The README's configuration table mirrors this. */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: booleanFromEnv.optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  GODO_DATA_DIR: z.string().min(1).default('./data'),
  GODO_DB_WORKER: booleanFromEnv.default(true),
  GODO_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  GODO_SEED_DEMO: booleanFromEnv.default(true),
  /**
   * Nice value (0–19) for this process's threads other than the event loop's (V8's garbage
   * collector and compiler helpers, the embedded database's worker, the file-system pool), so that
   * under CPU contention relaying edits and broadcasts goes first. 0 leaves them as they are. Linux only.
   */
  GODO_BACKGROUND_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** Set to run several Godo processes together (they share MongoDB and this Redis); unset: one process, no Redis. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  /**
   * With REDIS_URL: how many commands each Redis connection holds while Redis is away (and awaiting
   * replies). Beyond it relayed events are dropped (counted on `/healthz`, logged at warn) instead of
   * growing the process's memory for the whole outage.
   */
  REDIS_OFFLINE_QUEUE_MAX: z.coerce.number().int().positive().default(10_000),
  /**
   * Which proxies' `X-Forwarded-For` names the client's address (per-address login limits, logs):
   * a hop count (`1`) or a comma-separated list of addresses, CIDR subnets and Express's names
   * `loopback`, `linklocal`, `uniquelocal`. Default `loopback`: behind a balancer on another host,
   * every person would otherwise share the balancer's address and its login limit.
   */
  GODO_TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|[A-Za-z0-9.:/]+(\s*,\s*[A-Za-z0-9.:/]+)*)$/, 'a hop count, or addresses, subnets and loopback/linklocal/uniquelocal separated by commas')
    .default('loopback'),
  /** This process's name among several (logs, Redis presence); defaults to a random id per start. */
  GODO_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore (at most 64)')
    .optional(),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** Thrown when the environment does not parse; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment into a frozen config.
 * @throws ConfigError naming each invalid variable and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const result = ConfigSchema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}
