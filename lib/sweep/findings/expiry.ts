import { DAY_MS } from '../../core/time.js';

export type ExpiryStanding =
  | { readonly kind: 'expiring'; readonly threshold: number; readonly daysLeft: number }
  | { readonly kind: 'expired'; readonly expiredDays: number }
  | { readonly kind: 'noExpiry' }
  | { readonly kind: 'ok' };

/**
 * Where an expiry stands at `now`. An exemption inside several warning windows is reported at the
 * tightest one only (5 days left with 30,7,1 → the 7-day threshold): each threshold crossed is a new
 * finding, so its notice goes out once, when it is crossed. `warnDays` is largest first.
 */
export function expiryStanding(expiresOn: string | undefined, now: Date, warnDays: readonly number[]): ExpiryStanding {
  if (expiresOn === undefined) return { kind: 'noExpiry' };
  const left = Date.parse(expiresOn) - now.getTime();
  if (left <= 0) return { kind: 'expired', expiredDays: -left / DAY_MS };
  const reached = warnDays.filter((days) => left <= days * DAY_MS);
  const threshold = reached.length > 0 ? Math.min(...reached) : undefined;
  return threshold === undefined ? { kind: 'ok' } : { kind: 'expiring', threshold, daysLeft: left / DAY_MS };
}
