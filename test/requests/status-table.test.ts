import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transitions } from '../../src/domain/request-status.ts';
import { allRooms } from '../../src/reading-rooms/store.ts';
import { closingTime } from '../../src/paging/runs.ts';
import { requestsContext } from '../../src/requests/moves.ts';
import { eventsOf } from '../../src/requests/store.ts';
import { ok } from '../helpers/answers.ts';
import { makePerson, type Person } from '../helpers/people.ts';
import { localInstant, startReadingRoom, THANKSGIVING_MORNING, type TestReadingRoom } from '../helpers/reading-room.ts';

// Every row of the status table (src/domain/request-status.ts), for every actor it names, made to
// happen by whoever owns that change: a person through the API, or the system job that does it.
// A row added to the table without a way to reach it here fails the first test.

const MONDAY = '2026-11-30'; // the earliest visit date on Thanksgiving morning, the room's clock
const TUESDAY = '2026-12-01'; // closing time runs on this day, once, for the system's rows
const WEDNESDAY = '2026-12-02';
const CLASS_DAY = '2026-12-03'; // a class session's notice: five business days

let room: TestReadingRoom;
let staff: Person;
let curator: Person;

const researcher = () => makePerson(room, 'researcher');
const submit = async (person: Person, box: number, visitDate = MONDAY) =>
  (ok(await person.call('POST', '/api/v1/requests', { visitDate, containerIds: [box] }), 201).items as { id: number }[])[0]?.id ?? 0;
/** Staff on a researcher's behalf (a phone request). */
const submitFor = async (person: Person, box: number, visitDate: string) =>
  (ok(await staff.call('POST', '/api/v1/requests', { researcherId: person.id, visitDate, containerIds: [box] }), 201).items as { id: number }[])[0]?.id ?? 0;
const move = async (id: number, ...steps: string[]) => {
  for (const to of steps) ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, { to }), 200, `${id} to ${to}`);
};
const cancel = async (who: Person, id: number) => void ok(await who.call('POST', `/api/v1/requests/${id}/cancel`, {}));
const checkPhotoIdOf = async (person: Person) => void ok(await staff.call('POST', `/api/v1/users/${person.id}/identity-verification`, { documentType: 'passport' }));
/** A researcher whose request holds the box that day, so that the next one for it waits. */
const holderOf = async (box: number, visitDate = MONDAY) => {
  const holder = await researcher();
  return { holder, holding: await submit(holder, box, visitDate) };
};

/** A box delivered to its researcher on Monday and back at the desk. */
const returnedBox = async (box: number) => {
  const reader = await researcher();
  await checkPhotoIdOf(reader);
  const id = await submit(reader, box);
  await move(id, 'paged', 'delivered', 'returned');
  return { reader, id };
};
const hold = async (id: number, holdUntil: string) => void ok(await staff.call('POST', `/api/v1/requests/${id}/transition`, { to: 'on_hold', holdUntil }), 200, `hold ${id}`);

/** A curator books a class session with one box; its request is the box's. */
const bookClass = async (box: number) => {
  const session = ok(
    await curator.call('POST', '/api/v1/class-sessions', {
      readingRoomId: 1,
      date: CLASS_DAY,
      startTime: '10:00',
      endTime: '11:00',
      title: `Seminar on box ${box}`,
      instructorName: 'An Instructor',
      instructorEmail: 'instructor@example.edu',
      headcount: 10,
      containerIds: [box],
    }),
    201,
  ) as { id: number; requestIds: number[] };
  return { session: session.id, id: session.requestIds[0] ?? 0 };
};
const cancelClass = async ({ session, id }: { session: number; id: number }) => (ok(await curator.call('POST', `/api/v1/class-sessions/${session}/cancel`, {})), id);

let closingTimeRun: Promise<void> | undefined;
/** Tuesday's closing time, run once for all the rows the system owns there. */
const closingTimeOnTuesday = () =>
  (closingTimeRun ??= Promise.resolve().then(async () => void (await closingTime(requestsContext(room.db, room.config), (await allRooms(room.db))[0]!, localInstant(TUESDAY, '17:00')))));

/**
 * How each (from > to : actor) comes about: `prepare` brings a request to `from` (none for a new
 * request), then `change` makes the change as its owner does and answers the request's id.
 */
