import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { eventually } from '../support/review-flow.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

it('twenty identical intakes at once make one request: one 202, nineteen 200 naming it, one notification', async () => {
  const body = {
    resourceId: SEED.twoAssignments.resourceId,
    assessmentKey: SEED.twoAssignments.assessmentKey,
    justification: 'Private endpoint only',
    requestedBy: 'dev.owner@contoso.com',
    expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
  const responses = await Promise.all(Array.from({ length: 20 }, () => app.post('/api/exemption-requests', body)));

  expect(responses.map((r) => r.status).sort()).toEqual([...Array<number>(19).fill(200), 202]);
  const ids = new Set(responses.map((r) => r.json.id as string));
  expect(ids.size).toBe(1);
  const [id] = [...ids] as [string];
  expect(await app.storedRequestCount()).toBe(1);

  await app.waitForState(id, ['notified']);
  const notifyQueue = new QueueClient(app.azurite.connectionString, STORAGE_NAMES.notifyQueue);
  // Every message sent was sent before its response; once the queue is empty, each has been handled.
  await eventually(async () => ((await notifyQueue.getProperties()).approximateMessagesCount === 0 ? true : undefined), 'the notify queue to drain');
  expect(app.logs.filter((line) => line.startsWith('[notifyWorker]') && line.includes(`request ${id}:`))).toEqual([
    expect.stringContaining(`request ${id}: notified`),
  ]);
  for (const contact of SEED.contactEmails[SEED.subscriptions.production]!) {
    expect(app.sim.smtp.messages().filter((m) => m.to.includes(contact) && m.text.includes(id))).toHaveLength(1);
  }
});
