import type { Clock } from './clock.js';

/**
 * A process-wide memo for values that are expensive to fetch and change rarely. Concurrent misses for one
 * key share a single load (in-flight de-duplication); a failed load, or one that found nothing, is not kept,
 * so the next caller tries again instead of being served a stale failure.
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<T | undefined>>();

  constructor(private readonly ttlMs: number, private readonly clock: Clock) {}

  get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return Promise.resolve(hit.value);
    if (hit) this.entries.delete(key);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const started = load()
      .then((value) => {
        if (value !== undefined) this.entries.set(key, { value, expiresAt: this.clock.now().getTime() + this.ttlMs });
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }
}
