import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { fromRequestEntity, toRequestEntity } from '../../lib/store/table-entities.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { forgedLink, notifiedRequest } from '../support/notified-request.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  // As when App Service authentication fronts the app: the platform sets this flag, and only then are
  // the x-ms-client-principal headers its own.
  app = await startAppUnderTest({ WEBSITE_AUTH_ENABLED: 'true' });
});
afterAll(async () => app?.close());

const production = SEED.contactEmails[SEED.subscriptions.production]!;
const { secureTransfer, storageNetwork, jit, systemUpdates } = SEED.mcsbReferenceIds;
const MCSB_REFERENCES = [secureTransfer, storageNetwork, jit, systemUpdates];
let sequence = 0;
/** A fresh notified request per test: another resource or reference id each time, so none is a duplicate. */
async function freshRequest(requestedBy?: string) {
  const resources = [SEED.resources.storageProd, SEED.resources.storageData, SEED.resources.vmProd];
  const i = sequence++;
  return notifiedRequest(app, {
    resourceId: resources[i % resources.length]!,
    policyAssignmentId: SEED.assignments.mcsbProduction,
    policyDefinitionReferenceIds: [MCSB_REFERENCES[Math.floor(i / resources.length) % MCSB_REFERENCES.length]!],
    ...(requestedBy ? { requestedBy } : {}),
  });
}

async function unchanged(id: string, before: any) {
  const after = (await app.get(`/api/exemption-requests/${id}`)).json;
  expect(after.state).toBe(before.state);
  expect(after.auditTrail).toEqual(before.auditTrail);
}

