import { closeDatabase, openDatabase } from '../db/client.ts';
import { seatsTaken } from '../src/appointments/store.ts';
import { ROOM, type Fixture } from './fixtures.ts';
import { json } from './loads.ts';

// What the appointment scenarios assert besides their figures: that `write.appointments` booked an
// appointment with every request it counts, and that `seats.guarantee` sold each seat once.

/**
 * Each request of `write.appointments` must have booked an appointment of its own, not joined one,
 * or the scenario measured submissions, not bookings. Returns how many it made.
 */
export async function bookingsWithRequests(databasePath: string): Promise<number> {
  const db = openDatabase(databasePath);
  const { requests, appointments } = db.$client
    .prepare(`select count(*) as requests, count(distinct appointment_id) as appointments from requests where appointment_id is not null`)
    .get() as { requests: number; appointments: number };
  await closeDatabase(db);
  if (requests !== appointments) throw new Error(`write.appointments: ${requests} requests made only ${appointments} appointments; the scenario must book a new one with each`);
  return appointments;
}

/** `seats.guarantee`: the room's seats on its day, and the researchers who ask for one at the same moment. */
export const GUARANTEE_SEATS = 10;
const GUARANTEE_RESEARCHERS = 200;

export interface SeatGuarantee {
  seats: number;
  researchers: number;
  /** 201 answers. */
  bookingsMade: number;
  /** The 201 answers of each server process: bookings made through both show that the processes raced for the seats. */
  madeByServer: number[];
  /** 409 READING_ROOM_FULL answers. */
  refusedFull: number;
  /** Any other answers, as `status code×count`: each one is a booking refused for a reason the scenario does not intend. */
  otherAnswers: string;
  /** Seat-taking appointments of the room that day, counted in the database after the last answer. */
  inDatabase: number;
  /** From the first request sent to the last answer. */
  ms: number;
  met: boolean;
}

/**
 * GUARANTEE_RESEARCHERS distinct researchers each ask for an appointment on the same open day at
 * once, by turns to each server in `urls` (processes on one database file): exactly
 * GUARANTEE_SEATS bookings may be made, every other answer must be READING_ROOM_FULL.
 */
export async function bookAtOnce(fixture: Fixture, urls: string[]): Promise<SeatGuarantee> {
  const date = fixture.writeDates[0] as string;
  const started = performance.now();
  // Every fetch is started before any answer is awaited; undici opens a connection for each.
  const answers = await Promise.all(
    fixture.researcherTokens.slice(0, GUARANTEE_RESEARCHERS).map(async (token, i) => {
      const answer = await fetch(`${urls[i % urls.length]}/api/v1/appointments`, { method: 'POST', headers: json(token), body: JSON.stringify({ readingRoomId: ROOM, date }) });
      const { code } = (await answer.json()) as { code?: string };
      return { server: i % urls.length, outcome: answer.status === 201 ? 'made' : `${answer.status} ${code ?? ''}`.trim() };
    }),
  );
  const ms = Math.round(performance.now() - started);
  const tally = new Map<string, number>();
  for (const { outcome } of answers) tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
  const bookingsMade = tally.get('made') ?? 0;
  const madeByServer = urls.map((_, server) => answers.filter((a) => a.server === server && a.outcome === 'made').length);
  const refusedFull = tally.get('409 READING_ROOM_FULL') ?? 0;
  const otherAnswers = [...tally].filter(([answer]) => answer !== 'made' && answer !== '409 READING_ROOM_FULL').map(([answer, count]) => `${answer}×${count}`).join(' ');

  const db = openDatabase(fixture.databasePath);
  const inDatabase = (await seatsTaken(db, ROOM, date, date)).get(date) ?? 0;
  await closeDatabase(db);
  const met = bookingsMade === GUARANTEE_SEATS && inDatabase === GUARANTEE_SEATS && refusedFull === GUARANTEE_RESEARCHERS - GUARANTEE_SEATS;
  return { seats: GUARANTEE_SEATS, researchers: GUARANTEE_RESEARCHERS, bookingsMade, madeByServer, refusedFull, otherAnswers, inDatabase, ms, met };
}

/** One line for the run's output: the figures, then whether the guarantee held. */
export function describeGuarantee(g: SeatGuarantee): string {
  return (
    `seats.guarantee: ${g.bookingsMade} bookings made for ${g.seats} seats, ${g.refusedFull} × 409 READING_ROOM_FULL${g.otherAnswers ? `, other answers ${g.otherAnswers}` : ''}; ` +
    `the database counts ${g.inDatabase} seat-taking appointments that day (${g.researchers} researchers at once, by turns to ${g.madeByServer.length} servers, which made ${g.madeByServer.join(' and ')}; in ${g.ms} ms). ` +
    `met: ${g.met ? 'yes' : `NO: exactly ${g.seats} bookings must be made, every other one refused as full`}`
  );
}
