import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { standardAssignmentName } from '../../lib/azure/standard-assignment.js';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { loadDefaultSeed, type SimSeed } from '../sim/index.js';
import { DEFENDER, SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { eventually, openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

let app: AppUnderTest;
let seed: SimSeed;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  [app, seed] = await Promise.all([startAppUnderTest(), loadDefaultSeed()]);
});
beforeEach(() => app.sim.faults.clear());
afterAll(async () => app?.close());

const S1 = SEED.subscriptions.production;
const RG = `/subscriptions/${S1}/resourceGroups/rg-app-prod`;
const STANDARD_ID = `/providers/Microsoft.Security/Standards/${DEFENDER.standardName}`;
const APPROVER = SEED.contactEmails[S1]![0]!;
const PUT_STANDARD = 'StandardAssignments_Create';

async function approve(id: string): Promise<any> {
  const mail = app.sim.smtp.messages().find((m) => m.text.includes(id) && m.to.includes(APPROVER))!;
  const opened = await openReview(reviewLinkIn(mail));
  const decided = await submitReview(app.baseUrl, opened, { decision: 'approve' });
  expect(decided.status).toBe(200);
  return app.waitForState(id, ['applied', 'failed']);
}

/** The `Exempt` standard assignments the broker made for a request: its description names the request. */
const standardExemptionsOf = (id: string) => app.sim.standardAssignments()
  .filter((a) => a.properties.effect === 'Exempt' && a.properties.description?.includes(`exemption-broker request ${id}`));
const policyExemptionsOf = (id: string) => app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === id);
/** What the seed says Defender assesses under a scope for a recommendation: the count the review must show. */
const assessedUnder = (scope: string, key: string) => [...seed.assessments, ...(seed.defender?.assessments ?? [])]
  .filter((a) => a.name.toLowerCase() === key && a.resourceId.toLowerCase().startsWith(`${scope.toLowerCase()}/`));

describe('a Defender-native recommendation', () => {
  it('is resolved to the standard that contains it, and approved end to end becomes one Exempt standard assignment valid against the spec', async () => {
    const { id, request } = await notifiedRequest(app, { resourceId: DEFENDER.azureResource, assessmentKey: DEFENDER.nativeAssessmentKey });
    expect(request.targets).toEqual([{
      resourceId: DEFENDER.azureResource,
      assignments: [],
      standards: [{ assignedStandardId: STANDARD_ID, displayName: 'Microsoft cloud security benchmark (Defender)', standardAssignmentId: DEFENDER.standardAssignments.subscription }],
    }]);
    expect(request.recommendation).toMatchObject({ assessmentKey: DEFENDER.nativeAssessmentKey, displayName: 'Machines should have secrets findings resolved' });
    expect(request.recommendation.policyDefinitionId).toBeUndefined();

    const applied = await approve(id);
    expect(applied.state).toBe('applied');
    const [created, ...more] = standardExemptionsOf(id);
    expect(more).toEqual([]);
    const name = standardAssignmentName(id, DEFENDER.azureResource, DEFENDER.standardName, DEFENDER.nativeAssessmentKey);
    expect(created!.id).toBe(`${DEFENDER.azureResource}/providers/Microsoft.Security/standardAssignments/${name}`);
    expect(created!.properties).toMatchObject({
      effect: 'Exempt',
      assignedStandard: { id: STANDARD_ID },
      expiresOn: applied.expiresOn,
      displayName: 'Exemption: Machines should have secrets findings resolved',
      exemptionData: { exemptionCategory: 'waiver', assignedAssessment: { assessmentKey: DEFENDER.nativeAssessmentKey } },
    });
    expect(created!.properties.description).toContain(`approved by ${APPROVER}`);
    expect(applied.exemptions).toEqual([{ kind: 'standard', id: created!.id, resourceId: DEFENDER.azureResource, assignedStandardId: STANDARD_ID }]);
    expect(applied.auditTrail.find((e: { action: string }) => e.action === 'applied').detail).toContain(created!.id);
    expect(policyExemptionsOf(id)).toEqual([]);
    expect(app.sim.violations).toEqual([]);
  });

  it('on an AWS instance under a security connector, is exempted at the instance through the connector\'s own assignment', async () => {
    const { id, request } = await notifiedRequest(app, { resourceId: DEFENDER.awsResource, assessmentKey: DEFENDER.nativeAssessmentKey });
    // Innermost first: the connector's assignment of the standard, not the subscription's.
    expect(request.targets[0].standards).toEqual([expect.objectContaining({ standardAssignmentId: DEFENDER.standardAssignments.awsConnector })]);
    const applied = await approve(id);
    expect(applied.state).toBe('applied');
    expect(standardExemptionsOf(id).map((a) => a.id)).toEqual([
      `${DEFENDER.awsResource}/providers/Microsoft.Security/standardAssignments/${standardAssignmentName(id, DEFENDER.awsResource, DEFENDER.standardName, DEFENDER.nativeAssessmentKey)}`,
    ]);
    expect(app.sim.violations).toEqual([]);
  });
});

