export interface Scenario {
  name: string;
  rps: number;
  p50ms: number;
  p99ms: number;
  baseline: string;
  ratio: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** A scenario's figures from its latencies (ms) and its wall time (ms) for `count` operations. */
export function summarise(name: string, latencies: number[], count: number, elapsedMs: number, baseline: string): Omit<Scenario, 'ratio'> {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  // A rate below 10 a second (a report's) keeps three significant digits, for its ratio's sake.
  const rate = (count / elapsedMs) * 1000;
  return { name, rps: rate < 10 ? Number(rate.toPrecision(3)) : round(rate), p50ms: round(percentile(sorted, 50)), p99ms: round(percentile(sorted, 99)), baseline };
}
