import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { closeDatabase, openConfiguredDatabase, openDatabase } from '../db/client.ts';
import { CopyRefused, copyIntoPostgres } from '../db/copy.ts';
import { installationId, renewInstallationId } from '../db/installation.ts';
import { openPostgres } from '../db/postgres/client.ts';
import { seedFederalHolidays } from '../db/seed/federal-holidays.ts';
import { roles, type Role } from '../db/tables.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './accounts/secrets.ts';
import { createAccount } from './accounts/staff.ts';
import { ConfigError, loadConfig, withoutCredentials } from './config.ts';
import { todayIn } from './domain/calendar.ts';
import { Refusal } from './domain/refusal.ts';
import { count, emptyTally, importFile, xmlFiles } from './finding-aids/bulk-import.ts';
import { findRoom } from './reading-rooms/store.ts';
import { recordedHarvest } from './finding-aids/harvest-runs.ts';
import { ImportReport } from './finding-aids/import-report.ts';
import { DEFAULT_TIMEOUT_MS, type HarvestProgress } from './finding-aids/oai-harvest.ts';
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
  collections:import [--room ID] PATH [PATH ...]
      Import EAD finding aids: files, or folders walked for .xml files (recursively, in sorted
      order). A bad file is reported and skipped; the exit code is 1 when any failed. --room: the
      reading room of the collections (new ones go to the first room without it).
  collections:harvest [--oai URL] [--set S] [--from YYYY-MM-DD] [--timeout SECONDS]
      Import the EAD of an OAI-PMH endpoint (ListRecords, metadataPrefix=oai_ead), following its
      resumption tokens; --oai and --set default to OAI_URL and OAI_SET. --from: records changed
      since that day. --timeout (60): how long the endpoint may be silent.
  db:copy --from sqlite:FILE --to postgres://USER@HOST/DATABASE
      Move an installation from its SQLite file into a new PostgreSQL database (migrated here if
      need be, and empty): every table, checked by a count and a checksum per table before it is
      kept. Stop the API and workers first; the copy is the same installation, not a second one.
  installation:renew
      Give a copy of the database a new installation id, so it can run beside its original on
      the same Redis. Never for a restored backup: that is the same installation.`;

async function holidaysSeed(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { year: { type: 'string', multiple: true } } });
  const years = (values.year ?? []).map(Number);
  if (years.length === 0 || years.some((y) => !Number.isInteger(y) || y < 1900 || y > 2999)) {
    throw new ConfigError('holidays:seed needs --year with a four-digit year, e.g. --year 2029');
  }
  const db = await openConfiguredDatabase(loadConfig());
  const seeded = await seedFederalHolidays(db, years);
  const skipped = years.filter((y) => !seeded.includes(y));
  console.log(
    [seeded.length ? `Seeded the federal holidays of ${seeded.join(', ')}.` : '', skipped.length ? `Already seeded: ${skipped.join(', ')}.` : '']
      .filter(Boolean)
      .join(' '),
  );
  await closeDatabase(db);
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
  const db = await openConfiguredDatabase(config);
  try {
    const user = await createAccount({ db, publicUrl: config.publicUrl }, { email, password, name, role: role as Role }, null, { ip: 'command line', now: new Date() });
    console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
  } finally {
    await closeDatabase(db);
  }
}

async function dbBackup(args: string[]): Promise<void> {
  const [file] = args;
  if (!file) throw new ConfigError('db:backup needs the file to write, e.g. npm run cli -- db:backup backups/reading-room.sqlite');
  const config = loadConfig();
  if (config.databaseUrl !== undefined) throw new ConfigError('db:backup copies the SQLite file; on PostgreSQL, back up with pg_dump (see the README)');
  const db = openDatabase(config.databasePath);
  // A copy holds all the database holds: owner-only, as the database is.
  privateFolder(dirname(file));
  privateFile(file);
  try {
    // All pages in one step: copied step by step, the backup starts again after every write of
    // another process, and under steady writes it never finishes.
    const { totalPages } = await db.$client.backup(file, { progress: () => 0x7fffffff });
    console.log(`Backed up ${totalPages} pages into ${file}.`);
  } finally {
    await closeDatabase(db);
  }
}

async function dbCopy(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } });
  const example = 'e.g. npm run cli -- db:copy --from sqlite:data/reading-room.sqlite --to postgres://reading_room@db.example.edu/reading_room';
  const file = values.from?.startsWith('sqlite:') ? values.from.slice('sqlite:'.length) : undefined;
  if (!file) throw new ConfigError(`db:copy needs --from sqlite:FILE, ${example}`);
  if (!existsSync(file)) throw new ConfigError(`--from: there is no file ${file}`);
  const url = values.to;
  if (!url || !/^postgres(ql)?:\/\/\S+$/.test(url)) throw new ConfigError(`db:copy needs --to postgres://…, ${example}`);
  const target = await openPostgres(url).catch((error: unknown) => {
    throw new ConfigError(`--to: could not reach or migrate ${withoutCredentials(url)}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const source = openDatabase(file);
  try {
    const tables = await copyIntoPostgres(source, target);
    for (const { table, rows, checksum, same } of tables) console.log(`${table.padEnd(22)} ${String(rows).padStart(9)} rows  ${checksum}  ${same ? 'same' : 'DIFFERENT'}`);
    const different = tables.filter((t) => !t.same);
    if (different.length > 0) {
      console.error(`Nothing was kept: ${different.map((t) => t.table).join(', ')} read back differently from ${withoutCredentials(url)}.`);
      process.exitCode = 1;
    } else {
      console.log(`Copied installation ${await installationId(source)} into ${withoutCredentials(url)}: ${tables.length} tables, each read back the same.`);
    }
  } catch (error) {
    if (error instanceof CopyRefused) throw new ConfigError(error.message);
    throw error;
  } finally {
    await closeDatabase(source);
    await target.$client.end();
  }
}

async function installationRenew(): Promise<void> {
  const db = await openConfiguredDatabase(loadConfig());
  try {
    console.log(`This database is now installation ${await renewInstallationId(db)}.`);
  } finally {
    await closeDatabase(db);
  }
}

async function collectionsImport(args: string[]): Promise<void> {
  const { values, positionals: paths } = parseArgs({ args, allowPositionals: true, options: { room: { type: 'string' } } });
  if (paths.length === 0) throw new ConfigError('collections:import needs files or folders, e.g. npm run cli -- collections:import finding-aids/');
  const readingRoomId = values.room === undefined ? undefined : Number(values.room);
  const config = loadConfig();
  const db = await openConfiguredDatabase(config);
  if (readingRoomId !== undefined && (!Number.isSafeInteger(readingRoomId) || !(await findRoom(db, readingRoomId)))) {
    await closeDatabase(db);
    throw new ConfigError(`--room: there is no reading room ${values.room}; the rooms are listed at GET /api/v1/reading-rooms`);
  }
  const today = todayIn(config.timezone, new Date());
  // The bar needs the total: the folders are walked twice rather than every path held in a list.
  let total = 0;
  if (process.stdout.isTTY) for (const _ of xmlFiles(paths)) total++;
  const report = new ImportReport(process.stdout, 'file', () => total);
  const tally = emptyTally();
  const started = performance.now();
  try {
    for (const path of xmlFiles(paths)) {
      const event = await importFile(db, path, today, config.importMaxBytes, { readingRoomId });
      count(tally, event);
      report.event(event);
    }
  } finally {
    await closeDatabase(db);
  }
  report.summary(tally, (performance.now() - started) / 1000);
  if (tally.failed > 0) process.exitCode = 1;
}

async function collectionsHarvest(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { oai: { type: 'string' }, set: { type: 'string' }, from: { type: 'string' }, timeout: { type: 'string' } } });
  const config = loadConfig();
  const url = values.oai ?? config.oaiUrl;
  const set = values.oai ? values.set : (values.set ?? config.oaiSet);
  if (!url || !/^https?:\/\/\S+$/.test(url)) throw new ConfigError('collections:harvest needs --oai with the endpoint\'s URL (or OAI_URL), e.g. --oai https://archives.example.edu/oai');
  const { from } = values;
  if (from !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(from) && new Date(`${from}T00:00:00Z`).toISOString().startsWith(from))) {
    throw new ConfigError(`--from must be a day, YYYY-MM-DD (got "${from}")`);
  }
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new ConfigError(`--timeout must be a number of seconds (got "${values.timeout}")`);
  const db = await openConfiguredDatabase(config);
  const progress: HarvestProgress = { pages: 0, completeListSize: null };
  const report = new ImportReport(process.stdout, 'record', () => progress.completeListSize);
  const started = performance.now();
  try {
    const request = { url, set, from, timeoutMs, maxRecordChars: config.importMaxBytes };
    const { tally, error } = await recordedHarvest(db, request, () => new Date(), todayIn(config.timezone, new Date()), (event) => report.event(event), progress);
    report.summary(tally, (performance.now() - started) / 1000);
    if (error) console.error(`The harvest stopped after ${progress.pages} pages: ${error.message}`);
    if (error || tally.failed > 0) process.exitCode = 1;
  } finally {
    await closeDatabase(db);
  }
}

const commands: Record<string, (args: string[]) => void | Promise<void>> = {
  'users:create': usersCreate,
  'db:backup': dbBackup,
  'db:copy': dbCopy,
  'holidays:seed': holidaysSeed,
  'installation:renew': installationRenew,
  'collections:import': collectionsImport,
  'collections:harvest': collectionsHarvest,
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
