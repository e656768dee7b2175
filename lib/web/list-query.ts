import type { HttpResponseInit } from '@azure/functions';
import { lazily, zod } from '../core/lazy-zod.js';
import { problemsFrom } from '../requests/intake-fields.js';
import { REQUEST_STATES } from '../requests/model.js';
import type { RequestFilter } from '../requests/ports/store.js';
import { openContinuation, sealContinuation } from './continuation-token.js';
import { problem } from './problem.js';

/**
 * Query parameters the platform consumes before the function runs: a function key may be sent as
 * `?code=` instead of the x-functions-key header, and the host leaves it in the query.
 */
const PLATFORM_PARAMETERS = new Set(['code']);

const querySchema = lazily(() => {
  const z = zod();
  return z.strictObject({
  state: z.enum(REQUEST_STATES).optional(),
  subscriptionId: z.uuid().optional(),
  // Goes into a storage filter: no address contains control characters, and storage may refuse them.
  requestedBy: z.string().trim().max(320).regex(/^\P{Cc}*$/u, 'must not contain control characters').optional(),
  pageSize: z.string().regex(/^\d{1,3}$/, 'must be a whole number').transform(Number).pipe(z.number().min(1).max(100)).default(25),
  continuationToken: z.string().max(2048).optional(),
  });
});

export interface ListQuery {
  readonly filter: RequestFilter;
  readonly pageSize: number;
  /** The storage token unsealed from `continuationToken`, when one was sent and is genuine. */
  readonly storeToken?: string;
}

export type ListQueryResult = { readonly ok: true; readonly query: ListQuery } | { readonly ok: false; readonly response: HttpResponseInit };

/** Checks GET /api/exemption-requests's query: known parameters, each once, and a genuine continuation token. */
export function parseListQuery(params: URLSearchParams, secret: string): ListQueryResult {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [key, value] of params) {
    if (PLATFORM_PARAMETERS.has(key)) continue;
    if (values.has(key)) repeated.add(key);
    values.set(key, value);
  }
  if (repeated.size > 0) {
    return { ok: false, response: problem(400, 'some query parameters were given more than once', [...repeated].map((field) => ({ field: field.slice(0, 100), message: 'must be given once' }))) };
  }
  const parsed = querySchema().safeParse(Object.fromEntries(values));
  if (!parsed.success) return { ok: false, response: problem(400, 'some query parameters are not valid', problemsFrom(parsed.error)) };
  const { pageSize, continuationToken, ...filter } = parsed.data;
  if (!continuationToken) return { ok: true, query: { filter, pageSize } };
  const opened = openContinuation(secret, filter, continuationToken);
  if (!opened.ok) return { ok: false, response: problem(400, `the continuationToken ${opened.message}`, [{ field: 'continuationToken', message: opened.message }]) };
  return { ok: true, query: { filter, pageSize, storeToken: opened.storeToken } };
}

/** The link to the next page: the same filters and page size, and the storage token sealed for them. */
export function nextPageLink(listUrl: string, query: ListQuery, secret: string, storeToken: string): string {
  const next = new URL(listUrl);
  for (const [key, value] of Object.entries({ ...query.filter, pageSize: String(query.pageSize) })) if (value) next.searchParams.set(key, value);
  next.searchParams.set('continuationToken', sealContinuation(secret, query.filter, storeToken));
  return next.toString();
}
