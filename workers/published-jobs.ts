import type { Queue } from 'bullmq';
import type { RedisConnection } from '../src/redis.ts';

/** A job BullMQ already holds under an id the relay is about to publish. */
export interface PublishedJob {
  state: 'completed' | 'failed' | 'pending';
  data: { outboxId?: number; key?: string } | undefined;
  /** What the worker returned, for a completed job. */
  returnValue: unknown;
  retry(): Promise<void>;
}

/** A job's data as JSON; what is not JSON (some other program's key in a shared Redis) names no row. */
function parsed(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * Looks up, in one round trip, which of these job ids BullMQ already holds, and in what state.
 * BullMQ's add answers an existing id as if it had added the job, so the relay asks first.
 */
export async function jobsAlreadyThere(redis: RedisConnection, queue: Queue, jobIds: string[]): Promise<(PublishedJob | undefined)[]> {
  await queue.waitUntilReady(); // the connection BullMQ shares with us may still be connecting
  const pipeline = redis.pipeline();
  for (const id of jobIds) {
    pipeline.hmget(queue.toKey(id), 'data', 'returnvalue');
    pipeline.zscore(queue.toKey('completed'), id);
    pipeline.zscore(queue.toKey('failed'), id);
  }
  const replies = (await pipeline.exec()) ?? [];
  const reply = (i: number) => {
    const [error, value] = replies[i] ?? [new Error('no reply')];
    if (error) throw error;
    return value;
  };
  return jobIds.map((id, i) => {
    const [data, returnValue] = reply(3 * i) as [string | null, string | null];
    if (data === null) return undefined;
    const state = reply(3 * i + 1) !== null ? 'completed' : reply(3 * i + 2) !== null ? 'failed' : 'pending';
    return {
      state,
      data: parsed(data) as PublishedJob['data'],
      returnValue: returnValue === null ? undefined : (JSON.parse(returnValue) as unknown),
      retry: async () => (await queue.getJob(id))?.retry('failed', { resetAttemptsMade: true }),
    };
  });
}
