// Resource Graph's per-user quota: a number of queries per fixed window per client, reported on every
// answer in x-ms-user-quota-remaining / x-ms-user-quota-resets-after (hh:mm:ss); over it: 429. A window
// opens with a client's first query after the previous one ended. The clock is injectable so tests move
// time instead of sleeping.

export interface QuotaOptions {
  /** Queries per window. Default 15 (Resource Graph's documented per-user limit). */
  limit?: number;
  /** Window length in ms. Default 5000. */
  windowMs?: number;
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
}

export interface QuotaDecision {
  allowed: boolean;
  remaining: number;
  resetsAfterMs: number;
  headers: Record<string, string>;
}

export class UserQuota {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: () => number;
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(o: QuotaOptions = {}) {
    this.limit = o.limit ?? 15;
    this.windowMs = o.windowMs ?? 5000;
    this.clock = o.clock ?? Date.now;
    if (!Number.isInteger(this.limit) || this.limit < 1) throw new Error('quota limit must be a positive integer');
    if (!(this.windowMs > 0)) throw new Error('quota window must be positive');
  }

  /** Counts one query for `client` unless its window is used up. */
  take(client: string): QuotaDecision {
    const now = this.clock();
    let w = this.windows.get(client);
    if (!w || now >= w.start + this.windowMs) this.windows.set(client, (w = { start: now, used: 0 }));
    const allowed = w.used < this.limit;
    if (allowed) w.used++;
    const remaining = this.limit - w.used;
    const resetsAfterMs = w.start + this.windowMs - now;
    return {
      allowed, remaining, resetsAfterMs,
      headers: { 'x-ms-user-quota-remaining': String(remaining), 'x-ms-user-quota-resets-after': hhmmss(resetsAfterMs) },
    };
  }
}

/** Whole seconds, rounded up so a client that waits that long is in a fresh window. */
export function hhmmss(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