describe('review links and the decision form', () => {
  it('opening the link (GET) changes nothing, however often', async () => {
    const { id, mails } = await freshRequest();
    const before = (await app.get(`/api/exemption-requests/${id}`)).json;
    const link = reviewLinkIn(mails[0]!);
    const first = await openReview(link);
    const second = await openReview(link);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.html).toContain('name="decision"');
    await unchanged(id, before);
  });

  it('a tampered link is refused', async () => {
    const { id, mails } = await freshRequest();
    const before = (await app.get(`/api/exemption-requests/${id}`)).json;
    const link = reviewLinkIn(mails[0]!);
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    const [version, payload, mac] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const swapped = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory@contoso.com' })).toString('base64url');
    const tampered = await openReview(`${app.baseUrl}/api/review?token=${version}.${swapped}.${mac}`);
    expect(tampered.status).toBe(403);
    const opened = await openReview(link);
    const posted = await submitReview(app.baseUrl, { ...opened, token: `${version}.${swapped}.${mac}` }, { decision: 'approve' });
    expect(posted.status).toBe(403);
    await unchanged(id, before);
  });

  it('an expired link is refused', async () => {
    const { id, request } = await freshRequest();
    const expired = forgedLink(app, id, request.approvers[0], new Date(Date.now() - 1000));
    const response = await openReview(expired);
    expect(response.status).toBe(410);
    expect(response.html).toMatch(/expired/i);
    expect(response.html).not.toContain('name="decision"');
  });

  it('a link works once', async () => {
    const { id, mails } = await freshRequest();
    const opened = await openReview(reviewLinkIn(mails[0]!));
    expect((await submitReview(app.baseUrl, opened, { decision: 'reject', comment: 'Fix it instead' })).status).toBe(200);
    const again = await submitReview(app.baseUrl, opened, { decision: 'approve' });
    expect(again.status).toBe(410);
    expect(again.html).toMatch(/already been used/i);
    expect((await openReview(reviewLinkIn(mails[0]!))).status).toBe(410);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('rejected');
  });

  it('a link issued to someone who is not an approver is refused, even correctly signed', async () => {
    const { id, request } = await freshRequest();
    const outsider = forgedLink(app, id, 'mallory@contoso.com');
    expect((await openReview(outsider)).status).toBe(403);
    const opened = await openReview(reviewLinkIn(app.sim.smtp.messages().find((m) => m.text.includes(id))!));
    const posted = await submitReview(app.baseUrl, { ...opened, token: decodeURIComponent(new URL(outsider).searchParams.get('token')!) }, { decision: 'approve' });
    // The CSRF value is bound to the emailed link, so the form is refused before the approver check.
    expect(posted.status).toBe(403);
    await unchanged(id, request);
  });

  it('nobody approves their own request, even a security contact', async () => {
    const requester = production[1]!;
    const { id, request, mails } = await freshRequest(requester);
    expect(request.approvers).not.toContain(requester);
    expect(mails.flatMap((m) => m.to)).not.toContain(requester);
    const own = await openReview(forgedLink(app, id, requester));
    expect(own.status).toBe(403);
    expect(own.html).toMatch(/own request/i);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('notified');
  });

  it('the form needs the CSRF cookie that the page set, and a same-site origin', async () => {
    const { id, mails } = await freshRequest();
    const before = (await app.get(`/api/exemption-requests/${id}`)).json;
    const opened = await openReview(reviewLinkIn(mails[0]!));
    expect((await submitReview(app.baseUrl, { ...opened, cookie: '' }, { decision: 'approve' })).status).toBe(403);
    expect((await submitReview(app.baseUrl, { ...opened, csrf: 'forged' }, { decision: 'approve' })).status).toBe(403);
    const other = await openReview(reviewLinkIn(mails[1]!));
    expect((await submitReview(app.baseUrl, { ...opened, cookie: other.cookie }, { decision: 'approve' })).status).toBe(403);
    expect((await submitReview(app.baseUrl, opened, { decision: 'approve' }, { origin: 'https://evil.example' })).status).toBe(403);
    await unchanged(id, before);
  });

  it('with App Service authentication, the signed-in user must be the link\'s approver', async () => {
    const { id, mails } = await freshRequest();
    const mail = mails[0]!;
    const opened = await openReview(reviewLinkIn(mail));
    const impostor = await submitReview(app.baseUrl, opened, { decision: 'approve' }, { 'x-ms-client-principal-name': 'someone.else@contoso.com' });
    expect(impostor.status).toBe(403);
    expect(impostor.html).toMatch(/signed in as someone\.else@contoso\.com/i);
    const owner = await submitReview(app.baseUrl, opened, { decision: 'approve' }, { 'x-ms-client-principal-name': mail.to[0]!.toUpperCase() });
    expect(owner.status).toBe(200);
    const decided = await app.waitForState(id, ['approved', 'applying', 'applied']);
    expect(decided.decision.by).toBe(mail.to[0]);
  });

  it('a request whose targets changed after the page was opened is not decided: what is approved is what was seen', async () => {
    const { id, mails } = await freshRequest();
    const opened = await openReview(reviewLinkIn(mails[0]!));
    expect((await submitReview(app.baseUrl, { ...opened, reviewed: '' }, { decision: 'approve' })).status).toBe(400);
    // Someone with write access to the table widens the scope to the resource group after the approver looked.
    const table = TableClient.fromConnectionString(app.azurite.connectionString, STORAGE_NAMES.requestsTable, { allowInsecureConnection: true });
    const row = await table.getEntity<Record<string, unknown>>(id, 'request');
    const stored = fromRequestEntity(row);
    const widened = stored.targets.map((t) => ({ ...t, resourceId: t.resourceId.slice(0, t.resourceId.indexOf('/providers/')) }));
    await table.updateEntity(toRequestEntity({ ...stored, targets: widened }), 'Replace', { etag: row.etag });
    const before = (await app.get(`/api/exemption-requests/${id}`)).json;

    const posted = await submitReview(app.baseUrl, opened, { decision: 'approve' });
    expect(posted.status).toBe(409);
    expect(posted.html).toMatch(/changed after you opened it/);
    await unchanged(id, before);
  });

  it('a link that carries two tokens is refused, whichever is genuine', async () => {
    const { mails } = await freshRequest();
    const link = reviewLinkIn(mails[0]!);
    const twice = await fetch(`${link}&token=${new URL(link).searchParams.get('token')}`);
    expect(twice.status).toBe(400);
    expect(await twice.text()).toMatch(/more than one token/);
  });

  it('two approvers at once: the first decision wins, the other gets a conflict', async () => {
    const { id, mails } = await freshRequest();
    const [a, b] = await Promise.all([openReview(reviewLinkIn(mails[0]!)), openReview(reviewLinkIn(mails[1]!))]);
    const results = await Promise.all([
      submitReview(app.baseUrl, a, { decision: 'approve' }),
      submitReview(app.baseUrl, b, { decision: 'reject' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const final = (await app.get(`/api/exemption-requests/${id}`)).json;
    expect(final.auditTrail.filter((e: { action: string }) => e.action === 'approved' || e.action === 'rejected')).toHaveLength(1);
  });
});
