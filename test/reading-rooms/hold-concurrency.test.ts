import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { resolveJwtSecret } from '../../src/accounts/jwt-secret.ts';
import { createAccount } from '../../src/accounts/staff.ts';
import { closuresFrom } from '../../src/calendar/store.ts';
import { nextBusinessDay } from '../../src/domain/calendar.ts';
import { callJson, FAULT_PASSWORD, freshDatabase, makeResearchers, signToken, startServer, visitDates } from '../helpers/fault-kit.ts';
import { closeDatabase, openConfiguredDatabase } from '../../db/client.ts';
import { requests } from '../../db/tables.ts';

// A hold and other researchers' requests for the held day, at once, through two API processes on
// one database: whichever commits first wins the day. Either the hold is placed and every request for
// that day waits behind it, or the hold is refused (INVALID_HOLD) because one of them already has
// the box, and the rest wait behind that one. Never both a hold and a holder.

describe('a hold and requests for its day at once', () => {
  it('through two API processes: the box has one holder on the day, whatever the order', { timeout: 90_000 }, async () => {
    const file = await freshDatabase();
    const [owner, ...others] = await makeResearchers(file.db, file.config, 21, 'hold');
    const staffUser = await createAccount(
      { db: file.db, publicUrl: file.config.publicUrl },
      { email: 'desk-hold@example.org', password: FAULT_PASSWORD, name: 'Desk', role: 'staff' },
      null,
      { ip: 'test', now: new Date() },
    );
    const staff = signToken(resolveJwtSecret(file.config), staffUser);
    const visit = (await visitDates(file.db, file.config))[0]!;
    const heldDay = nextBusinessDay(visit, await closuresFrom(file.db, 1, visit));
    await closeDatabase(file.db);
    const [a, b] = await Promise.all([startServer(file.env), startServer(file.env)]);
    try {
      const made = await callJson(`${a.url}/api/v1/requests`, owner!.token, 'POST', { visitDate: visit, containerIds: [3] });
      assert.equal(made.status, 201, made.body);
      const id = (JSON.parse(made.body) as { items: { id: number }[] }).items[0]!.id;
      assert.equal((await callJson(`${a.url}/api/v1/users/${owner!.id}/identity-verification`, staff, 'POST', { documentType: 'passport' })).status, 200);
      for (const to of ['paged', 'delivered', 'returned']) assert.equal((await callJson(`${a.url}/api/v1/requests/${id}/transition`, staff, 'POST', { to })).status, 200, to);

      const [hold, ...asked] = await Promise.all([
        callJson(`${a.url}/api/v1/requests/${id}/transition`, staff, 'POST', { to: 'on_hold', holdUntil: heldDay }),
        ...others.map((r, i) => callJson(`${(i % 2 ? a : b).url}/api/v1/requests`, r.token, 'POST', { visitDate: heldDay, containerIds: [3] })),
      ]);
      assert.ok(hold.status === 200 || (hold.status === 422 && JSON.parse(hold.body).code === 'INVALID_HOLD'), hold.body);
      assert.deepEqual([...new Set(asked.map((r) => r.status))], [201], asked.map((r) => r.body).join('\n'));

      const db = await openConfiguredDatabase(file.config);
      try {
        const statuses = (await db.select({ status: requests.status }).from(requests).where(and(eq(requests.containerId, 3), eq(requests.visitDate, heldDay)))).map((r) => r.status);
        const scheduled = statuses.filter((s) => s === 'scheduled').length;
        const [held] = await db.select({ n: count() }).from(requests).where(and(eq(requests.id, id), eq(requests.status, 'on_hold'), eq(requests.holdUntil, heldDay)));
        assert.equal(statuses.length, 20);
        if (hold.status === 200) assert.deepEqual([held?.n, scheduled], [1, 0], 'the hold has the day: every request waits');
        else assert.deepEqual([held?.n, scheduled], [0, 1], 'a request had the day first: the hold was refused, one holder');
      } finally {
        await closeDatabase(db);
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await file.remove();
    }
  });
});
