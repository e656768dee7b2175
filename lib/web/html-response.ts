import type { HttpResponseInit } from '@azure/functions';
import { PAGE_CSP } from './page-shell.js';
import { renderMessagePage } from './review-page.js';

/**
 * Headers for pages a person opens from an email: no caching, no framing, and no Referer, because the
 * URL carries the signed review token.
 */
export function htmlPage(status: number, body: string, extraHeaders: Record<string, string> = {}): HttpResponseInit {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      ...extraHeaders,
    },
    body,
  };
}

export function messagePage(status: number, title: string, detail: string): HttpResponseInit {
  return htmlPage(status, renderMessagePage({ status, title, detail }));
}
