import { closeDatabase } from '../../db/client.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { runScript } from '../helpers/child.ts';
import {
  callJson,
  checkFile,
  freshDatabase,
  makeResearchers,
  nthBooking,
  openContainerIds,
  startServer,
  visitDates,
  writerLines,
  type Answer,
  type WriterLines,
} from '../helpers/fault-kit.ts';

// Not under test:postgres: it is about several processes writing one SQLite file.

// Issue 6, fault suite: four processes writing one SQLite file: `npm start` taking submissions
// over HTTP, and three processes submitting requests and registering researchers through the
// domain operations (test/helpers/fault-writer.ts), all at once. No SQLITE_BUSY, and no 5xx,
// reaches anyone; every acknowledged write is in the file; the file passes integrity_check.

const HTTP_RESEARCHERS = 16;
const WRITERS = 3;
const RESEARCHERS_PER_WRITER = 6;
const DURATION_MS = 4_000;
const BUSY = /SQLITE_BUSY|database is locked/i;

interface Timed extends Answer {
  sentAt: number;
}

describe('four processes writing one SQLite file', () => {
  it('no SQLITE_BUSY or 5xx reaches a user, every acknowledged write is stored, integrity_check is ok', { timeout: 60_000 }, async (t) => {
    const file = await freshDatabase();
    const httpResearchers = await makeResearchers(file.db, file.config, HTTP_RESEARCHERS, 'http');
    const writerResearchers = await makeResearchers(file.db, file.config, WRITERS * RESEARCHERS_PER_WRITER, 'child');
    const dates = await visitDates(file.db, file.config);
    const containers = await openContainerIds(file.db);
    await closeDatabase(file.db);
    const server = await startServer({ DATABASE_PATH: file.path, QUEUE_PREFIX: file.config.queuePrefix });
    const writers = Array.from({ length: WRITERS }, (_, w) =>
      runScript('test/helpers/fault-writer.ts', {
        DATABASE_PATH: file.path,
        RESEARCHER_IDS: writerResearchers
          .slice(w * RESEARCHERS_PER_WRITER, (w + 1) * RESEARCHERS_PER_WRITER)
          .map((r) => r.id)
          .join(','),
        VISIT_DATES: dates.join(','),
        CONTAINER_IDS: containers.join(','),
        REGISTER_EVERY: '4',
        WRITER_NAME: `writer${w}-${file.config.queuePrefix}`,
        DURATION_MS: String(DURATION_MS),
      }),
    );
    const outputs = writers.map(writerLines);
    try {
      await Promise.all(writers.map((w) => w.printed('ready')));

      // All four at once.
      for (const w of writers) w.process.kill('SIGUSR2');
      const started = Date.now();
      const answers: Timed[] = [];
      const acknowledged: { id: number; researcherId: number }[] = [];
      await Promise.all(
        httpResearchers.map(async (researcher) => {
          for (let k = 0; Date.now() - started < DURATION_MS; k++) {
            const { visitDate, containerId } = nthBooking(k, [researcher], dates, containers);
            const sentAt = Date.now();
            const answer = await callJson(`${server.url}/api/v1/requests`, researcher.token, 'POST', { visitDate, containerIds: [containerId] });
            answers.push({ sentAt, ...answer });
            if (answer.status === 201) {
              for (const item of JSON.parse(answer.body).items as { id: number }[]) acknowledged.push({ id: item.id, researcherId: researcher.id });
            }
          }
        }),
      );
      const exits = await Promise.all(writers.map((w) => w.exit));

      // Nobody was told SQLITE_BUSY, or anything else that went wrong.
      const failedHttp = answers.filter((a) => a.status !== 201);
      assert.deepEqual(failedHttp.slice(0, 5), [], `${failedHttp.length} of ${answers.length} HTTP submissions were not 201`);
      assert.ok(answers.length >= 20, `HTTP submissions: ${answers.length}`);
      const results: WriterLines[] = outputs.map((read) => read());
      exits.forEach((exit, w) => {
        assert.equal(exit.code, 0, `writer ${w}: ${exit.stderr}`);
        assert.doesNotMatch(exit.stderr, BUSY);
        assert.deepEqual(results[w]?.errors, [], `writer ${w} had failures`);
        assert.ok(results[w]?.done, `writer ${w} finished`);
        assert.ok((results[w]?.acks.filter((a) => a.kind === 'request').length ?? 0) >= 10, `writer ${w} submitted`);
        assert.ok((results[w]?.acks.filter((a) => a.kind === 'registration').length ?? 0) >= 2, `writer ${w} registered`);
      });

      // Every acknowledged write is in the file, as acknowledged.
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.doesNotMatch(stopped.stderr, BUSY);
      assert.deepEqual(checkFile(file.path), { integrity: 'ok', foreignKeyViolations: 0 });
      const sqlite = new Sqlite(file.path, { fileMustExist: true, readonly: true });
      try {
        const owners = new Map(
          (sqlite.prepare('select id, researcher_id as researcherId from requests').all() as { id: number; researcherId: number }[]).map((r) => [
            r.id,
            r.researcherId,
          ]),
        );
        const childRequests = results.flatMap((r) =>
          r.acks.filter((a) => a.kind === 'request').flatMap((a) => (a.ids ?? []).map((id) => ({ id, researcherId: a.researcherId as number }))),
        );
        const all = [...acknowledged, ...childRequests];
        const missing = all.filter((a) => owners.get(a.id) !== a.researcherId);
        assert.deepEqual(missing, [], `${missing.length} of ${all.length} acknowledged requests missing`);
        assert.equal(new Set(all.map((a) => a.id)).size, all.length, 'no id was acknowledged twice');

        const emails = new Set((sqlite.prepare('select email from users').all() as { email: string }[]).map((u) => u.email));
        const registered = results.flatMap((r) => r.acks.filter((a) => a.kind === 'registration').map((a) => a.email as string));
        const unregistered = registered.filter((e) => !emails.has(e));
        assert.deepEqual(unregistered, [], 'every acknowledged registration is stored');
        const verifications = sqlite.prepare("select count(*) as n from outbox where job_name = 'verify-email'").get() as { n: number };
        assert.equal(verifications.n, registered.length, 'one verification mail per registration');

        const slowest = Math.max(...answers.map((a) => a.at - a.sentAt));
        t.diagnostic(
          `HTTP: ${answers.length} submissions, slowest ${slowest} ms; writers: ${results
            .map((r) => `${r.acks.length} writes`)
            .join(', ')}; ${owners.size} requests and ${registered.length} registrations stored`,
        );
      } finally {
        sqlite.close();
      }
    } finally {
      for (const w of writers) if (w.process.exitCode === null) w.process.kill('SIGKILL');
      await server.kill();
      await file.remove();
    }
  });
});
