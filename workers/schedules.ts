import type { Queue } from 'bullmq';
import type { Config } from '../src/config.ts';
import type { QueueName } from '../src/outbox/store.ts';

export interface Schedule {
  queue: QueueName;
  id: string;
  /** Cron, in the reading room's time zone. */
  pattern: string;
  data?: Record<string, string>;
}

const WEEKDAYS = '1-5';
const cronAt = (time: string, days = '*') => {
  const [hour, minute] = time.split(':').map(Number);
  return `${minute} ${hour} * * ${days}`;
};

/**
 * The reading room's timed work: paging runs at the pull times and reminders on weekdays (each
 * run skips closures itself), closing time every weekday, and the nightly upkeep, with the OAI-PMH
 * harvest of finding aids when OAI_URL is set (at 02:00, before the upkeep and long before anyone
 * requests from the catalogue).
 */
export function schedules(config: Pick<Config, 'pagingTimes' | 'reminderTime' | 'closingTime' | 'oaiUrl'>): Schedule[] {
  return [
    ...config.pagingTimes.map((time) => ({
      queue: 'paging' as const,
      id: `paging-run-${time.replace(':', '')}`,
      pattern: cronAt(time, WEEKDAYS),
      data: { pullTime: time },
    })),
    { queue: 'maintenance', id: 'visit-reminders', pattern: cronAt(config.reminderTime, WEEKDAYS) },
    { queue: 'maintenance', id: 'closing-time', pattern: cronAt(config.closingTime, WEEKDAYS) },
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
  for (const { queue, id, pattern, data } of wanted) {
    await queues[queue].upsertJobScheduler(id, { pattern, tz: config.timezone }, { name: id, data: data ?? {} });
  }
  for (const [name, queue] of Object.entries(queues)) {
    for (const existing of await queue.getJobSchedulers()) {
      if (existing.key && !wanted.some((s) => s.queue === name && s.id === existing.key)) await queue.removeJobScheduler(existing.key);
    }
  }
}
