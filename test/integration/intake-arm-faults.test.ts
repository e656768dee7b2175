import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import type { FaultSpec } from '../sim/index.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { defenderEvent } from '../support/defender-event.js';

// What intake answers when ARM fails during resolution. Every request here is refused, so nothing is ever
// stored or queued in this file, and no policy set definition is ever cached before its fault fires.
let app: AppUnderTest;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  app = await startAppUnderTest();
});
beforeEach(() => app.sim.faults.clear());
afterAll(async () => app?.close());

const DAY = 86_400_000;
/** More than the pipeline's retries (3) times the calls that may hit the route. */
const ALWAYS = 20;

function byAssessment(resourceId: string, assessmentKey: string) {
  return { resourceId, assessmentKey, justification: 'Mitigated elsewhere', requestedBy: 'owner@contoso.com', expiresOn: new Date(Date.now() + 30 * DAY).toISOString() };
}

async function expectNothingKept() {
  expect(await app.storedRequestCount()).toBe(0);
  expect(await app.queuedMessages(STORAGE_NAMES.notifyQueue)).toBe(0);
}

async function expectUnavailable(fault: Omit<FaultSpec, 'times'>, retryAfter?: string) {
  app.sim.faults.add({ ...fault, times: ALWAYS });
  const { resourceId, assessmentKey } = SEED.twoAssignments;
  const response = await app.post('/api/exemption-requests', byAssessment(resourceId, assessmentKey));
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.json).toMatchObject({ status: 503, title: 'Try again later' });
  if (retryAfter) expect(response.headers.get('retry-after')).toBe(retryAfter);
  else expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  await expectNothingKept();
}

async function expectRefused(response: { status: number; headers: Headers; json: any }, field: string, armCode: string) {
  expect(response.status).toBe(422);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.headers.get('retry-after')).toBeNull();
  expect(response.json.detail).toContain(armCode);
  expect(response.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  await expectNothingKept();
}

describe('intake when ARM fails during resolution', () => {
  it('503 + Retry-After when reading the assessment keeps answering 5xx', async () => {
    await expectUnavailable({ operationId: 'Assessments_Get', kind: 'error', status: 500 });
    expect(app.sim.requests.filter((r) => r.operationId === 'Assessments_Get' && r.status === 500).length).toBeGreaterThan(1); // retried first
  });

  it('503 + Retry-After when the connection to ARM keeps dropping', async () => {
    await expectUnavailable({ operationId: 'PolicyAssignments_ListForResource', kind: 'drop' });
  });

  it('503 passing on ARM\'s Retry-After when throttling outlasts the retries', async () => {
    await expectUnavailable({ operationId: 'Assessments_Get', kind: 'throttle', retryAfterSeconds: 1 }, '1');
  });

  it('503 when the initiative (MCSB) cannot be read: 503 from ARM', async () => {
    await expectUnavailable({ operationId: 'PolicySetDefinitions_GetBuiltIn', kind: 'error', status: 503 });
  });

  it('422 naming resourceId when ARM refuses to read the resource\'s assessment (403)', async () => {
    app.sim.faults.add({ operationId: 'Assessments_Get', kind: 'error', status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action Microsoft.Security/assessments/read.', times: ALWAYS });
    const { resourceId, assessmentKey } = SEED.initiativeAndDirect;
    await expectRefused(await app.post('/api/exemption-requests', defenderEvent(resourceId, assessmentKey)), 'resourceId', 'AuthorizationFailed');
    // Permanent: not retried.
    expect(app.sim.requests.filter((r) => r.operationId === 'Assessments_Get' && r.status === 403)).toHaveLength(2);
  });

  it('422 naming resourceId when ARM answers 400 to listing the assignments above the resource', async () => {
    app.sim.faults.add({ operationId: 'PolicyAssignments_ListForResource', kind: 'error', status: 400, code: 'InvalidResourceType', times: ALWAYS });
    const { resourceId, assessmentKey } = SEED.twoAssignments;
    await expectRefused(await app.post('/api/exemption-requests', byAssessment(resourceId, assessmentKey)), 'resourceId', 'InvalidResourceType');
  });

  it('422 naming policyAssignmentId when ARM answers 400 to reading the named assignment', async () => {
    app.sim.faults.add({ operationId: 'PolicyAssignments_Get', kind: 'error', status: 400, code: 'InvalidPolicyAssignmentId', times: ALWAYS });
    const { assessmentKey: _, ...rest } = byAssessment(SEED.resources.storageProd, '');
    const body = { ...rest, policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: [SEED.mcsbReferenceIds.secureTransfer] };
    await expectRefused(await app.post('/api/exemption-requests', body), 'policyAssignmentId', 'InvalidPolicyAssignmentId');
  });

  it('the same requests go through once ARM is healthy (the refusals above were ARM\'s doing)', async () => {
    expect(app.sim.violations).toEqual([]);
    const { resourceId, assessmentKey } = SEED.twoAssignments;
    const response = await app.post('/api/exemption-requests', byAssessment(resourceId, assessmentKey));
    expect(response.status).toBe(202);
    expect(await app.storedRequestCount()).toBe(1);
  });
});
