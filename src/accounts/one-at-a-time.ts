/**
 * Runs the attempts on one address one after another, in this process. The per-address limits
 * count audit records written after a password hash (about 50 ms): without this, thirty attempts
 * sent at once would all be counted against a limit none of them had yet recorded.
 */
const queues = new Map<string, Promise<unknown>>();

export async function oneAtATime<T>(address: string, attempt: () => Promise<T>): Promise<T> {
  const previous = queues.get(address) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(attempt);
  queues.set(address, current);
  try {
    return await current;
  } finally {
    if (queues.get(address) === current) queues.delete(address);
  }
}
