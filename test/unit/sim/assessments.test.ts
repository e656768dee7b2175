import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../sim/index.js';
import { noLeadingSlash, startFixture, type SimFixture } from './sim-fixture.js';

describe('sim: Microsoft.Security/assessments 2021-06-01 through @azure/arm-security 5', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture(); });
  afterAll(async () => { await f.sim.close(); });

  it('gets an assessment with $expand=metadata, in the spec shape', async () => {
    const sec = f.security(SEED.subscriptions.production);
    const a = await sec.assessments.get(noLeadingSlash(SEED.twoAssignments.resourceId), SEED.twoAssignments.assessmentKey, { expand: 'metadata' });
    expect(a.name).toBe(SEED.twoAssignments.assessmentKey);
    expect(a.id).toBe(`${SEED.twoAssignments.resourceId}/providers/Microsoft.Security/assessments/${SEED.twoAssignments.assessmentKey}`);
    expect(a.resourceDetails).toEqual({ source: 'Azure', id: SEED.twoAssignments.resourceId });
    expect(a.status?.code).toBe('Unhealthy');
    expect(a.metadata?.policyDefinitionId).toBe(SEED.policies.secureTransfer);
    expect(a.links).toBeUndefined();

    const request = f.sim.requests.find((r) => r.operationId === 'Assessments_Get');
    expect(request?.apiVersion).toBe('2021-06-01');
    expect(request?.query.$expand).toBe('metadata');
    expect(f.sim.violations).toEqual([]);
  });

  it('gets links with $expand=links and no metadata', async () => {
    const a = await f.security(SEED.subscriptions.production).assessments.get(
      noLeadingSlash(SEED.unresolvable.resourceId), SEED.unresolvable.assessmentKey, { expand: 'links' });
    expect(a.links?.azurePortalUri).toContain(SEED.unresolvable.assessmentKey);
    expect(a.metadata).toBeUndefined();
    expect(f.sim.violations).toEqual([]);
  });

  it('without $expand answers neither links nor metadata, as the spec says', async () => {
    const a = await f.security(SEED.subscriptions.production).assessments.get(
      noLeadingSlash(SEED.initiativeAndDirect.resourceId), SEED.initiativeAndDirect.assessmentKey);
    expect(a.links).toBeUndefined();
    expect(a.metadata).toBeUndefined();
    expect(a.displayName).toBeDefined();
    expect(f.sim.violations).toEqual([]);
  });

  it('refuses a combined $expand: at 2021-06-01 it is one enum value, not a list', async () => {
    const a = await f.security(SEED.subscriptions.production).assessments.get(
      noLeadingSlash(SEED.initiativeAndDirect.resourceId), SEED.initiativeAndDirect.assessmentKey, { expand: 'links,metadata' })
      .catch((e: { statusCode?: number }) => e);
    expect(a).toMatchObject({ statusCode: 400 });
    expect(f.sim.violations.at(-1)?.problems[0]).toMatchObject({ target: 'query.$expand', keyword: 'enum' });
    f.sim.violations.length = 0;
  });

  it('lists the assessments under a subscription', async () => {
    const sec = f.security(SEED.subscriptions.shared);
    const all = [];
    for await (const a of sec.assessments.list(`subscriptions/${SEED.subscriptions.shared}`)) all.push(a);
    expect(all.length).toBe(3);
    expect(all.every((a) => a.id?.startsWith(`/subscriptions/${SEED.subscriptions.shared}/`))).toBe(true);
    expect(f.sim.violations).toEqual([]);
  });

  it('answers 404 for an unknown key and for a missing resource', async () => {
    const sec = f.security(SEED.subscriptions.production);
    await expect(sec.assessments.get(noLeadingSlash(SEED.resources.vmProd), '00000000-0000-0000-0000-000000000000'))
      .rejects.toMatchObject({ statusCode: 404, code: 'AssessmentNotFound' });
    await expect(sec.assessments.get(`subscriptions/${SEED.subscriptions.production}/resourceGroups/rg-app-prod/providers/Microsoft.Storage/storageAccounts/nope`, SEED.assessmentKeys.secureTransfer))
      .rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect(f.sim.violations).toEqual([]);
  });

  it('flags a resource id sent with its leading slash (the SDK then requests //subscriptions/…)', async () => {
    const sec = f.security(SEED.subscriptions.production);
    await expect(sec.assessments.get(SEED.resources.vmProd, SEED.assessmentKeys.jit)).rejects.toMatchObject({ statusCode: 400 });
    expect(f.sim.violations.at(-1)?.url.startsWith('//subscriptions/')).toBe(true);
    f.sim.violations.length = 0;
  });
});