const ways: Record<string, () => Promise<() => Promise<number>>> = {
  'new > awaiting_approval : researcher': async () => {
    const reader = await researcher();
    return () => submit(reader, 23);
  },
  'new > scheduled : researcher': async () => {
    const reader = await researcher();
    return () => submit(reader, 1);
  },
  'new > waitlisted : researcher': async () => {
    await holderOf(2);
    const reader = await researcher();
    return () => submit(reader, 2);
  },
  'new > awaiting_approval : staff': async () => {
    const reader = await researcher();
    return () => submitFor(reader, 29, WEDNESDAY);
  },
  'new > scheduled : staff': async () => {
    const reader = await researcher();
    return () => submitFor(reader, 1, WEDNESDAY);
  },
  'new > waitlisted : staff': async () => {
    await holderOf(2, WEDNESDAY);
    const reader = await researcher();
    return () => submitFor(reader, 2, WEDNESDAY);
  },
  'new > awaiting_approval : curator': async () => async () => (await bookClass(23)).id,
  'new > scheduled : curator': async () => async () => (await bookClass(1)).id,
  'new > waitlisted : curator': async () => {
    await holderOf(2, CLASS_DAY);
    return async () => (await bookClass(2)).id;
  },
  'awaiting_approval > cancelled : curator': async () => {
    const booked = await bookClass(24);
    return () => cancelClass(booked);
  },
  'waitlisted > cancelled : curator': async () => {
    await holderOf(3, CLASS_DAY);
    const booked = await bookClass(3);
    return () => cancelClass(booked);
  },
  'scheduled > cancelled : curator': async () => {
    const booked = await bookClass(4);
    return () => cancelClass(booked);
  },
  'awaiting_approval > scheduled : curator': async () => {
    const id = await submit(await researcher(), 24);
    return async () => (ok(await curator.call('POST', `/api/v1/requests/${id}/approve`, {})), id);
  },
  'awaiting_approval > waitlisted : curator': async () => {
    const { holding } = await holderOf(25);
    ok(await curator.call('POST', `/api/v1/requests/${holding}/approve`, {}));
    const id = await submit(await researcher(), 25);
    return async () => (ok(await curator.call('POST', `/api/v1/requests/${id}/approve`, {})), id);
  },
  'awaiting_approval > denied : curator': async () => {
    const id = await submit(await researcher(), 26);
    return async () => (ok(await curator.call('POST', `/api/v1/requests/${id}/deny`, { reason: 'Too fragile to travel.' })), id);
  },
  'waitlisted > scheduled : system': async () => {
    const { holder, holding } = await holderOf(3);
    const id = await submit(await researcher(), 3);
    return async () => (await cancel(holder, holding), id);
  },
  'awaiting_approval > cancelled : researcher': async () => {
    const reader = await researcher();
    const id = await submit(reader, 27);
    return async () => (await cancel(reader, id), id);
  },
  'awaiting_approval > cancelled : staff': async () => {
    const id = await submit(await researcher(), 29);
    return async () => (await cancel(staff, id), id);
  },
  'awaiting_approval > cancelled : system': async () => {
    const id = await submit(await researcher(), 23, TUESDAY);
    return async () => (await closingTimeOnTuesday(), id);
  },
  'waitlisted > cancelled : researcher': async () => {
    await holderOf(4);
    const reader = await researcher();
    const id = await submit(reader, 4);
    return async () => (await cancel(reader, id), id);
  },
  'waitlisted > cancelled : staff': async () => {
    await holderOf(5);
    const id = await submit(await researcher(), 5);
    return async () => (await cancel(staff, id), id);
  },
  'waitlisted > cancelled : system': async () => {
    await holderOf(6, TUESDAY);
    const id = await submit(await researcher(), 6, TUESDAY);
    return async () => (await closingTimeOnTuesday(), id);
  },
  'scheduled > cancelled : researcher': async () => {
    const reader = await researcher();
    const id = await submit(reader, 7);
    return async () => (await cancel(reader, id), id);
  },
  'scheduled > cancelled : staff': async () => {
    const id = await submit(await researcher(), 8);
    return async () => (await cancel(staff, id), id);
  },
  'paged > cancelled : staff': async () => {
    const id = await submit(await researcher(), 9);
    await move(id, 'paged');
    return async () => (await cancel(staff, id), id);
  },
  'scheduled > paged : staff': async () => {
    const id = await submit(await researcher(), 10);
    return async () => (await move(id, 'paged'), id);
  },
  'paged > delivered : staff': async () => {
    const reader = await researcher();
    const id = await submit(reader, 11);
    await move(id, 'paged');
    await checkPhotoIdOf(reader);
    return async () => (await move(id, 'delivered'), id);
  },
  'delivered > returned : staff': async () => {
    const reader = await researcher();
    const id = await submit(reader, 12);
    await checkPhotoIdOf(reader);
    await move(id, 'paged', 'delivered');
    return async () => (await move(id, 'returned'), id);
  },
  'returned > reshelved : staff': async () => {
    const reader = await researcher();
    const id = await submit(reader, 13);
    await checkPhotoIdOf(reader);
    await move(id, 'paged', 'delivered', 'returned');
    return async () => (await move(id, 'reshelved'), id);
  },
  'scheduled > no_show : staff': async () => {
    const id = await submit(await researcher(), 14);
    return async () => (await move(id, 'no_show'), id);
  },
  'scheduled > no_show : system': async () => {
    const id = await submit(await researcher(), 16, TUESDAY);
    return async () => (await closingTimeOnTuesday(), id);
  },
  'paged > no_show : staff': async () => {
    const id = await submit(await researcher(), 15);
    await move(id, 'paged');
    return async () => (await move(id, 'no_show'), id);
  },
  'paged > no_show : system': async () => {
    const id = await submit(await researcher(), 17, TUESDAY);
    await move(id, 'paged');
    return async () => (await closingTimeOnTuesday(), id);
  },
  'returned > on_hold : staff': async () => {
    const { id } = await returnedBox(19);
    return async () => (await hold(id, WEDNESDAY), id);
  },
  'on_hold > delivered : staff': async () => {
    const { id } = await returnedBox(20);
    await hold(id, WEDNESDAY);
    // On a held day: the day of the visit itself, by the room's clock.
    return async () => {
      room.setNow(localInstant(MONDAY, '10:00'));
      try {
        await move(id, 'delivered');
      } finally {
        room.setNow(THANKSGIVING_MORNING);
      }
      return id;
    };
  },
  'on_hold > reshelved : staff': async () => {
    const { id } = await returnedBox(21);
    await hold(id, WEDNESDAY);
    return async () => (await move(id, 'reshelved'), id);
  },
  'on_hold > reshelved : researcher': async () => {
    const { reader, id } = await returnedBox(22);
    await hold(id, WEDNESDAY);
    return async () => (ok(await reader.call('POST', `/api/v1/requests/${id}/release`, {})), id);
  },
  'on_hold > reshelved : system': async () => {
    const { id } = await returnedBox(28);
    await hold(id, TUESDAY);
    return async () => (await closingTimeOnTuesday(), id);
  },
  'no_show > reshelved : staff': async () => {
    const id = await submit(await researcher(), 18);
    await move(id, 'paged', 'no_show');
    return async () => (await move(id, 'reshelved'), id);
  },
};

