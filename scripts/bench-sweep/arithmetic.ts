// The benchmark's arithmetic, kept pure so it can be tested on its own (test/unit/sweep/bench-floor.test.ts).

/** Resource Graph's documented per-user quota: 15 queries per 5-second window. */
export const QUOTA = { queriesPerWindow: 15, windowSeconds: 5 } as const;
/** The most rows one Resource Graph page holds ($top is capped at 1,000). */
export const ROWS_PER_PAGE = 1000;

/**
 * Pages one query needs: ceil(rows / 1000), and at least one, since even an empty result costs a query
 * against the quota.
 */
export function pagesFor(rows: number, rowsPerPage = ROWS_PER_PAGE): number {
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a non-negative integer, not ${rows}`);
  return Math.max(1, Math.ceil(rows / rowsPerPage));
}

/** The fewest Resource Graph queries that can return these results: the sum of their pages. */
export function minimumQueries(rowsPerQuery: readonly number[], rowsPerPage = ROWS_PER_PAGE): number {
  return rowsPerQuery.reduce((sum, rows) => sum + pagesFor(rows, rowsPerPage), 0);
}

/**
 * The least time the quota allows for `queries` queries, in seconds. A window opens with the first query
 * and holds `queriesPerWindow` of them, so the first window's queries can all go at once, and each later
 * window opens `windowSeconds` after the one before: with Q queries the last window opens
 * (ceil(Q / 15) - 1) × 5 s after the first query. That is a floor: it leaves out the latency of the
 * queries themselves and any work done between them.
 */
export function quotaFloorSeconds(queries: number, quota: { queriesPerWindow: number; windowSeconds: number } = QUOTA): number {
  if (!Number.isInteger(queries) || queries < 0) throw new Error(`queries must be a non-negative integer, not ${queries}`);
  return Math.max(0, Math.ceil(queries / quota.queriesPerWindow) - 1) * quota.windowSeconds;
}

export interface Target {
  readonly value: number | null;
  readonly limit: number;
  /** `max`: value must be at most limit; `min`: at least. */
  readonly kind: 'max' | 'min';
  readonly met: boolean;
}

/** value ≤ limit (or ≥ for `min`); a value that could not be computed (null) never meets a target. */
export function target(value: number | null, limit: number, kind: 'max' | 'min' = 'max'): Target {
  const rounded = value === null || !Number.isFinite(value) ? null : round(value, 3);
  const met = rounded !== null && (kind === 'max' ? value! <= limit : value! >= limit);
  return { value: rounded, limit, kind, met };
}

/** a / b, or null when b is 0 (a ratio to a zero floor says nothing). */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface NaiveSample {
  /** Logical calls the sample made (list pages + assessment GETs), not counting re-sends after a 429. */
  readonly calls: number;
  readonly seconds: number;
  /** Calls completed before the first 429, and when (s since the start); undefined if none was throttled. */
  readonly beforeThrottle?: { readonly calls: number; readonly seconds: number };
}

/**
 * The naive walk's time for `totalCalls`, from a sample. Once ARM's read bucket is empty the walk runs at
 * the bucket's refill rate, whatever its concurrency, so: the sample's unthrottled start (the burst) as
 * measured, then the rest at the sample's measured throttled rate. Without throttling in the sample the
 * time is scaled by the number of calls.
 */
export function extrapolateNaive(sample: NaiveSample, totalCalls: number): { seconds: number; linearSeconds: number; throttledRatePerSecond: number | null } {
  const linearSeconds = sample.calls > 0 ? (sample.seconds * totalCalls) / sample.calls : 0;
  const burst = sample.beforeThrottle;
  if (!burst || sample.calls <= burst.calls || sample.seconds <= burst.seconds) {
    return { seconds: linearSeconds, linearSeconds, throttledRatePerSecond: null };
  }
  const rate = (sample.calls - burst.calls) / (sample.seconds - burst.seconds);
  return { seconds: burst.seconds + Math.max(0, totalCalls - burst.calls) / rate, linearSeconds, throttledRatePerSecond: rate };
}
