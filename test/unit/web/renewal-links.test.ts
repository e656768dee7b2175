import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueRenewalToken, renewalLink, verifyRenewalToken, checkRenewalLink } from '../../../lib/web/renewal-links.js';
import { issueReviewToken } from '../../../lib/web/review-token.js';

const SECRET = 'renewal-test-secret-0123456789abcdef';
const NOW = new Date('2026-11-02T10:00:00.000Z');
const LATER = new Date(NOW.getTime() + 3_600_000);

const token = () => issueRenewalToken(SECRET, { requestId: 'req123', recipient: ' Dev.Owner@Contoso.com ', expiresAt: LATER });

describe('renewal tokens', () => {
  it('carry the request, the lower-cased recipient, a unique id and the expiry', () => {
    const first = verifyRenewalToken(SECRET, token(), NOW);
    const second = verifyRenewalToken(SECRET, token(), NOW);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.claims).toMatchObject({ requestId: 'req123', recipient: 'dev.owner@contoso.com', expiresAt: new Date(Math.floor(LATER.getTime() / 1000) * 1000) });
    expect(first.claims.tokenId).toMatch(/^[\w-]{16,}$/);
    expect(first.claims.tokenId).not.toBe(second.claims.tokenId);
  });

  it('are refused once expired', () => {
    expect(verifyRenewalToken(SECRET, token(), new Date(LATER.getTime() + 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('are refused when the payload or the MAC is altered, or signed with another secret', () => {
    const [version, payload, mac] = token().split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, rid: 'someone-elses' })).toString('base64url');
    expect(verifyRenewalToken(SECRET, `${version}.${forged}.${mac}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(verifyRenewalToken(SECRET, `${version}.${payload}.${flipped}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyRenewalToken('another-secret-0123456789abcdef0', token(), NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('do not accept a review token, which is signed for another purpose', () => {
    const review = issueReviewToken(SECRET, { requestId: 'req123', approver: 'dev.owner@contoso.com', expiresAt: LATER });
    expect(verifyRenewalToken(SECRET, review, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each(['', 'v1', 'v1..', 'v2.a.b', 'v1.a.b.c', `v1.${'a'.repeat(3000)}.b`])('refuses the malformed token %j', (bad) => {
    expect(verifyRenewalToken(SECRET, bad, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a validly signed payload with unknown fields', () => {
    // Signed correctly but not by issueRenewalToken: the strict schema still refuses it.
    const payload = Buffer.from(JSON.stringify({ rid: 'r', sub: 'a@b.c', jti: 'x'.repeat(16), exp: 4_000_000_000, admin: true })).toString('base64url');
    const key = Buffer.from(hkdfSync('sha256', SECRET, 'exemption-broker', 'renewal', 32));
    const mac = createHmac('sha256', key).update(`v1.${payload}`).digest('base64url');
    expect(verifyRenewalToken(SECRET, `v1.${payload}.${mac}`, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('renewal links', () => {
  const settings = { publicBaseUrl: 'https://broker.example.com', signingKey: SECRET, linkTtlHours: 72 };

  it('point at /api/renew with the token in t, valid for the review link lifetime', () => {
    const link = new URL(renewalLink(settings, 'req123', 'dev.owner@contoso.com', NOW));
    expect(`${link.origin}${link.pathname}`).toBe('https://broker.example.com/api/renew');
    const check = verifyRenewalToken(SECRET, link.searchParams.get('t')!, NOW);
    expect(check.ok && check.claims.expiresAt.getTime()).toBe(NOW.getTime() + 72 * 3_600_000);
    expect(verifyRenewalToken(SECRET, link.searchParams.get('t')!, new Date(NOW.getTime() + 72 * 3_600_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('turn every failure into a page with its own status', () => {
    const expired = issueRenewalToken(SECRET, { requestId: 'r', recipient: 'a@b.c', expiresAt: new Date(NOW.getTime() - 1000) });
    const status = (t: Parameters<typeof checkRenewalLink>[1]) => {
      const check = checkRenewalLink(SECRET, t, NOW);
      return check.ok ? 200 : check.response.status;
    };
    expect(status(token())).toBe(200);
    expect(status(expired)).toBe(410);
    expect(status(`${token()}x`)).toBe(403);
    expect(status('garbage')).toBe(400);
    expect(status(null)).toBe(400);
    expect(status([token(), token()])).toBe(400);
  });
});
