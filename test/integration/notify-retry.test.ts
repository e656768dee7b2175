import { afterAll, beforeAll, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

it('a mail server that refuses for a while delays the notification but never loses the request', async () => {
  // More refusals than the mailer's own attempts (3): the first queue delivery fails, a later one succeeds.
  app.sim.smtp.refuseNext(4);
  const intake = await app.post('/api/exemption-requests', {
    resourceId: SEED.resources.vmProd, assessmentKey: SEED.assessmentKeys.jit,
    justification: 'JIT enforced at the bastion', requestedBy: 'dev.owner@contoso.com',
  });
  expect(intake.status).toBe(202);
  const id: string = intake.json.id;
  const notified = await app.waitForState(id, ['notified']);
  expect(app.logs.some((line) => line.includes('[notifyWorker]') && line.includes('will retry'))).toBe(true);
  const delivered = app.sim.smtp.messages().filter((m) => m.text.includes(id)).flatMap((m) => m.to);
  for (const approver of notified.approvers) expect(delivered).toContain(approver);
  expect(notified.auditTrail.map((e: { action: string }) => e.action)).toEqual(['created', 'approvers-resolved', 'notified']);
  expect(await app.queuedMessages(`${STORAGE_NAMES.notifyQueue}-poison`)).toBe(0);
});
