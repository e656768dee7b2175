import { afterAll, beforeAll, expect, it } from 'vitest';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest({ FALLBACK_APPROVERS: 'Risk.Office@contoso.com; secops@contoso.com' });
});
afterAll(async () => app?.close());

const request = (resourceId: string, assessmentKey: string, requestedBy = 'dev.owner@contoso.com') => app.post('/api/exemption-requests', {
  resourceId, assessmentKey, justification: 'Sandbox, rebuilt nightly', requestedBy,
});

it('a subscription without security contacts is decided by the configured approvers', async () => {
  const intake = await request(SEED.resources.vmSandbox, SEED.assessmentKeys.systemUpdates);
  expect(intake.status).toBe(202);
  const notified = await app.waitForState(intake.json.id, ['notified']);
  expect([...notified.approvers].sort()).toEqual(['risk.office@contoso.com', 'secops@contoso.com']);
  const mail = await app.sim.smtp.waitFor((m) => m.to.includes('risk.office@contoso.com') && m.text.includes(intake.json.id));
  expect(mail.text).toContain('/api/review?token=');
});

it('contacts and fallback approvers are merged without duplicates, and the requester is left out', async () => {
  const intake = await request(SEED.twoAssignments.resourceId, SEED.twoAssignments.assessmentKey, 'secops@contoso.com');
  expect(intake.status).toBe(202);
  const notified = await app.waitForState(intake.json.id, ['notified']);
  const contacts = SEED.contactEmails[SEED.subscriptions.production]!.filter((a) => a !== 'secops@contoso.com');
  expect([...notified.approvers].sort()).toEqual([...contacts, 'risk.office@contoso.com'].sort());
});
