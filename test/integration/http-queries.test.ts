import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { sendRaw } from '../support/raw-http.js';
import { openReview, reviewLinkIn } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

const KEY = 'code=Zm9vYmFy-function-key%3D%3D';
const REFERENCES = [SEED.mcsbReferenceIds.secureTransfer, SEED.mcsbReferenceIds.storageNetwork, SEED.mcsbReferenceIds.jit, SEED.mcsbReferenceIds.systemUpdates];
const RESOURCES = [SEED.resources.storageProd, SEED.resources.vmProd];
let sequence = 0;
async function freshRequest() {
  const i = sequence++;
  return notifiedRequest(app, {
    resourceId: RESOURCES[i % RESOURCES.length]!,
    policyAssignmentId: SEED.assignments.mcsbProduction,
    policyDefinitionReferenceIds: [REFERENCES[Math.floor(i / RESOURCES.length)]!],
  });
}

function expectProblemNaming(response: { status: number; headers: Headers; json: any }, status: number, field: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
}

describe('a function key sent as ?code= is ignored by every route', () => {
  it('POST and GET /api/exemption-requests, GET /api/exemption-requests/{id}, GET and POST /api/review', async () => {
    const created = await app.post(`/api/exemption-requests?${KEY}`, {
      resourceId: SEED.resources.keyVaultProd,
      policyAssignmentId: SEED.assignments.mcsbProduction,
      policyDefinitionReferenceIds: [REFERENCES[0]],
      justification: 'Rotated by the platform team',
      requestedBy: 'owner@contoso.com',
      expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(created.status).toBe(202);
    expect((await app.get(`/api/exemption-requests/${created.json.id}?${KEY}`)).status).toBe(200);
    const listed = await app.get(`/api/exemption-requests?${KEY}&requestedBy=owner@contoso.com`);
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((item: { id: string }) => item.id)).toContain(created.json.id);

    const { id, mails } = await freshRequest();
    const opened = await openReview(`${reviewLinkIn(mails[0]!)}&${KEY}`);
    expect(opened.status).toBe(200);
    const response = await fetch(`${app.baseUrl}/api/review?${KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: opened.cookie },
      body: new URLSearchParams({ token: opened.token, csrf: opened.csrf, reviewed: opened.reviewed, decision: 'reject', comment: 'Fix it' }).toString(),
    });
    expect(response.status).toBe(200);
    expect((await app.waitForState(id, ['rejected'])).decision.comment).toBe('Fix it');
  });
});

describe('continuation tokens on GET /api/exemption-requests', () => {
  it('page through every request exactly once, following nextLink', async () => {
    await freshRequest();
    await freshRequest();
    await freshRequest();
    const all = (await app.get('/api/exemption-requests?pageSize=100')).json.items.map((item: { id: string }) => item.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let link: string | undefined = `${app.baseUrl}/api/exemption-requests?pageSize=1`;
    while (link) {
      const page = await app.get(link.slice(app.baseUrl.length));
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((item: { id: string }) => item.id));
      link = page.json.nextLink;
      if (link) expect(new URL(link).searchParams.get('continuationToken')).toMatch(/^c1\./);
    }
    expect(seen.sort()).toEqual([...all].sort());
  });

  async function issuedToken(): Promise<string> {
    const page = await app.get('/api/exemption-requests?pageSize=1');
    return new URL(page.json.nextLink).searchParams.get('continuationToken')!;
  }

  it.each([
    ['text', 'garbage'],
    ['base64 that is not JSON', Buffer.from('\u0000\u0001').toString('base64')],
    ['a storage token made up by the caller', Buffer.from(JSON.stringify({ nextPartitionKey: 'a', nextRowKey: 'request' })).toString('base64')],
    ['a review link token', 'v1.eyJhIjoxfQ.AAAA'],
    ['the longest allowed text', 'A'.repeat(2048)],
  ])('refuse a malformed token (%s) with 400 naming continuationToken', async (_label, token) => {
    expectProblemNaming(await app.get(`/api/exemption-requests?continuationToken=${encodeURIComponent(token)}`), 400, 'continuationToken');
  });

  it('refuse an issued token that was tampered with, or used with other filters', async () => {
    const token = await issuedToken();
    const [version, payload, mac] = token.split('.') as [string, string, string];
    const sealed = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify({ ...sealed, t: Buffer.from(JSON.stringify({ nextPartitionKey: 'zzz', nextRowKey: 'request' })).toString('base64') })).toString('base64url');
    expectProblemNaming(await app.get(`/api/exemption-requests?continuationToken=${version}.${altered}.${mac}`), 400, 'continuationToken');
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expectProblemNaming(await app.get(`/api/exemption-requests?continuationToken=${flipped}`), 400, 'continuationToken');
    expectProblemNaming(await app.get(`/api/exemption-requests?state=rejected&continuationToken=${token}`), 400, 'continuationToken');
    expect((await app.get(`/api/exemption-requests?continuationToken=${token}`)).status).toBe(200);
  });
});

describe('odd input gets a 4xx, never a 5xx', () => {
  it.each([
    ['a parameter given twice', '/api/exemption-requests?state=notified&state=approved', 'state'],
    ['a control character in requestedBy', '/api/exemption-requests?requestedBy=a%00b', 'requestedBy'],
    ['a page size in hex', '/api/exemption-requests?pageSize=0x10', 'pageSize'],
    ['an id that is not a request id', '/api/exemption-requests/ABC%00', 'id'],
  ])('the API answers %s with a problem naming the field', async (_label, path, field) => {
    expectProblemNaming(await app.get(path), 400, field);
  });

  it.each([
    ['no token', ''],
    ['two dots only', 'token=..'],
    ['a version and nothing else', 'token=v1..'],
    ['NUL bytes', 'token=v1.%00.%00'],
    ['broken UTF-8', 'token=v1.%F0%9F.x'],
    ['a very long token', `token=v1.${'A'.repeat(5000)}.x`],
    ['a payload that is not JSON', `token=v1.${Buffer.from('not json').toString('base64url')}.${'A'.repeat(43)}`],
  ])('the review page answers a link with %s with a 4xx page', async (_label, query) => {
    const response = await fetch(`${app.baseUrl}/api/review?${query}`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).not.toContain('name="decision"');
  });

  it('the review page ignores an App Service principal header it cannot read', async () => {
    const { mails } = await freshRequest();
    for (const principal of ['not base64 !!', Buffer.from('null').toString('base64'), Buffer.from('{"claims":"x"}').toString('base64'), Buffer.from('{"claims":[null,{"typ":"email","val":5}]}').toString('base64')]) {
      const response = await fetch(reviewLinkIn(mails[0]!), { headers: { 'x-ms-client-principal': principal } });
      expect(response.status, principal).toBe(200);
    }
  });

  it('the local host survives a hostile Host header, answers a broken path escape with 400, and keeps serving', async () => {
    expect((await sendRaw(`${app.baseUrl}/api/exemption-requests`, { headers: { host: 'a b' } })).status).toBeLessThan(500);
    expect((await sendRaw(`${app.baseUrl}/api/exemption-requests/%E0%A4%A`)).status).toBe(400);
    expect((await app.get('/api/exemption-requests?pageSize=1')).status).toBe(200);
  });
});

