// The engine this process runs on, chosen once as it starts: PostgreSQL when DATABASE_URL is set
// (docs/configuration.md), SQLite otherwise. One process speaks to one database, so the tables its
// queries are built on (db/tables.ts) and the SQL that differs between the engines follow this.

/** Whether this process's database is PostgreSQL. */
export const onPostgres = (process.env.DATABASE_URL ?? '') !== '';
