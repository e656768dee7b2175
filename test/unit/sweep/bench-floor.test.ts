import { describe, expect, it } from 'vitest';
import { extrapolateNaive, minimumQueries, pagesFor, quotaFloorSeconds, ratio, target } from '../../../scripts/bench-sweep/arithmetic.js';

describe('bench:sweep arithmetic', () => {
  it('a query needs ceil(rows / 1000) pages, and one even when empty', () => {
    expect([0, 1, 999, 1000, 1001, 100_000].map((rows) => pagesFor(rows))).toEqual([1, 1, 1, 1, 2, 100]);
    expect(() => pagesFor(-1)).toThrow();
    expect(() => pagesFor(1.5)).toThrow();
  });

  it('the minimum queries are the pages of every query summed', () => {
    // assignments, exemptions, resources, assessments of the 1,000 × 100,000 estate (orphans have no resource)
    expect(minimumQueries([1000, 100_000, 95_012, 95_012])).toBe(1 + 100 + 96 + 96);
    expect(minimumQueries([])).toBe(0);
  });

  it('the quota floor: the first window\'s 15 queries go at once, each further window costs 5 s', () => {
    expect(quotaFloorSeconds(0)).toBe(0);
    expect(quotaFloorSeconds(1)).toBe(0);
    expect(quotaFloorSeconds(15)).toBe(0);
    expect(quotaFloorSeconds(16)).toBe(5);
    expect(quotaFloorSeconds(30)).toBe(5);
    expect(quotaFloorSeconds(31)).toBe(10);
    expect(quotaFloorSeconds(293)).toBe(19 * 5);
    expect(quotaFloorSeconds(10, { queriesPerWindow: 3, windowSeconds: 2 })).toBe(6);
    expect(() => quotaFloorSeconds(-1)).toThrow();
  });

  it('targets: at most, at least, and never met without a value', () => {
    expect(target(1.1, 1.15)).toEqual({ value: 1.1, limit: 1.15, kind: 'max', met: true });
    expect(target(1.15, 1.15).met).toBe(true);
    expect(target(1.16, 1.15).met).toBe(false);
    expect(target(25, 20, 'min').met).toBe(true);
    expect(target(19.99, 20, 'min').met).toBe(false);
    expect(target(ratio(3, 0), 1.15)).toEqual({ value: null, limit: 1.15, kind: 'max', met: false });
    expect(ratio(101_000, 300)).toBeCloseTo(336.67, 2);
  });

  it('the naive walk: the burst as measured, the rest at the throttled rate', () => {
    // 250 calls in 2 s before the first 429, then 1,750 calls in 70 s (25/s): 100,000 calls ≈ 2 + 99,750 / 25.
    const sample = { calls: 2000, seconds: 72, beforeThrottle: { calls: 250, seconds: 2 } };
    const estimate = extrapolateNaive(sample, 100_000);
    expect(estimate.throttledRatePerSecond).toBeCloseTo(25, 6);
    expect(estimate.seconds).toBeCloseTo(2 + 99_750 / 25, 6);
    expect(estimate.linearSeconds).toBeCloseTo(3600, 6);
    // Never throttled: scaled by the number of calls.
    expect(extrapolateNaive({ calls: 100, seconds: 10 }, 1000)).toEqual({ seconds: 100, linearSeconds: 100, throttledRatePerSecond: null });
  });
});
