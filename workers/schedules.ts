import type { Queue } from 'bullmq';
import type { Config } from '../src/config.ts';
import type { QueueName } from '../src/outbox/store.ts';

export interface Schedule {
  queue: QueueName;
  id: string;
  /** Cron, in READING_ROOM_TZ (the first room's zone: the night's upkeep needs no finer clock). */
  pattern: string;
  data?: Record<string, string>;
  /** How many of its completed jobs to keep, when not the queue's week of them. */
  keepCompleted?: number;
}

/**
 * The timed work. Each reading room keeps its own pull times, reminder and closing times in its
 * own time zone, and an admin may change them or add a room at any time: so rather than a
 * scheduler per room and time (which every change would have to redo), the `paging` queue asks
 * every minute what is due in each room (src/paging/runs.ts roomClock), which also catches up
 * after a worker was down. The nightly upkeep runs at quiet hours, with the OAI-PMH harvest of
 * finding aids at 02:00 when OAI_URL is set (before the upkeep, long before anyone requests).
 */
export function schedules(config: Pick<Config, 'oaiUrl'>): Schedule[] {
  return [
    // A tick a minute: a day of them is kept for the dashboard, not the week other jobs keep.
    { queue: 'paging', id: 'reading-room-clock', pattern: '* * * * *', keepCompleted: 1440 },
    { queue: 'maintenance', id: 'seed-holidays', pattern: '0 3 * * *' },
    { queue: 'maintenance', id: 'expire-tokens', pattern: '30 3 * * *' },
    ...(config.oaiUrl ? [{ queue: 'maintenance' as const, id: 'oai-harvest', pattern: '0 2 * * *' }] : []),
  ];
}

/**
 * Upserts every schedule, at every start: a Redis that lost its data gets them back. Schedules
 * no longer configured (a pull time removed) are removed.
 */
export async function upsertSchedules(queues: Record<QueueName, Queue>, config: Config): Promise<void> {
  const wanted = schedules(config);
  for (const { queue, id, pattern, data, keepCompleted } of wanted) {
    const opts = keepCompleted === undefined ? {} : { opts: { removeOnComplete: { count: keepCompleted } } };
    await queues[queue].upsertJobScheduler(id, { pattern, tz: config.timezone }, { name: id, data: data ?? {}, ...opts });
  }
  for (const [name, queue] of Object.entries(queues)) {
    for (const existing of await queue.getJobSchedulers()) {
      if (existing.key && !wanted.some((s) => s.queue === name && s.id === existing.key)) await queue.removeJobScheduler(existing.key);
    }
  }
}
