import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../sim/index.js';
import { EXEMPTION_API, exemptionPath, noLeadingSlash, startFixture, type SimFixture } from './sim-fixture.js';

const q = { queryParameters: { 'api-version': EXEMPTION_API } };
const body = (over: Record<string, unknown> = {}) => ({
  properties: {
    policyAssignmentId: SEED.assignments.mcsbProduction,
    policyDefinitionReferenceIds: ['secureTransferToStorageAccountMonitoring'],
    exemptionCategory: 'Waiver',
    expiresOn: '2030-01-31T00:00:00Z',
    displayName: 'Legacy client needs HTTP',
    description: 'Approved by the security board.',
    metadata: { managedBy: 'exemption-broker', requestId: 'req-1' },
    ...over,
  },
});
type ErrorBody = { error: { code: string; message: string; target?: string; details?: Array<{ target?: string }> } };

describe('sim: policy exemptions 2024-12-01-preview through @azure-rest/core-client', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture(); });
  afterAll(async () => { await f.sim.close(); });
  beforeEach(() => { f.sim.violations.length = 0; });

  it('creates (201), updates (200) and reads back an exemption, visible in sim.exemptions()', async () => {
    const path = exemptionPath(f, SEED.twoAssignments.resourceId, 'eb-req-1-mcsb');
    const created = await path.put({ ...q, body: body() });
    expect(created.status).toBe('201');
    const id = `${SEED.twoAssignments.resourceId}/providers/Microsoft.Authorization/policyExemptions/eb-req-1-mcsb`;
    expect(created.body).toMatchObject({ id, name: 'eb-req-1-mcsb', type: 'Microsoft.Authorization/policyExemptions',
      systemData: { createdBy: SEED.clientId, createdByType: 'Application' } });

    const updated = await path.put({ ...q, body: body({ displayName: 'Renamed' }) });
    expect(updated.status).toBe('200');
    const got = await path.get(q);
    expect(got.status).toBe('200');
    expect((got.body as { properties: { displayName: string } }).properties.displayName).toBe('Renamed');
    expect(f.sim.exemptions().find((e) => e.id === id)?.properties).toMatchObject({ displayName: 'Renamed', exemptionCategory: 'Waiver' });
    expect(f.sim.requests.filter((r) => r.operationId === 'PolicyExemptions_CreateOrUpdate').map((r) => r.status)).toEqual([201, 200]);
    expect(f.sim.violations).toEqual([]);
  });

  it('rejects a 129-character displayName with 400 InvalidRequestContent and records a violation', async () => {
    const res = await exemptionPath(f, SEED.resources.storageData, 'too-long').put({ ...q, body: body({ displayName: 'x'.repeat(129) }) });
    expect(res.status).toBe('400');
    const err = (res.body as ErrorBody).error;
    expect(err.code).toBe('InvalidRequestContent');
    expect(err.message).toContain('displayName');
    expect(f.sim.violations).toHaveLength(1);
    expect(f.sim.violations[0]).toMatchObject({ method: 'PUT', kind: 'request', problems: [{ target: '/properties/displayName' }] });
    expect(f.sim.exemptions().some((e) => e.name === 'too-long')).toBe(false);
  });

  it('accepts exactly 128 / 512 characters and rejects a 513-character description', async () => {
    const ok = await exemptionPath(f, SEED.resources.storageData, 'at-limit').put({ ...q, body: body({ displayName: 'd'.repeat(128), description: 'x'.repeat(512) }) });
    expect(ok.status).toBe('201');
    const bad = await exemptionPath(f, SEED.resources.storageData, 'desc-too-long').put({ ...q, body: body({ description: 'x'.repeat(513) }) });
    expect(bad.status).toBe('400');
    expect((bad.body as ErrorBody).error.details?.[0]?.target).toBe('/properties/description');
  });

  it('answers 403 AuthorizationFailed at a scope where exempt/action is denied', async () => {
    const res = await exemptionPath(f, SEED.deniedResource.resourceId, 'denied').put({
      ...q, body: body({ policyAssignmentId: SEED.assignments.mcsbShared }),
    });
    expect(res.status).toBe('403');
    const err = (res.body as ErrorBody).error;
    expect(err.code).toBe('AuthorizationFailed');
    expect(err.message).toMatch(new RegExp(`^The client '${SEED.clientObjectId}' with object id '${SEED.clientObjectId}' does not have authorization to perform action 'Microsoft.Authorization/policyAssignments/exempt/action' over scope '${SEED.deniedResource.resourceId}'`));
    expect(f.sim.violations).toEqual([]);
  });

  it('rejects readOnly and unknown properties with 400 and a violation each', async () => {
    const readOnly = await exemptionPath(f, SEED.resources.storageData, 'echoed').put({
      ...q, body: { id: '/subscriptions/x', name: 'echoed', ...body() },
    });
    expect(readOnly.status).toBe('400');
    expect(f.sim.violations.at(-1)?.problems).toEqual([
      expect.objectContaining({ target: '/id', keyword: 'readOnly' }),
      expect.objectContaining({ target: '/name', keyword: 'readOnly' }),
    ]);

    const unknown = await exemptionPath(f, SEED.resources.storageData, 'typo').put({ ...q, body: body({ exemptionCatgory: 'Waiver' }) });
    expect(unknown.status).toBe('400');
    expect((unknown.body as ErrorBody).error.code).toBe('InvalidRequestContent');
    expect(f.sim.violations.at(-1)?.problems.map((p) => p.message)).toContainEqual(expect.stringContaining("'exemptionCatgory'"));
    const systemData = await exemptionPath(f, SEED.resources.storageData, 'sysdata').put({ ...q, body: { systemData: { createdBy: 'me' }, ...body() } });
    expect(systemData.status).toBe('400');
    expect(f.sim.violations.at(-1)?.problems).toEqual([expect.objectContaining({ target: '/systemData', keyword: 'readOnly' })]);
    expect(f.sim.violations).toHaveLength(3);
  });

  it('rejects an undocumented exemptionCategory and a non-ISO expiresOn', async () => {
    const res = await exemptionPath(f, SEED.resources.storageData, 'bad-values').put({ ...q, body: body({ exemptionCategory: 'Temporary', expiresOn: '31/01/2030' }) });
    expect(res.status).toBe('400');
    expect(f.sim.violations[0]?.problems.map((p) => p.target).sort()).toEqual(['/properties/exemptionCategory', '/properties/expiresOn']);
  });

  it('rejects an api-version the exemption spec does not define', async () => {
    const res = await exemptionPath(f, SEED.resources.storageData, 'old-api').put({ queryParameters: { 'api-version': '2020-07-01-preview' }, body: body() });
    expect(res.status).toBe('400');
    expect((res.body as ErrorBody).error).toMatchObject({ code: 'InvalidApiVersionParameter', message: expect.stringContaining('2024-12-01-preview') });
    expect(f.sim.violations).toHaveLength(1);
  });

  it('checks the assignment: existing, at or above the scope, and reference ids of its initiative', async () => {
    const missing = await exemptionPath(f, SEED.resources.storageData, 'x1').put({
      ...q, body: body({ policyAssignmentId: `/subscriptions/${SEED.subscriptions.production}/providers/Microsoft.Authorization/policyAssignments/nope` }),
    });
    expect(missing.status).toBe('404');
    expect((missing.body as ErrorBody).error.code).toBe('PolicyAssignmentNotFound');

    const elsewhere = await exemptionPath(f, SEED.resources.storageData, 'x2').put({ ...q, body: body({ policyAssignmentId: SEED.assignments.storageBaselineRg, policyDefinitionReferenceIds: ['storage-secure-transfer'] }) });
    expect(elsewhere.status).toBe('400');

    const badRef = await exemptionPath(f, SEED.resources.storageData, 'x3').put({ ...q, body: body({ policyDefinitionReferenceIds: ['noSuchReference'] }) });
    expect(badRef.status).toBe('400');
    expect((badRef.body as ErrorBody).error.message).toContain('noSuchReference');

    const direct = await exemptionPath(f, SEED.resources.vmProd, 'x4').put({ ...q, body: body({ policyAssignmentId: SEED.assignments.jitDirect, policyDefinitionReferenceIds: undefined }) });
    expect(direct.status).toBe('201');
    expect(f.sim.violations).toEqual([]);
  });

  it('lists with atScope(), excludeExpired() and policyAssignmentId eq', async () => {
    const list = async (filter: string) => {
      const res = await f.rest.path('/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{resourceProviderNamespace}/{parentResourcePath}/{resourceType}/{resourceName}/providers/Microsoft.Authorization/policyExemptions',
        SEED.subscriptions.production, 'rg-app-prod', 'Microsoft.KeyVault', { value: '', allowReserved: true }, { value: 'vaults', allowReserved: true }, 'kv-contoso-prod-01')
        .get({ queryParameters: { 'api-version': EXEMPTION_API, $filter: filter } });
      expect(res.status).toBe('200');
      return (res.body as { value: Array<{ id: string }> }).value.map((e) => e.id);
    };
    expect(await list('atScope()')).toEqual([SEED.exemptions.expiredKeyVault]);
    expect(await list('atScope() and excludeExpired()')).toEqual([]);
    const sub = await f.rest.path('/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/policyExemptions', SEED.subscriptions.production)
      .get({ queryParameters: { 'api-version': EXEMPTION_API, $filter: `policyAssignmentId eq '${SEED.assignments.mcsbProduction}'` } });
    const ids = (sub.body as { value: Array<{ id: string }> }).value.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([SEED.exemptions.expiredKeyVault, SEED.exemptions.expiringSoonVm]));
    expect(ids).not.toContain(SEED.exemptions.sharedRg);
    expect(f.sim.violations).toEqual([]);
  });

  it('patches, deletes (200 then 204) and 404s what is gone', async () => {
    const path = exemptionPath(f, SEED.resources.storageShared, 'lifecycle');
    expect((await path.put({ ...q, body: body({ policyAssignmentId: SEED.assignments.mcsbShared }) })).status).toBe('201');
    const patched = await path.patch({ ...q, body: { properties: { assignmentScopeValidation: 'DoNotValidate' } } });
    expect(patched.status).toBe('200');
    expect((patched.body as { properties: { assignmentScopeValidation: string } }).properties.assignmentScopeValidation).toBe('DoNotValidate');
    expect((await path.delete(q)).status).toBe('200');
    expect((await path.delete(q)).status).toBe('204');
    const gone = await path.get(q);
    expect(gone.status).toBe('404');
    expect((gone.body as ErrorBody).error.code).toBe('PolicyExemptionNotFound');
    expect(f.sim.violations).toEqual([]);
  });

  it('keeps seeded exemptions with relative expiry in the future', () => {
    const soon = f.sim.exemptions().find((e) => e.id === SEED.exemptions.expiringSoonVm);
    const days = (Date.parse(soon!.properties.expiresOn!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(4.9);
    expect(days).toBeLessThan(5.1);
    expect(noLeadingSlash('/a')).toBe('a');
  });
});
