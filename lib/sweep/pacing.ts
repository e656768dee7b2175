/**
 * Time as the sweep sees it. Every wait (quota windows, Retry-After, back-off) goes through one
 * `Pacer`, so tests drive it with a fake clock and the run report can say how long the run spent waiting.
 */
export interface Pacer {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacer: Pacer = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What a run spent: for the run report and the benchmark, not for control flow. */
export interface SourceStats {
  /** Requests sent (each Resource Graph page is one query against the user quota). */
  requests: number;
  /** Answers that were 429. */
  throttled: number;
  /** Re-sends after a 429 or 5xx. */
  retries: number;
  /** Total time slept, whatever the reason. */
  waitedMs: number;
  /** Of which: waiting for a Resource Graph quota window to reset before a query. */
  quotaWaitedMs: number;
}

export function newSourceStats(): SourceStats {
  return { requests: 0, throttled: 0, retries: 0, waitedMs: 0, quotaWaitedMs: 0 };
}

/** Sleeps through the pacer and books the time; a non-positive wait is no wait. */
export async function pause(pacer: Pacer, stats: SourceStats, ms: number): Promise<void> {
  if (!(ms > 0)) return;
  stats.waitedMs += ms;
  await pacer.sleep(ms);
}
