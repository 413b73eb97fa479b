import { onPostgres } from './engine.ts';
import * as postgres from './postgres/schema.ts';
import * as sqlite from './schema.ts';

// The tables the queries are built on: db/schema.ts's on SQLite, db/postgres/schema.ts's on
// PostgreSQL (db/engine.ts). Both give the same columns as the same JavaScript values
// (test/db/postgres-schema.test.ts), so the code is written, and type-checked, once, against
// db/schema.ts; the names below shadow that file's tables, and its constants and types pass through.

export * from './schema.ts';

const chosen = (onPostgres ? postgres : sqlite) as unknown as typeof sqlite;

export const {
  readingRooms,
  collections,
  series,
  containers,
  components,
  componentContainers,
  closures,
  holidaySeedings,
  outbox,
  installation,
  catalogue,
  users,
  appointments,
  classSessions,
  requests,
  requestNotes,
  savedItems,
  requestComponents,
  accountTokens,
  securityEvents,
  requestEvents,
  scheduledRuns,
  oaiHarvests,
} = chosen;
