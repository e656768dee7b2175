import type { SimMail } from '../sim/index.js';

/** The review link in a review email's plain-text part. */
export function reviewLinkIn(mail: SimMail): string {
  const match = /https?:\/\/\S+\/api\/review\?token=[\w.%-]+/.exec(mail.text);
  if (!match) throw new Error(`no review link in mail "${mail.subject}"`);
  return match[0];
}

export interface OpenedReview {
  readonly status: number;
  readonly html: string;
  readonly cookie: string;
  readonly token: string;
  readonly csrf: string;
  /** The digest of what the page showed, which the form sends back. */
  readonly reviewed: string;
}

/** GET the review page as a browser would, keeping the CSRF cookie and the hidden form fields. */
export async function openReview(link: string): Promise<OpenedReview> {
  const response = await fetch(link);
  const html = await response.text();
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: response.status, html, cookie, token: hidden(html, 'token'), csrf: hidden(html, 'csrf'), reviewed: hidden(html, 'reviewed') };
}

export async function submitReview(
  baseUrl: string,
  review: Pick<OpenedReview, 'cookie' | 'token' | 'csrf' | 'reviewed'>,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; html: string }> {
  const response = await fetch(`${baseUrl}/api/review`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: review.cookie, ...headers },
    body: new URLSearchParams({ token: review.token, csrf: review.csrf, reviewed: review.reviewed, ...fields }).toString(),
  });
  return { status: response.status, html: await response.text() };
}

function hidden(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1]?.replace(/&amp;/g, '&') ?? '';
}

/** Polls until `check` returns a value or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
