import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { DestinationStream } from 'pino';
import { closeDatabase, openConfiguredDatabase, type Database } from '../../db/client.ts';
import { seedDatabase } from '../../db/seed/index.ts';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLog } from '../../src/log.ts';
import { todayIn } from '../../src/domain/calendar.ts';
import { createRedisProbe, type RedisProbe } from '../../src/redis.ts';
import { testDatabase } from './postgres.ts';

/**
 * The Redis the tests share: REDIS_URL when set, else the configuration's default. `npm run test:unit`
 * points it at a port where nothing listens, so a unit test that comes to need Redis fails there.
 */
export const sharedRedisUrl = process.env.REDIS_URL;

/** A fixed instant: Thursday 26 November 2026, 10:00 in New York. */
export const THANKSGIVING_MORNING = new Date('2026-11-26T15:00:00Z');

/** A wall-clock time on a date in the reading room's zone (New York by default), for the injected clock. */
export function localInstant(date: string, time: string, zone = 'America/New_York'): Date {
  const instant = DateTime.fromISO(`${date}T${time}`, { zone });
  assert.ok(instant.isValid, `${date}T${time} in ${zone}`);
  return instant.toJSDate();
}

export interface TestReadingRoom {
  app: App;
  db: Database;
  config: Config;
  redis: RedisProbe;
  /**
   * With a running clock: the milliseconds added to the system clock, so that another process
   * shares the app's "now" as `Date.now() + offsetMs`.
   */
  readonly offsetMs: number;
  /** Moves the injected clock (a running one goes on from there). */
  setNow(instant: Date): void;
  close(): Promise<void>;
}

/**
 * The real app on a real SQLite file in a fresh temporary folder, seeded as `npm start` seeds it,
 * with an injected clock: fixed at `now`, or with `running`, starting at `now` and moving with the
 * system clock. Redis is the shared one unless the test gives its own. With `logTo`, the app logs
 * there as `npm start` logs (at its level for the configuration's NODE_ENV); otherwise not at all.
 */
export async function startReadingRoom(
  options: { now?: Date; running?: boolean; env?: Record<string, string>; seed?: boolean; logTo?: DestinationStream } = {},
): Promise<TestReadingRoom> {
  const folder = mkdtempSync(join(tmpdir(), 'reading-room-test-'));
  const database = await testDatabase(folder);
  const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: sharedRedisUrl, ...database.env, ...options.env });
  let now = options.now ?? THANKSGIVING_MORNING;
  let offsetMs = now.getTime() - Date.now();
  const clock = options.running ? () => new Date(Date.now() + offsetMs) : () => now;
  const db = await openConfiguredDatabase(config);
  if (options.seed !== false) await seedDatabase(db, config, todayIn(config.timezone, now));
  const redis = createRedisProbe(config);
  const logger = options.logTo ? createLog(config, { destination: options.logTo }) : undefined;
  const app = await buildApp({ config, db, redis, clock, ...(logger ? { logger } : {}) });
  await app.ready();
  return {
    app,
    db,
    config,
    redis,
    get offsetMs() {
      return offsetMs;
    },
    setNow(instant) {
      now = instant;
      offsetMs = instant.getTime() - Date.now();
    },
    async close() {
      await app.close();
      await redis.close();
      await closeDatabase(db);
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
