import { describe, expect, it } from 'vitest';
import { CSRF_COOKIE, csrfCookieHeader, issueCsrf, readCookie, verifyCsrf } from '../../../lib/web/csrf.js';

const SECRET = 'test-signing-key-0123456789abcdefghijklmnop';
const TOKEN_ID = 'f1e2d3c4b5a697887766554433221100';

describe('issueCsrf / verifyCsrf', () => {
  it('accepts the pair it issued', () => {
    const { cookieValue, formValue } = issueCsrf(SECRET, TOKEN_ID);
    expect(verifyCsrf(SECRET, TOKEN_ID, cookieValue, formValue)).toBe(true);
  });

  it('issues a fresh cookie each time', () => {
    expect(issueCsrf(SECRET, TOKEN_ID).cookieValue).not.toBe(issueCsrf(SECRET, TOKEN_ID).cookieValue);
  });

  it('refuses the form value with another cookie', () => {
    const { formValue } = issueCsrf(SECRET, TOKEN_ID);
    const other = issueCsrf(SECRET, TOKEN_ID);
    expect(verifyCsrf(SECRET, TOKEN_ID, other.cookieValue, formValue)).toBe(false);
  });

  it('refuses the pair for another review link', () => {
    const { cookieValue, formValue } = issueCsrf(SECRET, TOKEN_ID);
    expect(verifyCsrf(SECRET, 'another-token-id-0000000000000000', cookieValue, formValue)).toBe(false);
  });

  it('refuses a missing or empty cookie or form value', () => {
    const { cookieValue, formValue } = issueCsrf(SECRET, TOKEN_ID);
    expect(verifyCsrf(SECRET, TOKEN_ID, undefined, formValue)).toBe(false);
    expect(verifyCsrf(SECRET, TOKEN_ID, '', formValue)).toBe(false);
    expect(verifyCsrf(SECRET, TOKEN_ID, cookieValue, undefined)).toBe(false);
    expect(verifyCsrf(SECRET, TOKEN_ID, cookieValue, '')).toBe(false);
  });

  it('refuses a form value made with another secret', () => {
    const forged = issueCsrf('another-signing-key-0123456789abcdefghijkl', TOKEN_ID);
    expect(verifyCsrf(SECRET, TOKEN_ID, forged.cookieValue, forged.formValue)).toBe(false);
  });

  it('refuses the cookie value echoed as the form value', () => {
    const { cookieValue } = issueCsrf(SECRET, TOKEN_ID);
    expect(verifyCsrf(SECRET, TOKEN_ID, cookieValue, cookieValue)).toBe(false);
  });
});

describe('csrfCookieHeader', () => {
  function attributes(header: string): string[] {
    return header.split(';').map((part) => part.trim());
  }

  it('sets an HttpOnly, SameSite=Strict cookie limited to the review path', () => {
    const parts = attributes(csrfCookieHeader('abc123', false));
    expect(parts[0]).toBe(`${CSRF_COOKIE}=abc123`);
    expect(parts).toContain('HttpOnly');
    expect(parts).toContain('SameSite=Strict');
    expect(parts).toContain('Path=/api/review');
    expect(parts).not.toContain('Secure');
  });

  it('adds Secure only when asked', () => {
    expect(attributes(csrfCookieHeader('abc123', true))).toContain('Secure');
  });

  it('round-trips through readCookie', () => {
    const { cookieValue } = issueCsrf(SECRET, TOKEN_ID);
    const [pair] = attributes(csrfCookieHeader(cookieValue, true));
    expect(readCookie(`theme=dark; ${pair}`, CSRF_COOKIE)).toBe(cookieValue);
  });
});

describe('readCookie', () => {
  it('finds a cookie among several', () => {
    expect(readCookie(`theme=dark; ${CSRF_COOKIE}=xyz; lang=en`, CSRF_COOKIE)).toBe('xyz');
    expect(readCookie(`${CSRF_COOKIE}=first;other=1`, CSRF_COOKIE)).toBe('first');
    expect(readCookie(`a=1;   ${CSRF_COOKIE}=spaced  `, CSRF_COOKIE)).toBe('spaced');
  });

  it('keeps "=" inside the value', () => {
    expect(readCookie(`${CSRF_COOKIE}=ab=c==`, CSRF_COOKIE)).toBe('ab=c==');
  });

  it('does not match a cookie whose name only contains the wanted one', () => {
    expect(readCookie(`x_${CSRF_COOKIE}=nope; ${CSRF_COOKIE}2=nope`, CSRF_COOKIE)).toBeUndefined();
  });

  it('returns undefined without a header or without the cookie', () => {
    expect(readCookie(null, CSRF_COOKIE)).toBeUndefined();
    expect(readCookie('', CSRF_COOKIE)).toBeUndefined();
    expect(readCookie('theme=dark', CSRF_COOKIE)).toBeUndefined();
  });
});
