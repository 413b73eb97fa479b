import { isIP } from 'node:net';
import envSchema from 'env-schema';
import { Type, type Static } from 'typebox';
import { isTimeZone } from './domain/reading-rooms.ts';
import type { HostAndPort, RedisTarget } from './redis.ts';

// The configuration table of docs/configuration.md. This module is the only reader of process.env.
const localTime = '([01][0-9]|2[0-3]):[0-5][0-9]';
const hostAndPort = '[A-Za-z0-9.-]+:[0-9]{1,5}';

const EnvSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_PATH: Type.String({ minLength: 1, default: './data/reading-room.sqlite' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  REDIS_SENTINELS: Type.Optional(Type.String({ pattern: `^${hostAndPort}(,${hostAndPort})*$` })),
  REDIS_SENTINEL_NAME: Type.String({ pattern: '^[A-Za-z0-9._-]+$', default: 'mymaster' }),
  REDIS_CLUSTER_NODES: Type.Optional(Type.String({ pattern: `^${hostAndPort}(,${hostAndPort})*$` })),
  // A hash tag, `{reading-room}`, keeps every key of the queues in one slot of a Redis Cluster.
  QUEUE_PREFIX: Type.String({ pattern: '^([A-Za-z0-9_-]+|\\{[A-Za-z0-9_-]+\\})$', default: 'reading-room' }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Reading Room <reading-room@localhost>' }),
  LIBRARY_NAME: Type.String({ minLength: 1, maxLength: 200, default: 'Reading Room' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  PUBLIC_URL: Type.String({ pattern: '^https?://[^\\s]+$', default: 'http://localhost:3000' }),
  READING_ROOM_TZ: Type.String({ minLength: 1, default: 'America/New_York' }),
  DAILY_REQUEST_LIMIT: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  MAX_ADVANCE_DAYS: Type.Integer({ minimum: 2, maximum: 730, default: 90 }),
  RUN_WORKERS: Type.Boolean({ default: true }),
  PAGING_TIMES: Type.String({ pattern: `^${localTime}(,${localTime})*$`, default: '09:00,14:00' }),
  CLOSING_TIME: Type.String({ pattern: `^${localTime}$`, default: '17:00' }),
  REMINDER_TIME: Type.String({ pattern: `^${localTime}$`, default: '09:00' }),
  TRUST_PROXY: Type.String({ default: 'false' }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  IMPORT_MAX_BYTES: Type.Integer({ minimum: 1024, maximum: 1024 * 1024 * 1024, default: 50 * 1024 * 1024 }),
  OAI_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  OAI_SET: Type.Optional(Type.String({ minLength: 1 })),
  READING_ROOM_SEATS: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  HOLD_BUSINESS_DAYS: Type.Integer({ minimum: 1, maximum: 60, default: 5 }),
});

type Env = Static<typeof EnvSchema>;

export interface Config extends RedisTarget {
  env: string;
  port: number;
  host: string;
  databasePath: string;
  /** PostgreSQL's address: when set, the database is there, and DATABASE_PATH is not used. */
  databaseUrl: string | undefined;
  queuePrefix: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  libraryName: string;
  jwtSecret: string | undefined;
  publicUrl: string;
  timezone: string;
  dailyRequestLimit: number;
  maxAdvanceDays: number;
  runWorkers: boolean;
  pagingTimes: string[];
  closingTime: string;
  reminderTime: string;
  /** Fastify's `trustProxy`: no proxy, the number of proxy hops, or the proxies' addresses. */
  trustProxy: false | number | string[];
  metricsToken: string | undefined;
  /** The largest EAD document an import takes. */
  importMaxBytes: number;
  /** The OAI-PMH endpoint harvested for finding aids each night, and its set; unset: no harvest. */
  oaiUrl: string | undefined;
  oaiSet: string | undefined;
  /** The first reading room's seats (unset: unlimited) and hold limit, seeded into it once. */
  readingRoomSeats: number | undefined;
  holdBusinessDays: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface AjvError {
  instancePath: string;
  message?: string;
}

/**
 * A URL fit for a message: without user information or query values (ioredis and nodemailer take
 * passwords in both). It may not even be a valid URL, so this works on the text: everything from
 * the scheme to the last `@` is user information.
 */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[\s\S]*@/i, '$1***@').replace(/([?&][^=&#]*=)[^&#]*/g, '$1***');
}

/** A variable's value fit to repeat in a message: a secret never, a URL without its credentials. */
function printable(name: string, value: string): string {
  if (/(SECRET|TOKEN|PASSWORD)$/.test(name)) return `${value.length} characters, not shown`;
  return `"${name.endsWith('_URL') ? withoutCredentials(value) : value}"`;
}

function describe(errors: AjvError[] | undefined, source: Record<string, string | undefined>): string {
  return (errors ?? [])
    .map((e) => {
      const name = e.instancePath.replace(/^\//, '');
      const value = source[name];
      return `${name} ${e.message ?? 'is invalid'}${value === undefined ? '' : ` (got ${printable(name, value)})`}`;
    })
    .join('; ');
}

const hopsOrAddresses = 'a number of proxy hops (TRUST_PROXY=1 for one reverse proxy) or a comma-separated list of the proxies\' addresses or CIDRs (TRUST_PROXY=10.0.0.5,192.168.1.0/24)';

/** An address, or an address with a prefix length its family allows. */
function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY as Fastify takes it. `true` would make the left-most X-Forwarded-For address, which
 * the client writes itself, the address of rate limits and the audit trail: refused.
 */
function trustedProxies(value: string): Config['trustProxy'] {
  if (value === 'false' || value === '0') return false;
  if (value === 'true') {
    throw new ConfigError(`Invalid configuration: TRUST_PROXY=true would let any client choose its address with X-Forwarded-For; set ${hopsOrAddresses}`);
  }
  if (/^\d{1,3}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every(isAddressOrCidr)) return entries;
  throw new ConfigError(`Invalid configuration: TRUST_PROXY must be false, ${hopsOrAddresses} (got "${value}")`);
}

function hostAndPortOf(entry: string): HostAndPort {
  const colon = entry.lastIndexOf(':');
  const port = Number(entry.slice(colon + 1));
  if (port < 1 || port > 65535) throw new ConfigError(`Invalid configuration: a port out of range in "${entry}" (REDIS_SENTINELS or REDIS_CLUSTER_NODES)`);
  return { host: entry.slice(0, colon), port };
}

/** Reads and checks the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  let env: Env;
  try {
    // Empty strings count as unset, as a shell's `VAR=` usually means.
    const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
    env = envSchema<Env>({ schema: EnvSchema, data: present, env: false });
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    throw new ConfigError(`Invalid configuration: ${errors ? describe(errors, source) : (error as Error).message}`);
  }

  if (!isTimeZone(env.READING_ROOM_TZ)) {
    throw new ConfigError(
      `Invalid configuration: READING_ROOM_TZ must be an IANA time zone such as America/New_York (got "${env.READING_ROOM_TZ}")`,
    );
  }
  if (env.NODE_ENV === 'production' && env.JWT_SECRET === undefined) {
    throw new ConfigError('Invalid configuration: JWT_SECRET (32 or more characters) is required when NODE_ENV=production');
  }
  const trustProxy = trustedProxies(env.TRUST_PROXY);
  if (env.REDIS_CLUSTER_NODES !== undefined && env.REDIS_SENTINELS !== undefined) {
    throw new ConfigError('Invalid configuration: set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');
  }
  if (env.REDIS_CLUSTER_NODES !== undefined && !env.QUEUE_PREFIX.startsWith('{')) {
    throw new ConfigError(
      `Invalid configuration: on a Redis Cluster, QUEUE_PREFIX must be a hash tag such as {${env.QUEUE_PREFIX}}, so that every key of a queue is in one slot (got "${env.QUEUE_PREFIX}")`,
    );
  }

  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databasePath: env.DATABASE_PATH,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisSentinels: env.REDIS_SENTINELS?.split(',').map(hostAndPortOf),
    redisSentinelName: env.REDIS_SENTINEL_NAME,
    redisClusterNodes: env.REDIS_CLUSTER_NODES?.split(',').map(hostAndPortOf),
    queuePrefix: env.QUEUE_PREFIX,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    libraryName: env.LIBRARY_NAME,
    jwtSecret: env.JWT_SECRET,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    timezone: env.READING_ROOM_TZ,
    dailyRequestLimit: env.DAILY_REQUEST_LIMIT,
    maxAdvanceDays: env.MAX_ADVANCE_DAYS,
    importMaxBytes: env.IMPORT_MAX_BYTES,
    oaiUrl: env.OAI_URL,
    oaiSet: env.OAI_SET,
    readingRoomSeats: env.READING_ROOM_SEATS,
    holdBusinessDays: env.HOLD_BUSINESS_DAYS,
    runWorkers: env.RUN_WORKERS,
    pagingTimes: env.PAGING_TIMES.split(','),
    closingTime: env.CLOSING_TIME,
    reminderTime: env.REMINDER_TIME,
    trustProxy,
    metricsToken: env.METRICS_TOKEN,
  };
}
