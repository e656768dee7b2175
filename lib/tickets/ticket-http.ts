/** A ticket system's API said no, or could not be reached; the queue retries, then keeps it as poison. */
export class TicketApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'TicketApiError';
  }
}

const TIMEOUT_MS = 15_000;

/**
 * One JSON call to a ticket system. Redirects are refused rather than followed: a redirect would carry
 * the credentials to wherever it points. Error bodies are cut short: they end up in logs.
 */
export async function callTicketApi(url: URL, init: { method: string; headers: Record<string, string>; body?: string }): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new TicketApiError(0, `${init.method} ${url.origin}${url.pathname} failed: ${String((error as Error)?.message ?? error)}`);
  }
  const text = await response.text();
  if (!response.ok) throw new TicketApiError(response.status, `${init.method} ${url.origin}${url.pathname} answered ${response.status}: ${text.slice(0, 300)}`);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The base URL of a ticket system: https only, no credentials, query or fragment; the path kept. */
export function httpsBase(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) return undefined;
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** `base` + the given segments, each encoded: an id can never become a path of its own. */
export function apiUrl(base: URL, ...segments: string[]): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname}/${segments.map(encodeURIComponent).join('/')}`.replace(/\/{2,}/g, '/');
  return url;
}
