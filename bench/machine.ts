import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

// The machine, and how busy it was with work that is not the benchmark's: load generator and
// server share its cores, and anything else running (a test suite, a compiler) skews the figures.

export function describeMachine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'cpu';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}; load generator, servers and workers share these cores`;
}

export const loadAverage = () => loadavg().map((n) => n.toFixed(2)).join(' ');

const TICKS_PER_SECOND = 100;

/** Busy and total CPU time of the whole machine, in seconds (Linux; zeros elsewhere). */
function machineCpu(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** CPU time (user + system, seconds) of another process of ours (Linux; 0 elsewhere). */
export function processCpu(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, seconds) of this process. */
export const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Starts measuring; the returned function gives the share of the machine's CPU (percent of all
 * cores) used by processes other than this one and `pids` meanwhile: near 0 on a quiet machine.
 */
export function foreignCpuMeter(pids: number[] = []): () => number {
  const machine = machineCpu();
  const ours = ownCpu() + pids.reduce((sum, pid) => sum + processCpu(pid), 0);
  return () => {
    const now = machineCpu();
    const oursNow = ownCpu() + pids.reduce((sum, pid) => sum + processCpu(pid), 0);
    const total = now.total - machine.total;
    if (total <= 0) return 0;
    return Math.max(0, Math.round((100 * (now.busy - machine.busy - (oursNow - ours))) / total));
  };
}

/**
 * Waits (at most `maxSeconds`) until other processes use less than `threshold` percent of the CPU
 * over one second, so a scenario does not start in the middle of someone else's test suite.
 * Returns that last share.
 */
export async function waitForQuiet(maxSeconds: number, threshold = 10): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const foreign = foreignCpuMeter();
    await new Promise((r) => setTimeout(r, 1000));
    const share = foreign();
    if (share < threshold || Date.now() >= deadline) return share;
  }
}
