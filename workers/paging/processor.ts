import type { Job } from 'bullmq';
import type { Clock } from '../../src/domain/calendar.ts';
import { roomClock } from '../../src/paging/runs.ts';
import type { RequestsContext } from '../../src/requests/moves.ts';
import type { Log } from '../queues.ts';

/**
 * The reading rooms' clock, asked every minute: each room's paging runs, reminders and closing
 * time that are due and not yet done (each is done once, whatever the number of asks).
 */
export function pagingProcessor({ ctx, clock, log }: { ctx: RequestsContext; clock: Clock; log: Pick<Log, 'warn'> }) {
  return async (job: Job) => {
    if (job.name !== 'reading-room-clock') throw new Error(`unknown paging job ${job.name}`);
    const runs = await roomClock(ctx, clock());
    for (const { roomId, run, outcome } of runs) {
      if (outcome.done && outcome.skipped) log.warn({ roomId, run, skipped: outcome.skipped }, 'a timed run left alone requests that were not in the state it expected');
    }
    return runs;
  };
}