describe('one request, both kinds', () => {
  it('a policy-based recommendation on an Azure VM and an AWS instance creates a policy exemption and a standard one; a redelivered apply creates nothing twice', async () => {
    const key = DEFENDER.policyKeyInStandard;
    const response = await app.post('/api/exemption-requests', {
      resourceIds: [DEFENDER.azureResource, DEFENDER.awsResource], assessmentKey: key,
      justification: 'JIT is enforced by the bastion for both machines', requestedBy: 'dev.owner@contoso.com',
    });
    expect(response.status).toBe(202);
    const id: string = response.json.id;
    const [vm, aws] = response.json.targets;
    expect(vm.assignments.length).toBeGreaterThan(0);
    expect(vm.standards).toBeUndefined();
    expect(aws).toEqual({ resourceId: DEFENDER.awsResource, assignments: [], standards: [expect.objectContaining({ assignedStandardId: STANDARD_ID })] });
    await app.waitForState(id, ['notified']);

    // The standard's PUT fails past the pipeline's retries: the first delivery gives up after the policy
    // exemptions were written, and the queue delivers the message again.
    app.sim.faults.add({ operationId: PUT_STANDARD, kind: 'error', status: 503, times: 5 });
    const applied = await approve(id);
    expect(applied.state).toBe('applied');
    expect(app.logs.some((line) => line.includes('[applyWorker]') && line.includes('will retry'))).toBe(true);
    expect(policyExemptionsOf(id).map((e) => e.properties.policyAssignmentId).sort())
      .toEqual(vm.assignments.map((a: { policyAssignmentId: string }) => a.policyAssignmentId).sort());
    expect(standardExemptionsOf(id)).toHaveLength(1);
    expect(applied.auditTrail[0]).toMatchObject({ action: 'created', detail: expect.stringContaining(`${vm.assignments.length} policy exemption(s) and 1 standard-assignment exemption(s) resolved`) });
    expect(applied.exemptions.map((e: { kind?: string; resourceId: string }) => [e.kind ?? 'policy', e.resourceId])).toEqual([
      ...vm.assignments.map(() => ['policy', DEFENDER.azureResource]),
      ['standard', DEFENDER.awsResource],
    ]);

    // A repeated message finds the request applied and writes nothing.
    const puts = app.sim.requests.filter((r) => r.method === 'PUT').length;
    await new QueueClient(app.azurite.connectionString, STORAGE_NAMES.applyQueue).sendMessage(JSON.stringify({ kind: 'apply', requestId: id }));
    await eventually(async () => (app.logs.some((l) => l.includes(`request ${id}: skipped`)) ? true : undefined), 'the repeated apply message to be handled');
    expect(app.sim.requests.filter((r) => r.method === 'PUT').length).toBe(puts);
    expect(standardExemptionsOf(id)).toHaveLength(1);
    expect(app.sim.violations).toEqual([]);
  });
});

