import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, SEED } from '../../sim/index.js';
import { TenantState } from '../../sim/state/tenant-state.js';

describe('sim: seed.json and the SEED constants agree', () => {
  it('every id in SEED occurs in seed.json', async () => {
    const text = (await readFile(new URL('../../sim/seed.json', import.meta.url), 'utf8')).toLowerCase();
    const ids: string[] = [];
    (function walk(v: unknown): void {
      if (typeof v === 'string') ids.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    })(SEED);
    const missing = ids.filter((id) => {
      if (id.includes('/providers/Microsoft.Authorization/policyExemptions/')) {
        const [scope, name] = id.split('/providers/Microsoft.Authorization/policyExemptions/');
        return !text.includes(`"${scope!.toLowerCase()}"`) || !text.includes(`"${name!.toLowerCase()}"`);
      }
      return !text.includes(id.toLowerCase());
    });
    expect(missing).toEqual([]);
  });

  it('is internally consistent: every reference resolves and scopes exist', async () => {
    const seed = await loadDefaultSeed();
    const state = new TenantState(seed);
    const problems: string[] = [];
    for (const a of seed.policyAssignments) {
      if (!state.policyDefinitions.has(a.policyDefinitionId.toLowerCase()) && !state.policySetDefinitions.has(a.policyDefinitionId.toLowerCase())) problems.push(`assignment ${a.id}: unknown definition`);
      if (!state.canonical(a.id.split('/providers/Microsoft.Authorization/')[0] || '/')) problems.push(`assignment ${a.id}: unknown scope`);
    }
    for (const s of seed.policySetDefinitions) for (const d of s.policyDefinitions) {
      if (!state.policyDefinitions.has(d.policyDefinitionId.toLowerCase())) problems.push(`set ${s.id}: unknown ${d.policyDefinitionId}`);
    }
    for (const a of seed.assessments) if (!state.canonical(a.resourceId)) problems.push(`assessment on unknown ${a.resourceId}`);
    for (const e of seed.exemptions ?? []) {
      if (!state.canonical(e.scope)) problems.push(`exemption on unknown ${e.scope}`);
      if (!state.policyAssignments.has(e.policyAssignmentId.toLowerCase())) problems.push(`exemption ${e.name}: unknown assignment`);
    }
    expect(problems).toEqual([]);
    expect(seed.subscriptions.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seed.subscriptions.map((s) => s.contactsListShape))).toEqual(new Set(['value', 'array']));
  });

  it('covers the roles tests rely on: two assignments, one unresolvable policy', async () => {
    const state = new TenantState(await loadDefaultSeed());
    const containing = (policyId: string, resourceId: string) => [...state.policyAssignments.values()]
      .filter((a) => state.isAtOrBelow(resourceId, a.id.split('/providers/Microsoft.Authorization/')[0] || '/'))
      .filter((a) => state.assignmentMembers(a).members.some((m) => m.policyDefinitionId.toLowerCase() === policyId.toLowerCase()))
      .map((a) => a.id);
    expect(containing(SEED.policies.secureTransfer, SEED.twoAssignments.resourceId).sort())
      .toEqual(SEED.twoAssignments.expected.map((e) => e.policyAssignmentId).sort());
    expect(containing(SEED.policies.jit, SEED.initiativeAndDirect.resourceId)).toHaveLength(2);
    expect(containing(SEED.policies.keyVaultSecretExpiry, SEED.unresolvable.resourceId)).toEqual([]);
    expect(state.exemptDenied(SEED.deniedResource.resourceId)).toBe(true);
    expect(state.exemptDenied(SEED.resources.storageShared)).toBe(false);
  });
});
