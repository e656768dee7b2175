import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { forgedLink, notifiedRequest } from '../support/notified-request.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  // App Service authentication is on (the platform's own flag), so its principal headers are trusted.
  app = await startAppUnderTest({ WEBSITE_AUTH_ENABLED: 'true' });
});
afterAll(async () => app?.close());

const contacts = SEED.contactEmails[SEED.subscriptions.production]!;
const REFERENCES = [SEED.mcsbReferenceIds.secureTransfer, SEED.mcsbReferenceIds.jit, SEED.mcsbReferenceIds.systemUpdates];
const RESOURCES = [SEED.resources.storageProd, SEED.resources.storageData, SEED.resources.vmProd];
let sequence = 0;
/** Another resource or reference id each time, so no request is a duplicate of another. */
function nextTarget() {
  const i = sequence++;
  return {
    resourceId: RESOURCES[i % RESOURCES.length]!,
    policyAssignmentId: SEED.assignments.mcsbProduction,
    policyDefinitionReferenceIds: [REFERENCES[Math.floor(i / RESOURCES.length) % REFERENCES.length]!],
  };
}

describe('separation of duties compares identities, not strings', () => {
  it('a requester who is a security contact is never sent a review link, however they spell their address', async () => {
    const { id, mails, request } = await notifiedRequest(app, { ...nextTarget(), requestedBy: '  SecOps+exemptions@Contoso.COM ' });
    expect(request.requestedBy).toBe('secops+exemptions@contoso.com');
    expect(request.approvers).toEqual(contacts.filter((c) => c !== 'secops@contoso.com'));
    expect(mails.flatMap((m) => m.to).sort()).toEqual(contacts.filter((c) => c !== 'secops@contoso.com').sort());

    // Even a correctly signed link naming the requester under yet another spelling decides nothing.
    const own = await openReview(forgedLink(app, id, 'SECOPS@contoso.com'));
    expect(own.status).toBe(403);
    expect(own.html).toMatch(/own request/);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('notified');
  });

  it('a signed-in requester cannot decide with an approver\'s link, on the page or in the form', async () => {
    const { id, mails } = await notifiedRequest(app, { ...nextTarget(), requestedBy: 'dev.owner@contoso.com' });
    const link = reviewLinkIn(mails.find((m) => m.to.includes('bob.approver@contoso.com'))!);
    const asRequester = { 'x-ms-client-principal-name': 'Dev.Owner+laptop@Contoso.com' };

    const page = await fetch(link, { headers: asRequester });
    expect(page.status).toBe(403);
    const opened = await openReview(link);
    expect(opened.status).toBe(200);
    const posted = await submitReview(app.baseUrl, opened, { decision: 'approve' }, asRequester);
    expect(posted.status).toBe(403);
    expect(posted.html).toMatch(/signed in as dev\.owner\+laptop@contoso\.com/);
    const after = (await app.get(`/api/exemption-requests/${id}`)).json;
    expect(after.state).toBe('notified');
    expect(after.auditTrail.map((e: { action: string }) => e.action)).not.toContain('approved');
  });
});

describe('where the requester\'s identity came from is recorded and shown', () => {
  it('through App Service authentication the requester is the signed-in person, whatever the body says', async () => {
    const response = await app.post('/api/exemption-requests', {
      ...nextTarget(),
      justification: 'Compensating control in place',
      requestedBy: 'someone.else@contoso.com',
    }, { 'x-ms-client-principal-name': 'Dev.Owner@Contoso.com' });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ requestedBy: 'dev.owner@contoso.com', requesterAssurance: 'authenticated' });
    await app.waitForState(response.json.id, ['notified']);
    const mail = app.sim.smtp.messages().find((m) => m.text.includes(response.json.id))!;
    expect(mail.text).toContain('dev.owner@contoso.com (signed in: App Service authentication vouched for this identity)');
    expect(mail.text).not.toContain('someone.else@contoso.com');
  });

  it('without it the requester is an assertion, and the email and the page say so plainly', async () => {
    const { id, mails, request } = await notifiedRequest(app, { ...nextTarget(), requestedBy: 'app.owner@contoso.com' });
    expect(request.requesterAssurance).toBe('asserted');
    expect(mails[0]!.text).toContain('(asserted by the caller: nothing verified this address)');
    expect(mails[0]!.html).toContain('asserted by the caller: nothing verified this address');
    const page = await openReview(reviewLinkIn(mails[0]!));
    expect(page.html).toMatch(/data-testid="requestedBy-note">\(asserted by the caller: nothing verified this address\)/);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.auditTrail[0].detail).toMatch(/requester asserted$/);
  });
});
