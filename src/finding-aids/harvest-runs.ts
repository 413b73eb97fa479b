import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { commit } from '../../db/transactions.ts';
import { oaiHarvests } from '../../db/tables.ts';
import type { Logger } from 'pino';
import { withoutCredentials, type Config } from '../config.ts';
import { todayIn, type Clock, type IsoDate } from '../domain/calendar.ts';
import { emptyTally, harvestInto, type ImportEvent, type Tally } from './bulk-import.ts';
import { OaiError, type HarvestProgress, type HarvestRequest } from './oai-harvest.ts';

// A harvest with its outcome recorded in oai_harvests (db/schema.ts says why `from` is what it is).

export interface HarvestOutcome {
  from: string | null;
  tally: Tally;
  /** Why the list could not be read to its end. */
  error: OaiError | null;
}

/** The UTC day the last successful harvest of this endpoint and set started: OAI datestamps are UTC. */
export async function lastHarvestDay(db: Database, url: string, set: string | undefined): Promise<string | null> {
  const [row] = await db
    .select({ startedAt: oaiHarvests.startedAt })
    .from(oaiHarvests)
    .where(and(eq(oaiHarvests.url, withoutCredentials(url)), set ? eq(oaiHarvests.set, set) : isNull(oaiHarvests.set), isNull(oaiHarvests.error)))
    .orderBy(desc(oaiHarvests.startedAt))
    .limit(1);
  return row ? row.startedAt.toISOString().slice(0, 10) : null;
}

/**
 * Harvests and records the outcome. An OaiError is returned, not thrown, once recorded: what was
 * read before it stays imported. Every other error (the database's) propagates unrecorded.
 */
export async function recordedHarvest(
  db: Database,
  request: HarvestRequest,
  now: Clock,
  today: IsoDate,
  onEvent: (event: ImportEvent) => void = () => {},
  progress?: HarvestProgress,
): Promise<HarvestOutcome> {
  const startedAt = now();
  const tally = emptyTally();
  let error: OaiError | null = null;
  try {
    await harvestInto(db, request, today, tally, onEvent, progress);
  } catch (caught) {
    if (!(caught instanceof OaiError)) throw caught;
    error = caught;
  }
  await commit(db, async (tx) => {
    await tx.insert(oaiHarvests).values({
      url: withoutCredentials(request.url),
      set: request.set ?? null,
      from: request.from ?? null,
      startedAt,
      finishedAt: now(),
      records: tally.imported,
      deleted: tally.deleted,
      failures: tally.failed,
      error: error ? `${error.code}: ${error.message}` : null,
    });
  });
  return { from: request.from ?? null, tally, error };
}

export interface NightlyHarvestSummary {
  from: string | null;
  imported: number;
  deleted: number;
  failed: number;
}

/**
 * The nightly job: OAI_URL (and OAI_SET) harvested from the day of the last successful harvest.
 * Run twice the same day, the second asks for that day again and imports the same documents as
 * unchanged. A list that could not be read to its end throws, once recorded, for the queue to try
 * again; a record refused is logged and counted, and does not hold the next harvest's day back
 * (it would be refused again until the repository changes it, which moves it into a later day).
 */
export async function nightlyHarvest(
  db: Database,
  config: Pick<Config, 'oaiUrl' | 'oaiSet' | 'importMaxBytes' | 'timezone'>,
  clock: Clock,
  log: Pick<Logger, 'warn'>,
): Promise<NightlyHarvestSummary | { skipped: string }> {
  if (!config.oaiUrl) return { skipped: 'OAI_URL is not set' };
  const from = (await lastHarvestDay(db, config.oaiUrl, config.oaiSet)) ?? undefined;
  const request = { url: config.oaiUrl, set: config.oaiSet, from, maxRecordChars: config.importMaxBytes };
  const onEvent = (event: ImportEvent) => {
    if (event.kind === 'failed') log.warn({ record: event.source, reason: event.message }, 'a harvested finding aid was not imported');
  };
  const { tally, error } = await recordedHarvest(db, request, clock, todayIn(config.timezone, clock()), onEvent);
  if (error) throw error;
  return { from: from ?? null, imported: tally.imported, deleted: tally.deleted, failed: tally.failed };
}
