import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultSeed, SEED, type SimSeed } from '../../sim/index.js';
import { EXEMPTION_API, exemptionPath, noLeadingSlash, startFixture, type SimFixture } from './sim-fixture.js';

describe('sim: routing gaps and the response self-check', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture({ validateResponses: true }); });
  afterAll(async () => { await f.sim.close(); });

  it('sends only spec-valid bodies for every exercised operation (success and error answers)', async () => {
    const sub = SEED.subscriptions.production;
    const policy = f.policy(sub);
    const sec = f.security(sub);
    await sec.assessments.get(noLeadingSlash(SEED.resources.sqlDatabaseProd), SEED.assessmentKeys.sqlTde, { expand: 'metadata' });
    await sec.assessments.get(noLeadingSlash(SEED.resources.sqlDatabaseProd), SEED.assessmentKeys.sqlTde, { expand: 'links' });
    for await (const _ of sec.assessments.list(`subscriptions/${sub}`)) { /* drain */ }
    for await (const _ of policy.policyAssignments.listForResource('rg-app-prod', 'Microsoft.Sql', 'servers/sql-contoso-prod', 'databases', 'appdb')) { /* drain */ }
    for await (const _ of policy.policyAssignments.listForManagementGroup(SEED.managementGroup, { filter: 'atScope()' })) { /* drain */ }
    await policy.policySetDefinitions.getBuiltIn(SEED.mcsbSetDefinitionName);
    await policy.policyDefinitions.getBuiltIn(SEED.policies.secureTransfer.split('/').pop()!);
    await policy.policyAssignments.get(`subscriptions/${sub}`, 'missing').catch(() => undefined);
    const path = exemptionPath(f, SEED.resources.sqlDatabaseProd, 'self-check');
    const q = { queryParameters: { 'api-version': EXEMPTION_API } };
    await path.put({ ...q, body: { properties: { policyAssignmentId: SEED.assignments.mcsbProduction, policyDefinitionReferenceIds: ['sqlDbEncryptionMonitoring'], exemptionCategory: 'Mitigated' } } });
    await path.get(q);
    await exemptionPath(f, SEED.deniedScope, 'denied').put({ ...q, body: { properties: { policyAssignmentId: SEED.assignments.mcsbShared, exemptionCategory: 'Waiver' } } });
    await f.rest.path('/providers/Microsoft.Management/managementGroups/{managementGroupId}/providers/Microsoft.Authorization/policyExemptions', SEED.managementGroup)
      .get({ queryParameters: { 'api-version': EXEMPTION_API, $filter: 'atScope()' } });

    const statuses = new Set(f.sim.requests.map((r) => r.status));
    expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 403, 404]));
    expect(f.sim.violations).toEqual([]);
  });

  it('answers 501 and records a violation for a spec operation without a handler', async () => {
    const res = await f.rest.path('/providers/Microsoft.Security/assessmentMetadata').get({ queryParameters: { 'api-version': '2021-06-01' } });
    expect(res.status).toBe('501');
    expect(f.sim.violations.at(-1)).toMatchObject({ operationId: 'AssessmentsMetadata_List', kind: 'request' });
    f.sim.violations.length = 0;
  });

  it('answers 404 in ARM shape for a path no spec defines, and records it', async () => {
    const res = await f.rest.path('/subscriptions/{s}/resourceGroups/{rg}', SEED.subscriptions.production, 'rg-app-prod')
      .get({ queryParameters: { 'api-version': '2021-04-01' } });
    expect(res.status).toBe('404');
    expect((res.body as { error: { code: string } }).error.code).toBe('InvalidResourceType');
    expect(f.sim.violations).toHaveLength(1);
    f.sim.violations.length = 0;
  });

  it('records a response violation when the seed makes the sim answer off-spec', async () => {
    const seed: SimSeed = await loadDefaultSeed();
    (seed.subscriptions[0]!.securityContacts[0] as unknown as { isEnabled: string }).isEnabled = 'yes';
    const broken = await startFixture({ seed });
    try {
      const res = await broken.rest.path('/subscriptions/{s}/providers/Microsoft.Security/securityContacts', seed.subscriptions[0]!.subscriptionId)
        .get({ queryParameters: { 'api-version': '2023-12-01-preview' } });
      expect(res.status).toBe('200');
      expect(broken.sim.violations).toEqual([expect.objectContaining({
        kind: 'response', operationId: 'SecurityContacts_List',
        problems: [expect.objectContaining({ target: '/value/0/properties/isEnabled' })],
      })]);
    } finally {
      await broken.sim.close();
    }
  });

  it('can be told not to check responses', async () => {
    const seed: SimSeed = await loadDefaultSeed();
    (seed.subscriptions[0]!.securityContacts[0] as unknown as { isEnabled: string }).isEnabled = 'yes';
    const lax = await startFixture({ seed, validateResponses: false });
    try {
      await lax.rest.path('/subscriptions/{s}/providers/Microsoft.Security/securityContacts', seed.subscriptions[0]!.subscriptionId)
        .get({ queryParameters: { 'api-version': '2023-12-01-preview' } });
      expect(lax.sim.violations).toEqual([]);
    } finally {
      await lax.sim.close();
    }
  });
});
