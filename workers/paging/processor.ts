import type { Job } from 'bullmq';
import type { Clock } from '../../src/domain/calendar.ts';
import { pagingRun } from '../../src/paging/runs.ts';
import type { RequestsContext } from '../../src/requests/moves.ts';

/** A paging run at a pull time: the next business day's pick list, mailed to staff once. */
export function pagingProcessor({ ctx, clock }: { ctx: RequestsContext; clock: Clock }) {
  return async (job: Job<{ pullTime?: string }>) => {
    if (!job.data.pullTime) throw new Error(`paging job ${job.name} has no pull time`);
    return pagingRun(ctx, job.data.pullTime, clock());
  };
}
