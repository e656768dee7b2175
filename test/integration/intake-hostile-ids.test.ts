import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { defenderEvent } from '../support/defender-event.js';
import { HOSTILE_IDS } from '../support/hostile-ids.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
afterAll(async () => app?.close());

const { resourceId, assessmentKey } = SEED.twoAssignments;
const base = () => ({
  justification: 'Mitigated by a private endpoint',
  requestedBy: 'owner@contoso.com',
  expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString(),
});

/** A 400 problem document naming `field`, and nothing stored or queued: not a row, not a message. */
async function expectRefused(body: unknown, field: string) {
  const response = await app.post('/api/exemption-requests', body);
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.json.errors.map((e: { field: string }) => e.field)).toContain(field);
  expect(await app.storedRequestCount()).toBe(0);
  expect(await app.queuedMessages(STORAGE_NAMES.notifyQueue)).toBe(0);
  expect(await app.queuedMessages(STORAGE_NAMES.applyQueue)).toBe(0);
}

function eventFor(hostile: unknown): Record<string, unknown> {
  const event = defenderEvent(resourceId, assessmentKey) as { properties: { resourceDetails: { id: unknown } } };
  event.properties.resourceDetails.id = hostile;
  return event;
}

const NOT_TEXT: [string, unknown][] = [['a number', 42], ['an object', { id: resourceId }], ['an array', [resourceId]], ['null', null]];

describe('hostile ids are refused at intake with 400 naming the field, leaving nothing behind', () => {
  it.each(HOSTILE_IDS.resource)('resourceId: %s', async (_label, raw) => {
    await expectRefused({ ...base(), resourceId: raw, assessmentKey }, 'resourceId');
  });

  it.each(HOSTILE_IDS.resource)('resourceIds[1]: %s', async (_label, raw) => {
    await expectRefused({ ...base(), resourceIds: [resourceId, raw], assessmentKey }, 'resourceIds.1');
  });

  it.each(HOSTILE_IDS.resource)('Defender event properties.resourceDetails.id: %s', async (_label, raw) => {
    await expectRefused(eventFor(raw), 'properties.resourceDetails.id');
  });

  it.each(HOSTILE_IDS.assignment)('policyAssignmentId: %s', async (_label, raw) => {
    await expectRefused({ ...base(), resourceId, policyAssignmentId: raw }, 'policyAssignmentId');
  });

  it('policyAssignmentId: a subscription- or group-scoped assignment that is not above the resource', async () => {
    const otherGroup = `/subscriptions/${SEED.subscriptions.production}/resourceGroups/rg-data-prod/providers/Microsoft.Authorization/policyAssignments/x`;
    await expectRefused({ ...base(), resourceId, policyAssignmentId: otherGroup }, 'policyAssignmentId');
    await expectRefused({ ...base(), resourceId, policyAssignmentId: SEED.assignments.mcsbShared }, 'policyAssignmentId');
  });

  it.each(NOT_TEXT)('ids that are not text (%s) get a 400, not a 5xx', async (_label, value) => {
    await expectRefused({ ...base(), resourceId: value, assessmentKey }, 'resourceId');
    await expectRefused({ ...base(), resourceIds: [value], assessmentKey }, 'resourceIds.0');
    await expectRefused({ ...base(), resourceId, policyAssignmentId: value }, 'policyAssignmentId');
    if (value !== null) await expectRefused(eventFor(value), 'properties.resourceDetails.id');
  });

  it('accepts the same request with a sloppily spelled but valid id, and stores it canonically (the refusals were about the ids)', async () => {
    const sloppy = `${resourceId.replace('/subscriptions/', '/SUBSCRIPTIONS/').replace('/resourceGroups/', '/resourcegroups/')}/`;
    const response = await app.post('/api/exemption-requests', { ...base(), resourceIds: [sloppy, resourceId], assessmentKey });
    expect(response.status).toBe(202);
    expect(response.json.targets.map((t: { resourceId: string }) => t.resourceId)).toEqual([resourceId]);
    expect(await app.storedRequestCount()).toBe(1);
    expect(app.sim.violations).toEqual([]);
  });
});