const rowsOfTheTable = transitions.flatMap((t) => t.by.map((actor) => `${t.from ?? 'new'} > ${t.to} : ${actor}`));

describe('every row of the status table happens through whoever owns it', () => {
  before(async () => {
    room = await startReadingRoom();
    staff = await makePerson(room, 'staff');
    curator = await makePerson(room, 'curator');
  });
  after(async () => {
    await room.close();
  });

  it('has a way here for each row and actor of the table, and none for a change the table does not list', () => {
    assert.deepEqual(rowsOfTheTable.filter((row) => !(row in ways)), []);
    assert.deepEqual(Object.keys(ways).filter((way) => !rowsOfTheTable.includes(way)), []);
  });

  it('makes each change, and records it with the actor who owns it', async () => {
    // All prepared first, so that Tuesday's closing time finds every request it owns in place.
    const changes = new Map<string, () => Promise<number>>();
    for (const [row, prepare] of Object.entries(ways)) changes.set(row, await prepare());
    for (const [row, change] of changes) {
      const [from, to, actor] = /^(\S+) > (\S+) : (\S+)$/.exec(row)?.slice(1) ?? [];
      const id = await change();
      const events = await eventsOf(room.db, id);
      const event = events.find((e) => e.toStatus === to && (e.fromStatus ?? 'new') === from);
      assert.ok(event, `${row}: request ${id} went ${events.map((e) => `${e.fromStatus ?? 'new'}>${e.toStatus}`).join(', ')}`);
      assert.equal(event.actorRole, actor, row);
      assert.equal(event.actorId === null, actor === 'system', `${row}: the system has no actor id, a person has theirs`);
    }
  });
});
