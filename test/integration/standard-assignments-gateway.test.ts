// The ARM gateway's Defender-native calls (assessment metadata, security standards, standard assignments),
// through the real REST pipeline over HTTPS against the simulated tenant, which validates every request
// and its own answers against the 2021-06-01 and 2024-08-01 specs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmError } from '../../lib/azure/arm-error.js';
import { AzureArmGateway } from '../../lib/azure/azure-arm-gateway.js';
import { CachingArmGateway } from '../../lib/azure/caching-arm-gateway.js';
import { standardAssignmentName, standardExemptionProperties } from '../../lib/azure/standard-assignment.js';
import { systemClock } from '../../lib/core/clock.js';
import { DEFENDER, SEED } from '../sim/seed-ids.js';
import { SPEC_ROOT } from '../sim/spec/load.js';
import { HOSTILE_IDS } from '../support/hostile-ids.js';
import { startFixture, type SimFixture } from '../unit/sim/sim-fixture.js';

let f: SimFixture;
let gateway: CachingArmGateway;
beforeAll(async () => {
  f = await startFixture();
  gateway = new CachingArmGateway(new AzureArmGateway({ endpoint: f.sim.armEndpoint, credential: f.credential, retry: { maxRetries: 0 } }), systemClock);
});
afterAll(async () => f?.sim.close());
beforeEach(() => {
  expect(f.sim.violations).toEqual([]);
});

const TYPE = '/providers/Microsoft.Security/standardAssignments/';
const properties = (overrides: Partial<Parameters<typeof standardExemptionProperties>[0]> = {}) => standardExemptionProperties({
  standardName: DEFENDER.standardName,
  assessmentKey: DEFENDER.nativeAssessmentKey,
  category: 'Waiver',
  expiresOn: new Date('2030-01-31T00:00:00Z'),
  displayName: 'Secrets on vm-app-prod-01: accepted risk',
  description: 'Approved by b@contoso.com for request r-1 (exemption-broker).',
  ...overrides,
});

describe('assessment metadata says which mechanism exempts a recommendation', () => {
  it('a Defender-native recommendation has no policy: mechanism "defender"', async () => {
    const meta = await gateway.getAssessmentMetadata(DEFENDER.nativeAssessmentKey.toUpperCase());
    expect(meta).toMatchObject({ assessmentKey: DEFENDER.nativeAssessmentKey, mechanism: 'defender', assessmentType: 'BuiltIn', preview: false });
    expect(meta?.policyDefinitionId).toBeUndefined();
    expect(f.sim.requests.at(-1)).toMatchObject({ operationId: 'AssessmentsMetadata_Get', apiVersion: '2021-06-01', status: 200 });
  });

  it('a policy-based one names its policy: mechanism "policy"', async () => {
    const meta = await gateway.getAssessmentMetadata(SEED.assessmentKeys.secureTransfer);
    expect(meta).toMatchObject({ mechanism: 'policy', policyDefinitionId: SEED.policies.secureTransfer });
  });

  it('an unknown key is undefined; a key that is not a GUID is refused before any request', async () => {
    expect(await gateway.getAssessmentMetadata('00000000-0000-0000-0000-000000000001')).toBeUndefined();
    const before = f.sim.requests.length;
    await expect(gateway.getAssessmentMetadata('../assessments')).rejects.toMatchObject({ code: 'InvalidAssessmentKey' });
    expect(f.sim.requests.length).toBe(before);
  });
});

describe('security standards and the standard assignments above a resource', () => {
  it('lists the standard that contains the recommendation at the resource', async () => {
    const standards = await gateway.listSecurityStandards(DEFENDER.azureResource);
    expect(standards).toEqual([expect.objectContaining({
      name: DEFENDER.standardName,
      assessmentKeys: [DEFENDER.nativeAssessmentKey, DEFENDER.policyKeyInStandard, DEFENDER.previewKey, DEFENDER.customKey],
    })]);
    expect(f.sim.requests.at(-1)).toMatchObject({ operationId: 'SecurityStandards_List', apiVersion: '2024-08-01', status: 200 });
  });

  it('finds the subscription assignment above an Azure VM', async () => {
    const found = await gateway.listStandardAssignmentsAbove(DEFENDER.azureResource);
    expect(found.map((a) => a.id)).toEqual([DEFENDER.standardAssignments.subscription]);
    expect(found[0]).toMatchObject({ effect: 'Audit', assignedStandardId: `/providers/Microsoft.Security/Standards/${DEFENDER.standardName}` });
  });

  it('finds the connector and subscription assignments above an AWS resource, innermost first', async () => {
    const found = await gateway.listStandardAssignmentsAbove(DEFENDER.awsResource);
    expect(found.map((a) => a.id)).toEqual([DEFENDER.standardAssignments.awsConnector, DEFENDER.standardAssignments.subscription]);
    expect(found[0]?.scope).toBe(DEFENDER.awsConnector);
  });
});

