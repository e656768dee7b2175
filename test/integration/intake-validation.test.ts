import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { defenderEvent } from '../support/defender-event.js';

let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest({ MAX_BODY_BYTES: '2048', MAX_RESOURCES_PER_REQUEST: '2' });
});
afterAll(async () => app?.close());

const DAY = 86_400_000;
const valid = () => ({
  resourceId: SEED.twoAssignments.resourceId,
  assessmentKey: SEED.twoAssignments.assessmentKey,
  justification: 'Mitigated by a private endpoint',
  requestedBy: 'owner@contoso.com',
  expiresOn: new Date(Date.now() + 30 * DAY).toISOString(),
});

/** Each refusal must be a problem document naming the field, and must leave nothing behind. */
async function expectRefused(response: { status: number; headers: Headers; json: any }, status: number, field: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.json.status).toBe(status);
  expect(response.json.errors.map((e: { field: string }) => e.field)).toContain(field);
  expect(await app.storedRequestCount()).toBe(0);
  expect(await app.queuedMessages(STORAGE_NAMES.notifyQueue)).toBe(0);
}

describe('intake refuses bad input with a problem naming the field, storing nothing', () => {
  it('415 for a body that is not JSON', async () => {
    await expectRefused(await app.post('/api/exemption-requests', 'resourceId=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'content-type');
  });

  it('413 for a body over MAX_BODY_BYTES', async () => {
    await expectRefused(await app.post('/api/exemption-requests', { ...valid(), justification: 'x'.repeat(3000) }), 413, 'body');
  });

  it('400 for malformed JSON and for a JSON value that is not an object', async () => {
    await expectRefused(await app.post('/api/exemption-requests', '{"resourceId": '), 400, 'body');
    await expectRefused(await app.post('/api/exemption-requests', '[1,2]'), 400, 'body');
  });

  it.each([
    ['resourceId', { resourceId: '/not/a/resource' }],
    ['resourceIds', { resourceId: undefined }],
    ['assessmentKey', { assessmentKey: undefined }],
    ['assessmentKey', { assessmentKey: '<script>' }],
    ['justification', { justification: 'x'.repeat(513) }],
    ['justification', { justification: '   ' }],
    ['expiresOn', { expiresOn: new Date(Date.now() - DAY).toISOString() }],
    ['expiresOn', { expiresOn: new Date(Date.now() + 366 * DAY).toISOString() }],
    ['expiresOn', { expiresOn: 'next tuesday' }],
    ['requestedBy', { requestedBy: 'not an email' }],
    ['category', { category: 'Forever' }],
    ['surprise', { surprise: true }],
  ])('400 naming %s', async (field, change) => {
    const body = { ...valid(), ...change } as Record<string, unknown>;
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    await expectRefused(await app.post('/api/exemption-requests', body), 400, field);
  });

  it('400 for more resources than MAX_RESOURCES_PER_REQUEST, or resources in two subscriptions', async () => {
    const { resourceId: _, ...rest } = valid();
    const three = [SEED.resources.storageProd, SEED.resources.vmProd, SEED.resources.keyVaultProd];
    await expectRefused(await app.post('/api/exemption-requests', { ...rest, resourceIds: three }), 400, 'resourceIds');
    await expectRefused(await app.post('/api/exemption-requests', { ...rest, resourceIds: [SEED.resources.storageProd, SEED.resources.storageShared] }), 400, 'resourceIds');
  });

  it('400 for a Defender event whose resource id is unusable', async () => {
    const event = defenderEvent(SEED.twoAssignments.resourceId, SEED.twoAssignments.assessmentKey) as { properties: { resourceDetails: { id: string } } };
    event.properties.resourceDetails.id = 'storage account 1';
    await expectRefused(await app.post('/api/exemption-requests', event), 400, 'properties.resourceDetails.id');
  });

  it('422 with the reason when no assignment contains the recommendation\'s policy', async () => {
    const { resourceId, assessmentKey } = SEED.unresolvable;
    const response = await app.post('/api/exemption-requests', defenderEvent(resourceId, assessmentKey));
    await expectRefused(response, 422, 'assessmentKey');
    expect(response.json.detail).toMatch(new RegExp(`no assignment at or above ${resourceId} contains policy /providers/Microsoft.Authorization/policyDefinitions/`, 'i'));
  });

  it('422 when the resource has no such assessment, or the named assignment does not exist', async () => {
    await expectRefused(await app.post('/api/exemption-requests', { ...valid(), assessmentKey: '00000000-0000-0000-0000-000000000001' }), 422, 'assessmentKey');
    const { assessmentKey: _, ...rest } = valid();
    const missing = `/subscriptions/${SEED.subscriptions.production}/providers/Microsoft.Authorization/policyAssignments/does-not-exist`;
    await expectRefused(await app.post('/api/exemption-requests', { ...rest, policyAssignmentId: missing }), 422, 'policyAssignmentId');
  });

  it('accepts the same request once the input is right (the refusals above were about the input)', async () => {
    const response = await app.post('/api/exemption-requests', valid());
    expect(response.status).toBe(202);
    expect(await app.storedRequestCount()).toBe(1);
    expect(app.sim.violations).toEqual([]);
  });
});
