import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { fromRequestEntity, toRequestEntity } from '../../lib/store/table-entities.js';
import type { ExemptionRequest } from '../../lib/requests/model.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

const APPROVER = SEED.contactEmails[SEED.subscriptions.production]![0]!;
const EXEMPTION_TYPE = '/providers/Microsoft.Authorization/policyExemptions/';
const exemptionPuts = () => app.sim.requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase().includes(EXEMPTION_TYPE.toLowerCase()));

/**
 * Approves through the review page while the apply trigger is held, so the test can change the stored row
 * between the decision and the apply worker's read, as anyone with write access to the table could.
 */
async function approveHeld(tamper: (request: ExemptionRequest) => ExemptionRequest): Promise<string> {
  const { id } = await notifiedRequest(app, { resourceId: SEED.twoAssignments.resourceId, assessmentKey: SEED.twoAssignments.assessmentKey });
  await app.host.holdQueue(STORAGE_NAMES.applyQueue);
  try {
    const mail = app.sim.smtp.messages().find((m) => m.text.includes(id) && m.to.includes(APPROVER))!;
    const decided = await submitReview(app.baseUrl, await openReview(reviewLinkIn(mail)), { decision: 'approve' });
    expect(decided.status).toBe(200);
    expect((await app.get(`/api/exemption-requests/${id}`)).json.state).toBe('approved');
    expect(await app.queuedMessages(STORAGE_NAMES.applyQueue)).toBe(1);
    const table = TableClient.fromConnectionString(app.azurite.connectionString, STORAGE_NAMES.requestsTable, { allowInsecureConnection: true });
    const row = await table.getEntity<Record<string, unknown>>(id, 'request');
    await table.updateEntity(toRequestEntity(tamper(fromRequestEntity(row))), 'Replace', { etag: row.etag });
  } finally {
    app.host.releaseQueue(STORAGE_NAMES.applyQueue);
  }
  return id;
}

function withFirstTarget(request: ExemptionRequest, change: (t: ExemptionRequest['targets'][number]) => ExemptionRequest['targets'][number]): ExemptionRequest {
  return { ...request, targets: request.targets.map((t, i) => (i === 0 ? change(t) : t)) };
}

describe('the apply worker writes only what the approver reviewed', () => {
  it('an untouched approval applies, each exemption PUT at exactly the reviewed resource', async () => {
    const before = exemptionPuts().length;
    const id = await approveHeld((request) => request);
    expect((await app.waitForState(id, ['applied', 'failed'])).state).toBe('applied');
    const puts = exemptionPuts().slice(before);
    expect(puts).toHaveLength(SEED.twoAssignments.expected.length);
    for (const put of puts) {
      const path = decodeURIComponent(put.path);
      expect(path.slice(0, path.indexOf(EXEMPTION_TYPE))).toBe(SEED.twoAssignments.resourceId);
    }
  });

  it.each<[string, (request: ExemptionRequest) => ExemptionRequest]>([
    ['a target moved up to its resource group', (request) => withFirstTarget(request, (t) => ({
      ...t, resourceId: t.resourceId.slice(0, t.resourceId.indexOf('/providers/')),
    }))],
    ['an assignment swapped for another one above the resource', (request) => withFirstTarget(request, (t) => ({
      ...t, assignments: t.assignments.map((a, i) => (i === 0 ? { ...a, policyAssignmentId: SEED.assignments.jitDirect } : a)),
    }))],
    ['a target rewritten to climb with ..', (request) => withFirstTarget(request, (t) => ({ ...t, resourceId: `${t.resourceId}/../..` }))],
  ])('a stored row changed after approval (%s) ends failed with nothing sent to ARM', async (_label, tamper) => {
    const before = exemptionPuts().length;
    const id = await approveHeld(tamper);
    const failed = await app.waitForState(id, ['applied', 'failed']);
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toMatchObject({ code: 'ScopeMismatch' });
    expect(exemptionPuts().length).toBe(before);
    expect(app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === id)).toEqual([]);
    const mail = await app.sim.smtp.waitFor((m) => m.to.includes(APPROVER) && m.text.includes(id) && /fail/i.test(m.subject), 10_000);
    expect(mail.text).toContain('ScopeMismatch');
  });
});
