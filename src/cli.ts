import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { seedFederalHolidays } from '../db/seed/federal-holidays.ts';
import { ConfigError, loadConfig } from './config.ts';

// `npm run cli -- <command> [options]`, with the same environment as the server.

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  holidays:seed --year YYYY [--year YYYY ...]
      Close the reading room on that year's US federal holidays (a year is seeded once).`;

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

const commands: Record<string, (args: string[]) => void> = { 'holidays:seed': holidaysSeed };

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (!command) {
  console.error(usage);
  process.exit(name === undefined || name === '--help' ? 0 : 1);
}
try {
  command(rest);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