describe('an Exempt standard assignment: put, read back, re-put, delete', () => {
  for (const [label, scope] of [['an Azure VM', DEFENDER.azureResource], ['an AWS EC2 instance under a connector', DEFENDER.awsResource]] as const) {
    it(`at ${label}: the PUT is spec-valid, named deterministically, and idempotent`, async () => {
      const name = standardAssignmentName('r-1', scope, DEFENDER.standardName, DEFENDER.nativeAssessmentKey);
      expect(standardAssignmentName('r-1', scope.toUpperCase(), DEFENDER.standardName, DEFENDER.nativeAssessmentKey)).toBe(name);
      const id = await gateway.putStandardAssignment(scope, name, properties());
      expect(id).toBe(`${scope}${TYPE}${name}`);

      const put = f.sim.requests.at(-1)!;
      expect(put).toMatchObject({ method: 'PUT', operationId: 'StandardAssignments_Create', apiVersion: '2024-08-01', status: 201 });
      expect(put.path.split('/').map(decodeURIComponent).join('/')).toBe(`${scope}${TYPE}${name}`);
      expect(put.body).toEqual({
        properties: {
          displayName: 'Secrets on vm-app-prod-01: accepted risk',
          description: 'Approved by b@contoso.com for request r-1 (exemption-broker).',
          assignedStandard: { id: `/providers/Microsoft.Security/Standards/${DEFENDER.standardName}` },
          effect: 'Exempt',
          expiresOn: '2030-01-31T00:00:00.000Z',
          exemptionData: { exemptionCategory: 'waiver', assignedAssessment: { assessmentKey: DEFENDER.nativeAssessmentKey } },
        },
      });

      // A redelivered apply sends the same PUT: the same resource is updated, nothing is added.
      const count = f.sim.standardAssignments().length;
      expect(await gateway.putStandardAssignment(scope, name, properties())).toBe(id);
      expect(f.sim.requests.at(-1)).toMatchObject({ operationId: 'StandardAssignments_Create', status: 200 });
      expect(f.sim.standardAssignments()).toHaveLength(count);
      expect(f.sim.standardAssignments().find((a) => a.id === id)?.properties).toMatchObject({ effect: 'Exempt', expiresOn: '2030-01-31T00:00:00.000Z' });

      expect(await gateway.getStandardAssignment(scope, name)).toMatchObject({
        id, name, scope, effect: 'Exempt', assessmentKey: DEFENDER.nativeAssessmentKey, exemptionCategory: 'waiver', expiresOn: '2030-01-31T00:00:00.000Z',
      });
      expect((await gateway.listStandardAssignmentsAbove(scope)).map((a) => a.id)).toContain(id);

      expect(await gateway.deleteStandardAssignment(scope, name)).toBe(true);
      expect(f.sim.standardAssignments().find((a) => a.id === id)).toBeUndefined();
      expect(await gateway.getStandardAssignment(scope, name)).toBeUndefined();
      expect(await gateway.deleteStandardAssignment(scope, name)).toBe(false);
      expect(f.sim.violations).toEqual([]);
    });
  }

  it('ARM refuses an exemption for a recommendation the standard does not contain, and stores nothing', async () => {
    const name = standardAssignmentName('r-2', DEFENDER.azureResource, DEFENDER.standardName, SEED.assessmentKeys.secureTransfer);
    const count = f.sim.standardAssignments().length;
    const error = await gateway.putStandardAssignment(DEFENDER.azureResource, name, properties({ assessmentKey: SEED.assessmentKeys.secureTransfer }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArmError);
    expect(error).toMatchObject({ status: 400, code: 'AssessmentNotInStandard' });
    expect(f.sim.standardAssignments()).toHaveLength(count);
  });

  it('the sim refuses a PUT body that breaks the spec schema, and stores nothing', async () => {
    const name = standardAssignmentName('r-3', DEFENDER.azureResource, DEFENDER.standardName, DEFENDER.nativeAssessmentKey);
    const count = f.sim.standardAssignments().length;
    const response = await f.rest.path('/{scope}/providers/Microsoft.Security/standardAssignments/{name}',
      { value: DEFENDER.azureResource.slice(1), allowReserved: true }, name)
      .put({ queryParameters: { 'api-version': '2024-08-01' }, body: { properties: { ...properties(), effect: 'Ignore', expiresOn: 'next year' } } });
    expect(response.status).toBe('400');
    expect(f.sim.standardAssignments()).toHaveLength(count);
    expect(f.sim.violations.splice(0).flatMap((v) => v.problems.map((p) => p.target)).sort())
      .toEqual(['/properties/effect', '/properties/expiresOn']);
  });
});

describe('hostile ids are refused before any request', () => {
  const NAME = '9b2f4d6a-8c1e-4f3a-8b5d-7e9f1a3c5e70';
  for (const [label, raw] of HOSTILE_IDS.resource) {
    it(`refuses ${label}`, async () => {
      const before = f.sim.requests.length;
      for (const call of [
        () => gateway.putStandardAssignment(raw, NAME, properties()),
        () => gateway.getStandardAssignment(raw, NAME),
        () => gateway.deleteStandardAssignment(raw, NAME),
        () => gateway.listStandardAssignmentsAbove(raw),
        () => gateway.listSecurityStandards(raw),
      ]) await expect(call()).rejects.toMatchObject({ status: 400, code: 'InvalidScope' });
      expect(f.sim.requests.length).toBe(before);
    });
  }

  it('refuses a name that is not a GUID (ARM\'s pattern) before any request', async () => {
    const before = f.sim.requests.length;
    for (const name of ['..', 'eb-1', `${NAME}/../x`, `${NAME}?a=b`, '']) {
      await expect(gateway.putStandardAssignment(DEFENDER.azureResource, name, properties())).rejects.toMatchObject({ code: 'InvalidName' });
    }
    expect(f.sim.requests.length).toBe(before);
  });
});

describe("Microsoft's 2024-08-01 example requests reach the matching simulated operations", () => {
  const EXAMPLES: Array<[file: string, method: 'GET' | 'PUT' | 'DELETE', template: string, operationId: string]> = [
    ['SecurityStandards/ListBySubscriptionSecurityStandards_example.json', 'GET', '/{scope}/providers/Microsoft.Security/securityStandards', 'SecurityStandards_List'],
    ['SecurityStandards/GetBySubscriptionSecurityStandard_example.json', 'GET', '/{scope}/providers/Microsoft.Security/securityStandards/{standardId}', 'SecurityStandards_Get'],
    ['StandardAssignments/ListStandardAssignments.json', 'GET', '/{scope}/providers/Microsoft.Security/standardAssignments', 'StandardAssignments_List'],
    ['StandardAssignments/GetStandardAssignment.json', 'GET', '/{resourceId}/providers/Microsoft.Security/standardAssignments/{standardAssignmentName}', 'StandardAssignments_Get'],
    ['StandardAssignments/PutExemptionStandardAssignment.json', 'PUT', '/{resourceId}/providers/Microsoft.Security/standardAssignments/{standardAssignmentName}', 'StandardAssignments_Create'],
    ['StandardAssignments/DeleteStandardAssignment.json', 'DELETE', '/{resourceId}/providers/Microsoft.Security/standardAssignments/{standardAssignmentName}', 'StandardAssignments_Delete'],
  ];
  for (const [file, method, template, operationId] of EXAMPLES) {
    it(`${file} → ${operationId}, valid against the spec`, async () => {
      const example = JSON.parse(await readFile(path.join(SPEC_ROOT, 'security/2024-08-01/examples', file), 'utf8')) as { parameters: Record<string, unknown> };
      const p = example.parameters;
      // Scopes as the examples write them (unencoded, no leading slash); names are single segments.
      const url = template.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'scope' || k === 'resourceId' ? String(p[k]) : encodeURIComponent(String(p[k]))));
      const request = f.rest.pathUnchecked(url);
      // Two of Microsoft's examples carry an older api-version (see the fixtures README); the route is what is checked.
      const options = { queryParameters: { 'api-version': '2024-08-01' }, ...(method === 'PUT' ? { body: p.standardAssignment } : {}) };
      await (method === 'GET' ? request.get(options) : method === 'PUT' ? request.put(options) : request.delete(options));
      expect(f.sim.requests.at(-1)).toMatchObject({ method, operationId });
      // The examples' subscriptions are not in the seed (404) and their standards unknown (400 StandardNotFound):
      // neither is a contract violation, and no example breaks the schema.
      expect(f.sim.violations).toEqual([]);
    });
  }
});
