import { defineConfig } from 'drizzle-kit';

// `npm run db:generate:postgres`: the PostgreSQL migrations, from the PostgreSQL tables of db/postgres/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/postgres/schema.ts',
  out: './db/postgres/migrations',
});
