// ARM's per-principal token buckets (subscription reads 250, refill 25/s; writes 200, refill 10/s).
// The sim always reports what is left in x-ms-ratelimit-remaining-subscription-*; it only refuses
// requests when asked to (SimOptions.enforceRateLimits), so ordinary tests never trip over it. Time comes
// from the sim's clock (SimOptions.clock), so a test on a virtual clock gets exact 429s and Retry-Afters.

interface Bucket { tokens: number; at: number }

const LIMITS = { reads: { size: 250, perSecond: 25 }, writes: { size: 200, perSecond: 10 } } as const;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Takes one token; returns what is left (negative = empty) and how long until one is back. */
  take(principal: string, kind: 'reads' | 'writes', now = this.clock()): { remaining: number; retryAfterSeconds: number } {
    const { size, perSecond } = LIMITS[kind];
    const key = `${principal}:${kind}`;
    const b = this.buckets.get(key) ?? { tokens: size, at: now };
    b.tokens = Math.min(size, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    if (b.tokens >= 1) b.tokens -= 1;
    else {
      this.buckets.set(key, b);
      return { remaining: -1, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
    }
    this.buckets.set(key, b);
    return { remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
  }
}
