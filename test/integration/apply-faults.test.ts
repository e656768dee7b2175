import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
beforeEach(() => app.sim.faults.clear());
afterAll(async () => app?.close());

const PUT_EXEMPTION = 'PolicyExemptions_CreateOrUpdate';

async function approve(mailTo: string, id: string) {
  const mail = app.sim.smtp.messages().find((m) => m.text.includes(id) && m.to.includes(mailTo))!;
  const opened = await openReview(reviewLinkIn(mail));
  const decided = await submitReview(app.baseUrl, opened, { decision: 'approve' });
  expect(decided.status).toBe(200);
}

const exemptionsOf = (id: string) => app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === id);
const putsFor = (id: string) => app.sim.requests.filter((r) => r.operationId === PUT_EXEMPTION && JSON.stringify(r.body).includes(id));

describe('applying exemptions through ARM faults', () => {
  it('retries throttling, 5xx and dropped connections, and creates exactly one exemption per assignment', async () => {
    const { resourceId, assessmentKey, expected } = SEED.twoAssignments;
    const { id } = await notifiedRequest(app, { resourceId, assessmentKey });
    app.sim.faults.add({ operationId: PUT_EXEMPTION, kind: 'throttle', retryAfterSeconds: 1, times: 2 });
    app.sim.faults.add({ operationId: PUT_EXEMPTION, kind: 'error', status: 503, times: 1 });
    app.sim.faults.add({ operationId: PUT_EXEMPTION, kind: 'drop', times: 1 });
    await approve(SEED.contactEmails[SEED.subscriptions.production]![0]!, id);

    const applied = await app.waitForState(id, ['applied', 'failed']);
    expect(applied.state).toBe('applied');
    const created = exemptionsOf(id);
    expect(created.map((e) => e.properties.policyAssignmentId).sort()).toEqual(expected.map((e) => e.policyAssignmentId).sort());
    const statuses = putsFor(id).map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(statuses).toContain(503);
    expect(statuses).toContain(0);
    expect(app.sim.violations).toEqual([]);
    // Requester and approver both hear that the exemptions exist.
    for (const to of ['dev.owner@contoso.com', SEED.contactEmails[SEED.subscriptions.production]![0]!]) {
      const mail = await app.sim.smtp.waitFor((m) => m.to.includes(to) && m.text.includes(id) && /applied/i.test(m.subject), 10_000);
      for (const exemption of created) expect(mail.text).toContain(exemption.id);
    }
  });

  it('a redelivered or repeated apply message creates nothing twice', async () => {
    const { resourceId, assessmentKey } = SEED.initiativeAndDirect;
    const { id } = await notifiedRequest(app, { resourceId, assessmentKey });
    // More 503s than the pipeline retries: the first delivery fails and the queue delivers again.
    app.sim.faults.add({ operationId: PUT_EXEMPTION, kind: 'error', status: 503, times: 5 });
    await approve(SEED.contactEmails[SEED.subscriptions.production]![0]!, id);
    const applied = await app.waitForState(id, ['applied', 'failed']);
    expect(applied.state).toBe('applied');
    expect(app.logs.some((line) => line.includes('[applyWorker]') && line.includes('will retry'))).toBe(true);
    expect(exemptionsOf(id)).toHaveLength(2);

    const queue = new QueueClient(app.azurite.connectionString, STORAGE_NAMES.applyQueue);
    await queue.sendMessage(JSON.stringify({ kind: 'apply', requestId: id }));
    const putsBefore = putsFor(id).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(putsFor(id).length).toBe(putsBefore);
    expect(exemptionsOf(id)).toHaveLength(2);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('applied');
  });

  it('a 403 (no exempt/action at the scope) ends in failed with the ARM error kept, and the approver is told', async () => {
    const { resourceId, assessmentKey } = SEED.deniedResource;
    const { id } = await notifiedRequest(app, { resourceId, assessmentKey });
    const approver = SEED.contactEmails[SEED.subscriptions.shared]![1]!;
    await approve(approver, id);
    const failed = await app.waitForState(id, ['applied', 'failed']);
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toMatchObject({ status: 403, code: 'AuthorizationFailed' });
    expect(failed.lastError.message).toMatch(/exempt\/action/);
    expect(exemptionsOf(id)).toHaveLength(0);
    // Permanent: tried once per assignment, not retried.
    expect(putsFor(id).every((r) => r.status === 403)).toBe(true);
    expect(putsFor(id)).toHaveLength(1);
    const mail = await app.sim.smtp.waitFor((m) => m.to.includes(approver) && m.text.includes(id) && /fail/i.test(m.subject), 10_000);
    expect(mail.text).toContain('AuthorizationFailed');
    expect(failed.auditTrail.at(-1)).toMatchObject({ action: 'failed', from: 'applying', to: 'failed' });
  });
});
