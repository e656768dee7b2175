import type { z } from 'zod';
import { lazily, zod } from '../core/lazy-zod.js';
import type { RequestFilter } from '../requests/ports/store.js';
import { derivedKey, hmac, macMatches } from './signing-keys.js';

/**
 * The paging token we hand out is opaque and signed: the storage token inside it and the filter it was
 * issued for are sealed with an HMAC under a key of its own, so a forged, tampered or re-used-with-another-
 * filter token is refused here, before anything reaches Table Storage (which answers odd tokens with
 * errors of its own, or worse, with rows).
 */
const VERSION = 'c1';
const SHAPE = /^c1\.([A-Za-z0-9_-]{1,1800})\.([A-Za-z0-9_-]{43})$/;
const payloadSchema = lazily(() => {
  const z = zod();
  return z.strictObject({ f: z.string().max(1024), t: z.string().min(1).max(1024) });
});

export type OpenedToken = { readonly ok: true; readonly storeToken: string } | { readonly ok: false; readonly message: string };

export function sealContinuation(secret: string, filter: RequestFilter, storeToken: string): string {
  const payload = Buffer.from(JSON.stringify({ f: filterKey(filter), t: storeToken })).toString('base64url');
  return `${VERSION}.${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function openContinuation(secret: string, filter: RequestFilter, token: string): OpenedToken {
  const parts = SHAPE.exec(token);
  if (!parts) return { ok: false, message: 'is not a continuation token from a previous page' };
  const [, payload = '', presented = ''] = parts;
  if (!macMatches(mac(secret, payload), presented)) return { ok: false, message: 'was not issued by this service or has been altered' };
  let sealed: z.infer<ReturnType<typeof payloadSchema>>;
  try {
    sealed = payloadSchema().parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, message: 'is not a continuation token from a previous page' };
  }
  if (sealed.f !== filterKey(filter)) return { ok: false, message: 'belongs to a query with other filters; start again without it' };
  return { ok: true, storeToken: sealed.t };
}

function mac(secret: string, payload: string): Buffer {
  return hmac(derivedKey(secret, 'continuation'), `${VERSION}.${payload}`);
}

/** The filter as the store applies it (lower-cased, blanks as absent), so equal queries give equal keys. */
function filterKey(filter: RequestFilter): string {
  return JSON.stringify([filter.state || null, filter.subscriptionId?.toLowerCase() || null, filter.requestedBy?.toLowerCase() || null]);
}
