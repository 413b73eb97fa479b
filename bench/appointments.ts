import { openDatabase } from '../db/client.ts';

// What the appointment scenarios assert besides their figures: that `write.appointments` booked an
// appointment with every request it counts.

/**
 * Each request of `write.appointments` must have booked an appointment of its own, not joined one,
 * or the scenario measured submissions, not bookings. Returns how many it made.
 */
export function bookingsWithRequests(databasePath: string): number {
  const db = openDatabase(databasePath);
  const { requests, appointments } = db.$client
    .prepare(`select count(*) as requests, count(distinct appointment_id) as appointments from requests where appointment_id is not null`)
    .get() as { requests: number; appointments: number };
  db.$client.close();
  if (requests !== appointments) throw new Error(`write.appointments: ${requests} requests made only ${appointments} appointments; the scenario must book a new one with each`);
  return appointments;
}
