import { describe, expect, it } from 'vitest';
import { openContinuation, sealContinuation } from '../../../lib/web/continuation-token.js';
import { issueReviewToken } from '../../../lib/web/review-token.js';
import { derivedKey, hmac } from '../../../lib/web/signing-keys.js';
import { nextPageLink, parseListQuery, type ListQueryResult } from '../../../lib/web/list-query.js';

const SECRET = 's'.repeat(40);
const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const STORE_TOKEN = Buffer.from(JSON.stringify({ nextPartitionKey: 'r2', nextRowKey: 'request' })).toString('base64');

function refusedFields(result: ListQueryResult, status = 400): string[] {
  if (result.ok) throw new Error('expected a refusal');
  expect(result.response.status).toBe(status);
  expect((result.response.headers as Record<string, string>)['content-type']).toBe('application/problem+json');
  return (result.response.jsonBody as { errors: { field: string }[] }).errors.map((e) => e.field);
}

const query = (text: string) => parseListQuery(new URLSearchParams(text), SECRET);

describe('GET /api/exemption-requests query', () => {
  it('ignores a function key sent as ?code=', () => {
    expect(query('code=abc123%3D%3D&state=notified')).toEqual({ ok: true, query: { filter: { state: 'notified' }, pageSize: 25 } });
  });

  it('refuses unknown parameters, naming them', () => {
    expect(refusedFields(query('stat=notified'))).toEqual(['stat']);
  });

  it('refuses a parameter given twice, naming it, instead of picking one', () => {
    expect(refusedFields(query('state=notified&state=approved'))).toEqual(['state']);
  });

  it.each(['\u0000', 'a\u001fb@contoso.com', '\u007f', '\u0085'])('refuses requestedBy with a control character (%j)', (value) => {
    expect(refusedFields(query(`requestedBy=${encodeURIComponent(value)}`))).toEqual(['requestedBy']);
  });

  it.each(['0', '101', '0x10', '1e1', ' 5', '-1'])('refuses pageSize=%s', (size) => {
    expect(refusedFields(query(`pageSize=${encodeURIComponent(size)}`))).toEqual(['pageSize']);
  });

  it('reads a continuation token it sealed for the same filters', () => {
    const token = sealContinuation(SECRET, { state: 'notified', subscriptionId: SUB }, STORE_TOKEN);
    const result = query(`state=notified&subscriptionId=${SUB.toUpperCase()}&pageSize=5&continuationToken=${encodeURIComponent(token)}`);
    expect(result.ok && result.query.storeToken).toBe(STORE_TOKEN);
  });
});

describe('continuation tokens are opaque, signed and bound to the filter', () => {
  const sealed = sealContinuation(SECRET, {}, STORE_TOKEN);

  it('do not show the storage token in the clear', () => {
    expect(sealed).not.toContain(STORE_TOKEN);
    expect(openContinuation(SECRET, {}, sealed)).toEqual({ ok: true, storeToken: STORE_TOKEN });
  });

  it.each([
    ['a raw storage token', STORE_TOKEN],
    ['an empty-looking token', 'c1..'],
    ['random text', 'not a token'],
    ['control characters', `c1.\u0000.${'A'.repeat(43)}`],
    ['a very long token', `c1.${'A'.repeat(2000)}.${'A'.repeat(43)}`],
    ['a review link token', issueReviewToken(SECRET, { requestId: 'r1', approver: 'a@contoso.com', expiresAt: new Date(Date.now() + 60_000) })],
  ])('refuse %s as malformed, naming continuationToken', (_label, token) => {
    expect(refusedFields(query(`continuationToken=${encodeURIComponent(token)}`))).toEqual(['continuationToken']);
  });

  it('refuse a token whose sealed content was changed', () => {
    const [version, payload, mac] = sealed.split('.') as [string, string, string];
    const changed = JSON.parse(Buffer.from(payload, 'base64url').toString());
    changed.t = Buffer.from(JSON.stringify({ nextPartitionKey: "a' or 1 eq 1", nextRowKey: 'request' })).toString('base64');
    const tampered = `${version}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${mac}`;
    expect(openContinuation(SECRET, {}, tampered)).toMatchObject({ ok: false, message: expect.stringMatching(/altered/) });
    expect(refusedFields(query(`continuationToken=${encodeURIComponent(tampered)}`))).toEqual(['continuationToken']);
  });

  it('refuse a token signed with another secret (forged), or with the key derived for review links', () => {
    expect(openContinuation(SECRET, {}, sealContinuation('o'.repeat(40), {}, STORE_TOKEN)).ok).toBe(false);
    const payload = sealed.split('.')[1]!;
    const withReviewKey = `c1.${payload}.${hmac(derivedKey(SECRET, 'review-token'), `c1.${payload}`).toString('base64url')}`;
    expect(openContinuation(SECRET, {}, withReviewKey).ok).toBe(false);
  });

  it('refuse a token issued for other filters', () => {
    const forNotified = sealContinuation(SECRET, { state: 'notified' }, STORE_TOKEN);
    expect(openContinuation(SECRET, { state: 'approved' }, forNotified)).toMatchObject({ ok: false, message: expect.stringMatching(/other filters/) });
    expect(openContinuation(SECRET, {}, forNotified).ok).toBe(false);
    expect(openContinuation(SECRET, { requestedBy: 'Owner@Contoso.com' }, sealContinuation(SECRET, { requestedBy: 'owner@contoso.com' }, STORE_TOKEN)).ok).toBe(true);
  });

  it('the next link carries the filters, the page size and a sealed token that the query reads back', () => {
    const parsed = query(`state=notified&pageSize=2&code=key`);
    if (!parsed.ok) throw new Error('expected a valid query');
    const link = new URL(nextPageLink('https://broker.example/api/exemption-requests', parsed.query, SECRET, STORE_TOKEN));
    expect(link.searchParams.get('state')).toBe('notified');
    expect(link.searchParams.get('pageSize')).toBe('2');
    expect(link.searchParams.has('code')).toBe(false);
    const again = parseListQuery(link.searchParams, SECRET);
    expect(again.ok && again.query.storeToken).toBe(STORE_TOKEN);
  });
});
