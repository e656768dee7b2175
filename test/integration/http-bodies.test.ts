import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { sendChunked } from '../support/raw-http.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

const MAX_BODY_BYTES = 2048;
beforeAll(async () => {
  app = await startAppUnderTest({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
});
afterAll(async () => app?.close());

const REFERENCES = [SEED.mcsbReferenceIds.secureTransfer, SEED.mcsbReferenceIds.storageNetwork, SEED.mcsbReferenceIds.jit];
let sequence = 0;
async function freshRequest() {
  return notifiedRequest(app, {
    resourceId: SEED.resources.storageData,
    policyAssignmentId: SEED.assignments.mcsbProduction,
    policyDefinitionReferenceIds: [REFERENCES[sequence++ % REFERENCES.length]!],
  });
}

const validRequest = () => JSON.stringify({
  resourceId: SEED.twoAssignments.resourceId,
  assessmentKey: SEED.twoAssignments.assessmentKey,
  justification: 'Mitigated by a private endpoint',
  requestedBy: 'owner@contoso.com',
  expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(),
});

function problemOf(response: { status: number; headers: Record<string, unknown>; text: string }) {
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  return JSON.parse(response.text) as { status: number; detail: string; errors: { field: string }[] };
}

describe('request bodies are capped as they stream in, over a real socket', () => {
  it('a chunked JSON body with no Content-Length that never ends gets 413 once past the cap, and nothing is stored', async () => {
    const chunk = `{"justification":"${'x'.repeat(500)}`;
    const response = await sendChunked(`${app.baseUrl}/api/exemption-requests`, {
      headers: { 'content-type': 'application/json' },
      chunks: Array.from({ length: 6 }, () => chunk),
      end: false,
    });
    expect(response.status).toBe(413);
    expect(problemOf(response).errors.map((e) => e.field)).toEqual(['body']);
    expect(await app.storedRequestCount()).toBe(0);
    expect(await app.queuedMessages(STORAGE_NAMES.notifyQueue)).toBe(0);
  });

  it('a chunked JSON body with no Content-Length that fits is read whole', async () => {
    const body = validRequest();
    const pieces = body.match(/[\s\S]{1,40}/g)!;
    const response = await sendChunked(`${app.baseUrl}/api/exemption-requests`, { headers: { 'content-type': 'application/json' }, chunks: pieces, end: true });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.text).state).toBe('received');
  });

  it('a chunked decision form with no Content-Length that never ends gets 413, and nothing is decided', async () => {
    const { id, mails } = await freshRequest();
    const opened = await openReview(reviewLinkIn(mails[0]!));
    const start = new URLSearchParams({ token: opened.token, csrf: opened.csrf, decision: 'approve' }).toString();
    const response = await sendChunked(`${app.baseUrl}/api/review`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: opened.cookie },
      chunks: [start, ...Array.from({ length: 20 }, () => `&comment${sequence}=${'y'.repeat(1000)}`)],
      end: false,
    });
    expect(response.status).toBe(413);
    expect(problemOf(response).errors.map((e) => e.field)).toEqual(['body']);
    const after = (await app.get(`/api/exemption-requests/${id}`)).json;
    expect(after.state).toBe('notified');
    expect(after.auditTrail.map((e: { action: string }) => e.action)).not.toContain('approved');
  });
});

describe('the decision form accepts only application/x-www-form-urlencoded', () => {
  it('refuses a genuine form sent as text/plain, JSON or with no type (415, nothing decided), then takes it as a UTF-8 form', async () => {
    const { id, mails } = await freshRequest();
    const opened = await openReview(reviewLinkIn(mails[0]!));
    for (const type of ['text/plain', 'application/json', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=iso-8859-1']) {
      const refused = await submitReview(app.baseUrl, opened, { decision: 'approve' }, { 'content-type': type });
      expect(refused.status, type).toBe(415);
      expect(JSON.parse(refused.html).errors[0].field).toBe('content-type');
    }
    const untyped = await fetch(`${app.baseUrl}/api/review`, {
      method: 'POST',
      headers: { cookie: opened.cookie },
      body: new Uint8Array(Buffer.from(new URLSearchParams({ token: opened.token, csrf: opened.csrf, decision: 'approve' }).toString())),
    });
    expect(untyped.status).toBe(415);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('notified');

    const accepted = await submitReview(app.baseUrl, opened, { decision: 'approve' }, { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' });
    expect(accepted.status).toBe(200);
    expect((await app.waitForState(id, ['approved', 'applying', 'applied'])).decision.by).toBe(mails[0]!.to[0]);
  });

  it('refuses a form that sends a field twice, naming it, and decides nothing', async () => {
    const { id, mails } = await freshRequest();
    const opened = await openReview(reviewLinkIn(mails[0]!));
    const body = `${new URLSearchParams({ token: opened.token, csrf: opened.csrf, decision: 'reject' })}&decision=approve`;
    const response = await fetch(`${app.baseUrl}/api/review`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: opened.cookie }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors.map((e: { field: string }) => e.field)).toEqual(['decision']);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('notified');
  });
});

describe('problem answers', () => {
  it('list at most 20 problems, say how many more there were, and carry nosniff', async () => {
    const body = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`unknown${i}`, i]));
    const response = await app.post('/api/exemption-requests', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.json.errors).toHaveLength(20);
    expect(response.json.detail).toMatch(/\d+ more problems were not listed/);
  });
});
