import { mailFolder } from '../workers/notifications/mailer.ts';
import { ConfigError, loadConfig, withoutCredentials, type Config } from './config.ts';
import { exposedSecretFile } from './accounts/jwt-secret.ts';
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
  refuseOrWarnOfExposure(config);
  if (!(await redisAnswers(config, REDIS_STARTUP_WAIT_MS))) {
    console.error(
      `Redis does not answer at ${withoutCredentials(config.redisUrl)}: start it (\`docker compose up -d redis\`, or \`redis-server --daemonize yes\`) or set REDIS_URL.`,
    );
    process.exit(1);
  }
  return config;
}

/** A secret file others can read stops production; mail that reaches no one is said out loud. */
function refuseOrWarnOfExposure(config: Config): void {
  const production = config.env === 'production';
  const exposed = exposedSecretFile(config);
  if (exposed && production) {
    console.error(exposed);
    process.exit(1);
  }
  if (exposed) console.warn(`Warning: ${exposed}`);
  if (production && !config.smtpUrl) {
    console.warn(
      `Warning: SMTP_URL is not set, so every e-mail (reset and verification links included) is written as a file in ${mailFolder(config.databasePath)} and reaches no one: set SMTP_URL.`,
    );
  }
}