describe('scope-wide requests', () => {
  it('a resource-group-wide request counts the resources it covers and creates one exemption at the resource group', async () => {
    const key = DEFENDER.nativeAssessmentKey;
    const { id, request } = await notifiedRequest(app, { resourceId: RG, assessmentKey: key });
    const assessed = assessedUnder(RG, key);
    expect(assessed.length).toBe(2); // the VM and the AWS instance, both in rg-app-prod
    expect(request.targets).toEqual([{
      resourceId: RG, assignments: [],
      standards: [expect.objectContaining({ standardAssignmentId: DEFENDER.standardAssignments.subscription })],
      coverage: { resources: assessed.length, unhealthy: assessed.filter((a) => a.status.code === 'Unhealthy').length, countedAt: expect.any(String) },
    }]);
    expect(app.sim.requests.some((r) => r.operationId === 'Resources' && JSON.stringify(r.body).includes(key))).toBe(true);
    // The approver's page says, beside the scope, how many resources approving exempts.
    const mail = app.sim.smtp.messages().find((m) => m.text.includes(id) && m.to.includes(APPROVER))!;
    const page = (await openReview(reviewLinkIn(mail))).html;
    expect(page).toContain('whole resource group');
    expect(page).toContain(`Covers ${assessed.length} resources today (${assessed.length} currently unhealthy)`);

    const applied = await approve(id);
    expect(applied.state).toBe('applied');
    expect(applied.auditTrail[0].detail).toContain(`${RG} covers ${assessed.length} resource(s)`);
    expect(standardExemptionsOf(id).map((a) => a.id.toLowerCase().split('/providers/microsoft.security/standardassignments/')[0])).toEqual([RG.toLowerCase()]);
    expect(app.sim.violations).toEqual([]);
  });

  it('a resource-group-wide request for a policy-based recommendation becomes policy exemptions at the resource group', async () => {
    const key = SEED.assessmentKeys.secureTransfer;
    const { id, request } = await notifiedRequest(app, { resourceId: RG, assessmentKey: key });
    expect(request.targets[0].coverage.resources).toBe(assessedUnder(RG, key).length);
    expect(request.targets[0].assignments.length).toBeGreaterThan(0);
    const applied = await approve(id);
    expect(applied.state).toBe('applied');
    const created = policyExemptionsOf(id);
    expect(created.length).toBe(request.targets[0].assignments.length);
    for (const e of created) expect(e.id.toLowerCase().startsWith(`${RG.toLowerCase()}/providers/microsoft.authorization/policyexemptions/`)).toBe(true);
  });

  it('a subscription-wide request is refused while MAX_SCOPE_LEVEL forbids it, and nothing is stored', async () => {
    const before = await app.storedRequestCount();
    const response = await app.post('/api/exemption-requests', {
      resourceId: `/subscriptions/${S1}`, assessmentKey: DEFENDER.nativeAssessmentKey,
      justification: 'Whole subscription', requestedBy: 'dev.owner@contoso.com',
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.json.errors).toEqual([{ field: 'resourceId', message: expect.stringMatching(/whole subscription.*MAX_SCOPE_LEVEL is resourceGroup/) }]);
    expect(await app.storedRequestCount()).toBe(before);
    expect(app.sim.requests.some((r) => r.operationId === 'Resources' && JSON.stringify(r.body).includes(`/subscriptions/${S1}'`))).toBe(false);
  });
});

describe('recommendations that cannot be exempted', () => {
  it.each([
    ['a preview recommendation', DEFENDER.previewKey, /in preview/],
    ['a custom recommendation', DEFENDER.customKey, /custom recommendation \(CustomerManaged\)/],
    ['a native recommendation in no assigned standard', DEFENDER.unassignedKey, /no security standard assigned at or above .* contains recommendation/],
    ['a recommendation Defender does not know', '0f0e0d0c-0b0a-4909-8807-060504030201', /Defender for Cloud has no recommendation/],
  ])('%s is refused with its reason, and nothing is stored or queued', async (_label, key, reason) => {
    const before = await app.storedRequestCount();
    const response = await app.post('/api/exemption-requests', {
      resourceId: DEFENDER.azureResource, assessmentKey: key, justification: 'Not applicable', requestedBy: 'dev.owner@contoso.com',
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.json.errors).toEqual([{ field: 'assessmentKey', message: expect.stringMatching(reason) }]);
    expect(await app.storedRequestCount()).toBe(before);
    expect(await app.queuedMessages(STORAGE_NAMES.notifyQueue)).toBe(0);
  });
});
