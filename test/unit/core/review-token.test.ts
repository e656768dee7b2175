import { describe, expect, it } from 'vitest';
import { issueReviewToken, verifyReviewToken } from '../../../lib/web/review-token.js';
import { derivedKey, hmac } from '../../../lib/web/signing-keys.js';

const SECRET = 'test-signing-key-0123456789abcdefghijklmnop';
const NOW = new Date('2026-11-01T12:00:00.000Z');
const EXPIRES = new Date('2026-11-04T12:00:00.000Z');

function issue(approver = 'Approver@Contoso.com'): string {
  return issueReviewToken(SECRET, { requestId: 'req123', approver, expiresAt: EXPIRES });
}

/** Replaces the character in the middle of a base64url part with another base64url character. */
function flipMiddle(part: string): string {
  const i = Math.floor(part.length / 2);
  const replacement = part[i] === 'A' ? 'B' : 'A';
  return `${part.slice(0, i)}${replacement}${part.slice(i + 1)}`;
}

function partsOf(token: string): [string, string, string] {
  const parts = token.split('.');
  expect(parts).toHaveLength(3);
  return parts as [string, string, string];
}

/** Signs an arbitrary payload the way the issuer does, to reach the checks behind the signature. */
function signed(payload: unknown, secret = SECRET): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `v1.${body}.${hmac(derivedKey(secret, 'review-token'), `v1.${body}`).toString('base64url')}`;
}

describe('review tokens', () => {
  it('verifies a token it issued and returns its claims', () => {
    const check = verifyReviewToken(SECRET, issue(), NOW);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.claims.requestId).toBe('req123');
    expect(check.claims.approver).toBe('approver@contoso.com');
    expect(check.claims.tokenId.length).toBeGreaterThanOrEqual(16);
    expect(check.claims.expiresAt.toISOString()).toBe(EXPIRES.toISOString());
  });

  it('gives each issued token its own tokenId', () => {
    const first = verifyReviewToken(SECRET, issue(), NOW);
    const second = verifyReviewToken(SECRET, issue(), NOW);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.claims.tokenId).not.toBe(second.claims.tokenId);
  });

  it('is URL-safe', () => {
    expect(issue()).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('refuses a token whose payload was changed', () => {
    const [version, payload, mac] = partsOf(issue());
    expect(verifyReviewToken(SECRET, `${version}.${flipMiddle(payload)}.${mac}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token whose payload was swapped for another approver\'s', () => {
    const [, otherPayload] = partsOf(issue('mallory@contoso.com'));
    const [version, , mac] = partsOf(issue());
    expect(verifyReviewToken(SECRET, `${version}.${otherPayload}.${mac}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token whose MAC was changed or cut short', () => {
    const [version, payload, mac] = partsOf(issue());
    expect(verifyReviewToken(SECRET, `${version}.${payload}.${flipMiddle(mac)}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyReviewToken(SECRET, `${version}.${payload}.${mac.slice(0, 20)}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token signed with another secret', () => {
    const token = issueReviewToken('another-signing-key-0123456789abcdefghijkl', { requestId: 'req123', approver: 'a@contoso.com', expiresAt: EXPIRES });
    expect(verifyReviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a payload signed with the CSRF key of the same secret', () => {
    const body = Buffer.from(JSON.stringify({ rid: 'req123', sub: 'a@contoso.com', jti: 'x'.repeat(22), exp: 1_900_000_000 })).toString('base64url');
    const token = `v1.${body}.${hmac(derivedKey(SECRET, 'csrf'), `v1.${body}`).toString('base64url')}`;
    expect(verifyReviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('reports an expired token as expired, from the expiry second on', () => {
    const token = issue();
    expect(verifyReviewToken(SECRET, token, EXPIRES)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyReviewToken(SECRET, token, new Date(EXPIRES.getTime() + 86_400_000))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyReviewToken(SECRET, token, new Date(EXPIRES.getTime() - 1000)).ok).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['a word', 'garbage'],
    ['two parts', 'v1.abc'],
    ['four parts', 'v1.a.b.c'],
    ['another version', 'v2.eyJhIjoxfQ.abc'],
    ['empty parts', 'v1..'],
    ['an overlong token', `v1.${'a'.repeat(3000)}.abc`],
  ])('reports %s as malformed', (_label, token) => {
    expect(verifyReviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports a correctly signed payload of the wrong shape as malformed', () => {
    expect(verifyReviewToken(SECRET, signed({ rid: 'req123' }), NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyReviewToken(SECRET, signed({ rid: 'r', sub: 'a@contoso.com', jti: 'x'.repeat(22), exp: 1_900_000_000, admin: true }), NOW))
      .toEqual({ ok: false, reason: 'malformed' });
    const notJson = Buffer.from('not json').toString('base64url');
    const token = `v1.${notJson}.${hmac(derivedKey(SECRET, 'review-token'), `v1.${notJson}`).toString('base64url')}`;
    expect(verifyReviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});
