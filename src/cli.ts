import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { renewInstallationId } from '../db/installation.ts';
import { seedFederalHolidays } from '../db/seed/federal-holidays.ts';
import { roles, type Role } from '../db/schema.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './accounts/secrets.ts';
import { createAccount } from './accounts/staff.ts';
import { ConfigError, loadConfig } from './config.ts';
import { Refusal } from './domain/refusal.ts';
import { privateFile, privateFolder } from './private-files.ts';

// `npm run cli -- <command> [options]`, with the same environment as the server.

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  users:create --email E --password P --name N --role researcher|staff|curator|admin
      Create an account whose address counts as verified (the first admin is made this way).
  db:backup FILE
      Copy the database, online, into FILE (SQLite's backup API: writers need not stop).
  holidays:seed --year YYYY [--year YYYY ...]
      Close the reading room on that year's US federal holidays (a year is seeded once).
  installation:renew
      Give a copy of the database a new installation id, so it can run beside its original on
      the same Redis. Never for a restored backup: that is the same installation.`;

function holidaysSeed(args: string[]): void {
  const { values } = parseArgs({ args, options: { year: { type: 'string', multiple: true } } });
  const years = (values.year ?? []).map(Number);
  if (years.length === 0 || years.some((y) => !Number.isInteger(y) || y < 1900 || y > 2999)) {
    throw new ConfigError('holidays:seed needs --year with a four-digit year, e.g. --year 2029');
  }
  const db = openDatabase(loadConfig().databasePath);
  const seeded = seedFederalHolidays(db, years);
  const skipped = years.filter((y) => !seeded.includes(y));
  console.log(
    [seeded.length ? `Seeded the federal holidays of ${seeded.join(', ')}.` : '', skipped.length ? `Already seeded: ${skipped.join(', ')}.` : '']
      .filter(Boolean)
      .join(' '),
  );
  db.$client.close();
}

async function usersCreate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
  });
  const { email, password, name, role } = values;
  if (!email || !password || !name || !role) throw new ConfigError('users:create needs --email, --password, --name and --role');
  if (!roles.includes(role as Role)) throw new ConfigError(`--role must be one of ${roles.join(', ')}`);
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new ConfigError(`--password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ConfigError('--email must be an e-mail address');
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    const user = await createAccount({ db, publicUrl: config.publicUrl }, { email, password, name, role: role as Role }, null, { ip: 'command line', now: new Date() });
    console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
  } finally {
    db.$client.close();
  }
}

async function dbBackup(args: string[]): Promise<void> {
  const [file] = args;
  if (!file) throw new ConfigError('db:backup needs the file to write, e.g. npm run cli -- db:backup backups/reading-room.sqlite');
  const db = openDatabase(loadConfig().databasePath);
  // A copy holds all the database holds: owner-only, as the database is.
  privateFolder(dirname(file));
  privateFile(file);
  try {
    // All pages in one step: copied step by step, the backup starts again after every write of
    // another process, and under steady writes it never finishes.
    const { totalPages } = await db.$client.backup(file, { progress: () => 0x7fffffff });
    console.log(`Backed up ${totalPages} pages into ${file}.`);
  } finally {
    db.$client.close();
  }
}

function installationRenew(): void {
  const db = openDatabase(loadConfig().databasePath);
  try {
    console.log(`This database is now installation ${renewInstallationId(db)}.`);
  } finally {
    db.$client.close();
  }
}

const commands: Record<string, (args: string[]) => void | Promise<void>> = {
  'users:create': usersCreate,
  'db:backup': dbBackup,
  'holidays:seed': holidaysSeed,
  'installation:renew': installationRenew,
};

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (!command) {
  console.error(usage);
  process.exit(name === undefined || name === '--help' ? 0 : 1);
}
try {
  await command(rest);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof Refusal)) throw error;
  console.error(error.message);
  process.exit(1);
}
