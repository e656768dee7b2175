import { randomBytes } from 'node:crypto';
import { derivedKey, hmac, macMatches } from './signing-keys.js';

export const CSRF_COOKIE = 'eb_csrf';

/**
 * Double-submit protection bound to the review link: the page sets a random cookie and embeds
 * HMAC(cookie, tokenId) in the form. A cross-site form cannot read or set the cookie, and the value is
 * useless with any other link.
 */
export function issueCsrf(secret: string, tokenId: string): { cookieValue: string; formValue: string } {
  const cookieValue = randomBytes(24).toString('base64url');
  return { cookieValue, formValue: csrfValue(secret, cookieValue, tokenId).toString('base64url') };
}

export function verifyCsrf(secret: string, tokenId: string, cookieValue: string | undefined, formValue: string | undefined): boolean {
  if (!cookieValue || !formValue) return false;
  return macMatches(csrfValue(secret, cookieValue, tokenId), formValue);
}

function csrfValue(secret: string, cookieValue: string, tokenId: string): Buffer {
  return hmac(derivedKey(secret, 'csrf'), `${cookieValue}.${tokenId}`);
}

/** `path` is the page's own route, so the cookie goes back to the form that posts there and nowhere else. */
export function csrfCookieHeader(value: string, secure: boolean, path = '/api/review'): string {
  return `${CSRF_COOKIE}=${value}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=3600${secure ? '; Secure' : ''}`;
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
