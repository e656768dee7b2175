import { describe, expect, it } from 'vitest';
import { issueReviewToken } from '../../../lib/web/review-token.js';
import { checkReportToken, issueReportToken, reportCsvPath, reportUrl } from '../../../lib/web/report-link.js';
import { derivedKey, hmac } from '../../../lib/web/signing-keys.js';

const SECRET = 'test-signing-key-0123456789abcdefghijklmnop';
const RUN = '7fffe8a1b2c3-4d5e';
const NOW = new Date('2026-11-01T12:00:00.000Z');
const EXPIRES = new Date('2026-11-15T12:00:00.000Z');

function issue(runId = RUN, expiresAt = EXPIRES, secret = SECRET): string {
  return issueReportToken(secret, { runId, expiresAt });
}

function flipMiddle(part: string): string {
  const i = Math.floor(part.length / 2);
  return `${part.slice(0, i)}${part[i] === 'A' ? 'B' : 'A'}${part.slice(i + 1)}`;
}

function parts(token: string): [string, string, string] {
  const p = token.split('.');
  expect(p).toHaveLength(3);
  return p as [string, string, string];
}

/** Signs any payload with the given purpose's key, to reach the checks behind the signature. */
function signed(payload: unknown, purpose: 'sweep-report' | 'review-token' = 'sweep-report'): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `v1.${body}.${hmac(derivedKey(SECRET, purpose), `v1.${body}`).toString('base64url')}`;
}

describe('report tokens', () => {
  it('checks a token it issued and returns the run and the expiry', () => {
    expect(checkReportToken(SECRET, issue(), NOW)).toEqual({ ok: true, claims: { runId: RUN, expiresAt: EXPIRES } });
  });

  it('is versioned and URL-safe', () => {
    expect(issue()).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuses a changed payload', () => {
    const [v, payload, mac] = parts(issue());
    expect(checkReportToken(SECRET, `${v}.${flipMiddle(payload)}.${mac}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a payload swapped for another run\'s', () => {
    const [, otherPayload] = parts(issue('0000aaaa-other-run'));
    const [v, , mac] = parts(issue());
    expect(checkReportToken(SECRET, `${v}.${otherPayload}.${mac}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a changed MAC', () => {
    const [v, payload, mac] = parts(issue());
    expect(checkReportToken(SECRET, `${v}.${payload}.${flipMiddle(mac)}`, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token signed with another secret', () => {
    expect(checkReportToken(SECRET, issue(RUN, EXPIRES, `${SECRET}-other`), NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token signed with the review-token key (wrong purpose)', () => {
    expect(checkReportToken(SECRET, signed({ run: RUN, exp: EXPIRES.getTime() / 1000 }, 'review-token'), NOW))
      .toEqual({ ok: false, reason: 'bad-signature' });
    // And a real review link is no report link.
    const review = issueReviewToken(SECRET, { requestId: RUN, approver: 'a@contoso.com', expiresAt: EXPIRES });
    expect(checkReportToken(SECRET, review, NOW).ok).toBe(false);
  });

  it('is valid until the second before expiry and refused from then on', () => {
    expect(checkReportToken(SECRET, issue(), new Date(EXPIRES.getTime() - 1000)).ok).toBe(true);
    expect(checkReportToken(SECRET, issue(), EXPIRES)).toEqual({ ok: false, reason: 'expired' });
    expect(checkReportToken(SECRET, issue(), new Date(EXPIRES.getTime() + 86_400_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['empty', ''],
    ['two parts', 'v1.abc'],
    ['four parts', 'v1.a.b.c'],
    ['another version', issue().replace(/^v1\./, 'v2.')],
    ['an empty payload', 'v1..abc'],
    ['overlong', `v1.${'a'.repeat(2000)}.b`],
  ])('refuses a malformed token: %s', (_label, token) => {
    expect(checkReportToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['a run id with markup', { run: '<script>x</script>', exp: 1_900_000_000 }],
    ['a run id too long', { run: 'a'.repeat(65), exp: 1_900_000_000 }],
    ['an extra claim', { run: RUN, exp: 1_900_000_000, admin: true }],
    ['a text expiry', { run: RUN, exp: '1900000000' }],
    ['no expiry', { run: RUN }],
  ])('refuses a correctly signed payload with %s', (_label, payload) => {
    expect(checkReportToken(SECRET, signed(payload), NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('will not issue a token for something that is not a run id', () => {
    expect(() => issue('../../requests')).toThrow(/run id/);
    expect(() => issue('UPPERCASE-RUN-ID')).toThrow(/run id/);
    expect(() => issue(RUN, new Date(Number.NaN))).toThrow(/expiry/);
  });
});

describe('report links', () => {
  it('builds the report URL under the public base, trailing slashes or not', () => {
    const token = issue();
    expect(reportUrl('https://broker.contoso.com', RUN, token)).toBe(`https://broker.contoso.com/api/sweeps/${RUN}/report?t=${token}`);
    expect(reportUrl('https://broker.contoso.com/', RUN, token)).toBe(`https://broker.contoso.com/api/sweeps/${RUN}/report?t=${token}`);
  });

  it('round-trips the token through the URL', () => {
    const url = new URL(reportUrl('https://broker.contoso.com', RUN, issue()));
    expect(checkReportToken(SECRET, url.searchParams.get('t') ?? '', NOW).ok).toBe(true);
  });

  it('refuses run ids that would change the path', () => {
    expect(() => reportUrl('https://b', '../../admin', 'x')).toThrow(/run id/);
    expect(() => reportUrl('https://b', `${RUN}?x=1`, 'x')).toThrow(/run id/);
  });

  it('puts the token first on the CSV path and never lets extra parameters replace it', () => {
    const path = reportCsvPath(RUN, 'tok', new URLSearchParams({ t: 'evil', kind: 'expired' }));
    expect(path).toBe(`/api/sweeps/${RUN}/report/findings.csv?t=tok&kind=expired`);
  });
});
