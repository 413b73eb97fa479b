import { Worker } from 'node:worker_threads';

// A case that loops forever inside a route never gives the event loop back: no timer, no test
// timeout can end it, and the run would hang (or grow until the heap is gone). The watchdog runs
// in a thread of its own: when one case has held the main thread longer than the limit, it writes
// the case to stderr and ends the process, so CI fails in seconds with the reproducing input.

const LABEL_BYTES = 8192;

const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Float64Array(workerData.buffer, 0, 1);
const length = new Int32Array(workerData.buffer, 8, 1);
const label = new Uint8Array(workerData.buffer, 12, ${LABEL_BYTES});
setInterval(() => {
  const since = state[0];
  if (since > 0 && Date.now() - since > workerData.limitMs) {
    const text = Buffer.from(label.slice(0, Atomics.load(length, 0))).toString('utf8');
    writeSync(2, '\\nFUZZ WATCHDOG: one case held the event loop for more than ' + workerData.limitMs + ' ms (an endless loop in the route?); ending the run.\\nThe case: ' + text + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 250);
`;

export interface Watchdog {
  /** A case starts: `label` says how to reproduce it. */
  busy(label: string): void;
  /** The case answered. */
  idle(): void;
  stop(): Promise<void>;
}

export function startWatchdog(limitMs: number): Watchdog {
  const buffer = new SharedArrayBuffer(12 + LABEL_BYTES);
  const state = new Float64Array(buffer, 0, 1);
  const length = new Int32Array(buffer, 8, 1);
  const label = new Uint8Array(buffer, 12, LABEL_BYTES);
  const worker = new Worker(WATCHER, { eval: true, workerData: { buffer, limitMs } });
  worker.unref();
  return {
    busy(text) {
      const bytes = Buffer.from(text.slice(0, LABEL_BYTES / 4), 'utf8').subarray(0, LABEL_BYTES);
      label.set(bytes);
      Atomics.store(length, 0, bytes.length);
      state[0] = Date.now();
    },
    idle() {
      state[0] = 0;
    },
    async stop() {
      await worker.terminate();
    },
  };
}
