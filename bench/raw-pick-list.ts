import Sqlite from 'better-sqlite3';
import Fastify from 'fastify';

// `raw.pick-list`, the pick list's floor: a bare Fastify route (no schemas, hooks, auth or logging)
// that selects the same rows as GET /api/v1/paging/pick-list with one prepared statement and
// returns them. Run as its own process by run.ts, on the same database file, like the real server.

const databasePath = process.env.DATABASE_PATH;
const port = Number(process.env.PORT);
if (!databasePath || !port) throw new Error('DATABASE_PATH and PORT are required');

const sqlite = new Sqlite(databasePath, { readonly: false });
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('synchronous = FULL');

const pickList = sqlite.prepare(
  `select r.id as requestId, r.status, co.call_number as callNumber, co.title as collectionTitle,
          c.label as containerLabel, c.location, u.id as researcherId, u.name as researcherName
   from requests r
   join containers c on c.id = r.container_id
   join collections co on co.id = c.collection_id
   join users u on u.id = r.researcher_id
   where r.visit_date = ? and r.status in ('scheduled', 'paged')
   order by c.location, co.call_number, c.indicator`,
);

const app = Fastify({ logger: false });
app.get<{ Querystring: { date: string } }>('/raw/pick-list', async (request) => ({ date: request.query.date, items: pickList.all(request.query.date) }));

process.on('SIGTERM', () => {
  void app.close().then(() => {
    sqlite.close();
    process.exit(0);
  });
});

await app.listen({ port, host: '127.0.0.1' });
