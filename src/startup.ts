import { ConfigError, loadConfig, withoutCredentials, type Config } from './config.ts';
import { redisAnswers } from './redis.ts';

// What `npm start` and `npm run worker` check before anything else, each failure in one line.

const REDIS_STARTUP_WAIT_MS = 5000;

export async function configurationOrExit(): Promise<Config> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  if (!(await redisAnswers(config.redisUrl, REDIS_STARTUP_WAIT_MS))) {
    console.error(
      `Redis does not answer at ${withoutCredentials(config.redisUrl)}: start it (\`docker compose up -d redis\`, or \`redis-server --daemonize yes\`) or set REDIS_URL.`,
    );
    process.exit(1);
  }
  return config;
}
