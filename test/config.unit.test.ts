import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has the defaults of docs/api.md', () => {
    assert.deepEqual(loadConfig({}), {
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      databasePath: './data/reading-room.sqlite',
      databaseUrl: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      redisSentinels: undefined,
      redisSentinelName: 'mymaster',
      redisClusterNodes: undefined,
      queuePrefix: 'reading-room',
      smtpUrl: undefined,
      mailFrom: 'Reading Room <reading-room@localhost>',
      libraryName: 'Reading Room',
      jwtSecret: undefined,
      publicUrl: 'http://localhost:3000',
      timezone: 'America/New_York',
      dailyRequestLimit: 10,
      maxAdvanceDays: 90,
      runWorkers: true,
      pagingTimes: ['09:00', '14:00'],
      closingTime: '17:00',
      reminderTime: '09:00',
      trustProxy: false,
      metricsToken: undefined,
      importMaxBytes: 52_428_800,
      oaiUrl: undefined,
      oaiSet: undefined,
      readingRoomSeats: undefined,
      holdBusinessDays: 5,
    });
  });

  it('reads typed values from the environment', () => {
    const config = loadConfig({ PORT: '8080', RUN_WORKERS: 'false', PAGING_TIMES: '08:30,13:00,15:45', READING_ROOM_TZ: 'Europe/Paris', PUBLIC_URL: 'https://rr.example.org/' });
    assert.equal(config.port, 8080);
    assert.equal(config.runWorkers, false);
    assert.deepEqual(config.pagingTimes, ['08:30', '13:00', '15:45']);
    assert.equal(config.timezone, 'Europe/Paris');
    assert.equal(config.publicUrl, 'https://rr.example.org');
  });

  it('reads the Sentinels to ask for the Redis master, and its name', () => {
    const config = loadConfig({ REDIS_SENTINELS: 'sentinel-a.example.edu:26379,10.0.0.7:26380', REDIS_SENTINEL_NAME: 'reading-room' });
    assert.deepEqual(config.redisSentinels, [
      { host: 'sentinel-a.example.edu', port: 26379 },
      { host: '10.0.0.7', port: 26380 },
    ]);
    assert.equal(config.redisSentinelName, 'reading-room');
  });

  it('reads the nodes of a Redis Cluster, with a queue prefix that is a hash tag', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'redis-1:7000,redis-2:7001', QUEUE_PREFIX: '{reading-room}' });
    assert.deepEqual(config.redisClusterNodes, [
      { host: 'redis-1', port: 7000 },
      { host: 'redis-2', port: 7001 },
    ]);
    assert.equal(config.queuePrefix, '{reading-room}');
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /PORT must be integer \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT must be <= 65535/],
    [{ READING_ROOM_TZ: 'Mars/Olympus_Mons' }, /READING_ROOM_TZ must be an IANA time zone.*Mars\/Olympus_Mons/],
    [{ DAILY_REQUEST_LIMIT: '0' }, /DAILY_REQUEST_LIMIT must be >= 1/],
    [{ MAX_ADVANCE_DAYS: 'ninety' }, /MAX_ADVANCE_DAYS must be integer/],
    [{ RUN_WORKERS: 'perhaps' }, /RUN_WORKERS must be boolean/],
    [{ PAGING_TIMES: '9am' }, /PAGING_TIMES must match/],
    [{ CLOSING_TIME: '25:00' }, /CLOSING_TIME must match/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must match/],
    [{ REDIS_SENTINELS: 'sentinel-a.example.edu' }, /REDIS_SENTINELS must match/],
    [{ REDIS_SENTINELS: 'a:26379;b:26379' }, /REDIS_SENTINELS must match/],
    [{ REDIS_SENTINELS: 'a:26379,b:99999' }, /a port out of range in "b:99999"/],
    [{ REDIS_CLUSTER_NODES: 'a:7000,b:7001' }, /on a Redis Cluster, QUEUE_PREFIX must be a hash tag such as \{reading-room\}/],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 'a:26379', QUEUE_PREFIX: '{rr}' }, /set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both/],
    [{ QUEUE_PREFIX: '{reading-room' }, /QUEUE_PREFIX must match/],
    [{ QUEUE_PREFIX: 'reading}{room' }, /QUEUE_PREFIX must match/],
    [{ REDIS_SENTINEL_NAME: 'my master' }, /REDIS_SENTINEL_NAME must match/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must NOT have fewer than 32 characters/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET .* is required when NODE_ENV=production/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} with a clear error`, () => {
      assert.throws(() => loadConfig(env), (error: Error) => error instanceof ConfigError && message.test(error.message));
    });
  }

  it('names every bad variable at once', () => {
    assert.throws(() => loadConfig({ PORT: 'abc', RUN_WORKERS: 'perhaps' }), /PORT must be integer.*RUN_WORKERS must be boolean/);
  });
});

/** The message loadConfig refuses `env` with. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`${JSON.stringify(env)} was accepted`);
}

describe('a configuration error never repeats a secret', () => {
  // Each value is refused, and holds a secret (its last element) that the message must not show.
  const cases: [string, Record<string, string>, RegExp, string][] = [
    ['JWT_SECRET', { JWT_SECRET: 'too-short-but-secret' }, /JWT_SECRET must NOT have fewer than 32 characters \(got 20 characters, not shown\)/, 'too-short-but-secret'],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'tok-9f8e7d' }, /METRICS_TOKEN must NOT have fewer than 16 characters/, 'tok-9f8e7d'],
    ['the password in SMTP_URL', { SMTP_URL: 'smpt://mailer:hunter2-smtp@mail.example.org:587' }, /SMTP_URL must match .*\(got "smpt:\/\/\*\*\*@mail\.example\.org:587"\)/, 'hunter2-smtp'],
    ['a password with @ and / in SMTP_URL', { SMTP_URL: 'smtp//mailer:p@ss/w0rd@mail.example.org' }, /SMTP_URL must match .*mail\.example\.org/, 'ss/w0rd'],
    ['the user in SMTP_URL', { SMTP_URL: 'smtp:/reading-room-relay:x@mail.example.org' }, /SMTP_URL must match/, 'reading-room-relay'],
    ['the password in REDIS_URL', { REDIS_URL: 'redis:/:s3cret-redis@cache.example.org:6379' }, /REDIS_URL must match .*cache\.example\.org:6379/, 's3cret-redis'],
    ['a password in the query of REDIS_URL', { REDIS_URL: 'cache.example.org:6379/0?db=0&password=s3cret-query' }, /REDIS_URL must match .*password=\*\*\*/, 's3cret-query'],
    ['a secret beside another error', { PORT: 'abc', JWT_SECRET: 'short-jwt-secret' }, /PORT must be integer.*JWT_SECRET must NOT have fewer than 32/, 'short-jwt-secret'],
  ];
  for (const [what, env, message, secret] of cases) {
    it(`masks ${what}`, () => {
      const said = refusal(env);
      assert.match(said, message);
      assert.ok(!said.includes(secret), said);
    });
  }
});

describe('TRUST_PROXY', () => {
  const accepted: [string, false | number | string[]][] = [
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.5', ['10.0.0.5']],
    ['10.0.0.5, 192.168.1.0/24,::1,fd00::/8', ['10.0.0.5', '192.168.1.0/24', '::1', 'fd00::/8']],
  ];
  for (const [value, trustProxy] of accepted) {
    it(`takes ${value} as ${JSON.stringify(trustProxy)}: no proxy, a number of hops, or the proxies' addresses`, () => {
      assert.deepEqual(loadConfig({ TRUST_PROXY: value }).trustProxy, trustProxy);
    });
  }

  it('refuses true, which trusts every hop, saying what to set instead', () => {
    assert.match(refusal({ TRUST_PROXY: 'true' }), /^Invalid configuration: TRUST_PROXY=true would let any client choose its address with X-Forwarded-For; set a number of proxy hops \(TRUST_PROXY=1 .*\) or a comma-separated list of the proxies' addresses or CIDRs/);
  });

  for (const value of ['yes', 'loopback', '10.0.0.300', '10.0.0.0/33', '::1/129', '10.0.0.0/8/2', '10.0.0.5,', '10.0.0.0/-1']) {
    it(`refuses ${value}, which is neither a hop count nor addresses`, () => {
      assert.match(refusal({ TRUST_PROXY: value }), /TRUST_PROXY must be false, a number of proxy hops .* \(got ".*"\)/);
    });
  }
});
