import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has the defaults of API.md', () => {
    assert.deepEqual(loadConfig({}), {
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      databasePath: './data/reading-room.sqlite',
      redisUrl: 'redis://127.0.0.1:6379',
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
