import closeWithGrace from 'close-with-grace';
import { openDatabase } from '../db/client.ts';
import { seedDatabase } from '../db/seed/index.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { todayIn } from './domain/calendar.ts';
import { createRedisProbe, redisAnswers } from './redis.ts';

const REDIS_STARTUP_WAIT_MS = 5000;
const SHUTDOWN_GRACE_MS = 10_000;

/** The Redis URL without its password, fit for a message on the terminal. */
function printable(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function start(): Promise<void> {
  const config = readConfig();
  if (!(await redisAnswers(config.redisUrl, REDIS_STARTUP_WAIT_MS))) {
    console.error(
      `Redis does not answer at ${printable(config.redisUrl)}: start it (\`docker compose up -d redis\`, or \`redis-server --daemonize yes\`) or set REDIS_URL.`,
    );
    process.exit(1);
  }

  const clock = () => new Date();
  const db = openDatabase(config.databasePath);
  seedDatabase(db, todayIn(config.timezone, clock()));
  const redis = createRedisProbe(config.redisUrl);
  const app = await buildApp({
    config,
    db,
    redis,
    clock,
    logger: { level: config.env === 'test' ? 'warn' : 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });

  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await redis.close();
    db.$client.close();
  });

  await app.listen({ port: config.port, host: config.host });
}

await start();
