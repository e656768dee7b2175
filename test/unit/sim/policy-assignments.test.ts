import type { PolicyAssignment } from '@azure/arm-policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../sim/index.js';
import { startFixture, type SimFixture } from './sim-fixture.js';

async function collect(it: AsyncIterable<PolicyAssignment>): Promise<string[]> {
  const ids: string[] = [];
  for await (const a of it) ids.push(a.id!);
  return ids.sort();
}

describe('sim: policy assignments and definitions 2025-03-01 through @azure/arm-policy 7', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture(); });
  afterAll(async () => { await f.sim.close(); });

  it('lists every assignment at and above a resource with atScope(), incl. both that contain its policy', async () => {
    const policy = f.policy(SEED.subscriptions.production);
    const ids = await collect(policy.policyAssignments.listForResource(
      'rg-app-prod', 'Microsoft.Storage', '', 'storageAccounts', 'stcontosoprod01', { filter: 'atScope()' }));
    expect(ids).toEqual([
      SEED.assignments.allowedLocationsMg, SEED.assignments.storageBaselineRg,
      SEED.assignments.jitDirect, SEED.assignments.mcsbProduction,
    ].sort());
    for (const expected of SEED.twoAssignments.expected) expect(ids).toContain(expected.policyAssignmentId);
    const sent = f.sim.requests.find((r) => r.operationId === 'PolicyAssignments_ListForResource');
    expect(sent?.apiVersion).toBe('2025-03-01');
    expect(sent?.query.$filter).toBe('atScope()');
    expect(f.sim.violations).toEqual([]);
  });

  it('honours atExactScope() and policyDefinitionId eq', async () => {
    const policy = f.policy(SEED.subscriptions.production);
    expect(await collect(policy.policyAssignments.listForResourceGroup('rg-app-prod', { filter: 'atExactScope()' })))
      .toEqual([SEED.assignments.storageBaselineRg]);
    expect(await collect(policy.policyAssignments.list({ filter: `policyDefinitionId eq '${SEED.mcsbSetDefinitionId}'` })))
      .toEqual([SEED.assignments.mcsbProduction]);
    expect(f.sim.violations).toEqual([]);
  });

  it('rejects an unsupported $filter as a contract violation', async () => {
    const policy = f.policy(SEED.subscriptions.production);
    await expect(collect(policy.policyAssignments.list({ filter: "displayName eq 'x'" }))).rejects.toMatchObject({ statusCode: 400 });
    expect(f.sim.violations.at(-1)?.problems[0]?.target).toBe('query.$filter');
    f.sim.violations.length = 0;
  });

  it('gets an assignment by scope + name, and 404s an unknown one', async () => {
    const policy = f.policy(SEED.subscriptions.production);
    const a = await policy.policyAssignments.get(`subscriptions/${SEED.subscriptions.production}`, 'SecurityCenterBuiltIn');
    expect(a.id).toBe(SEED.assignments.mcsbProduction);
    expect(a.policyDefinitionId).toBe(SEED.mcsbSetDefinitionId);
    expect(a.scope).toBe(`/subscriptions/${SEED.subscriptions.production}`);
    await expect(policy.policyAssignments.get(`subscriptions/${SEED.subscriptions.production}`, 'nope'))
      .rejects.toMatchObject({ statusCode: 404, code: 'PolicyAssignmentNotFound' });
    expect(f.sim.violations).toEqual([]);
  });

  it('gets the built-in MCSB initiative with its reference ids, and a custom one at subscription scope', async () => {
    const policy = f.policy(SEED.subscriptions.production);
    const set = await policy.policySetDefinitions.getBuiltIn(SEED.mcsbSetDefinitionName);
    expect(set.id).toBe(SEED.mcsbSetDefinitionId);
    expect(set.displayName).toBe('Microsoft cloud security benchmark');
    expect(set.policyDefinitions).toContainEqual(expect.objectContaining({
      policyDefinitionId: SEED.policies.secureTransfer,
      policyDefinitionReferenceId: SEED.twoAssignments.expected[0].policyDefinitionReferenceIds[0],
    }));
    const custom = await policy.policySetDefinitions.get('contoso-storage-baseline');
    expect(custom.id).toBe(SEED.storageBaselineSetDefinitionId);
    const def = await policy.policyDefinitions.getBuiltIn(SEED.policies.jit.split('/').pop()!);
    expect(def.displayName).toMatch(/just-in-time/);
    await expect(policy.policySetDefinitions.getBuiltIn('00000000-0000-0000-0000-000000000000'))
      .rejects.toMatchObject({ statusCode: 404, code: 'PolicySetDefinitionNotFound' });
    expect(f.sim.requests.filter((r) => r.operationId?.startsWith('PolicySetDefinitions_')).every((r) => r.apiVersion === '2025-03-01')).toBe(true);
    expect(f.sim.violations).toEqual([]);
  });
});
