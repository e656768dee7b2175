import { describe, expect, it } from 'vitest';
import {
  assignmentCovers, canonicalPolicyAssignmentId, parsePolicyAssignmentId, readPolicyAssignmentId,
} from '../../../lib/azure/policy-assignment-id.js';
import { parseResourceId } from '../../../lib/azure/resource-id.js';
import { HOSTILE_IDS } from '../../support/hostile-ids.js';

const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const TAIL = '/providers/Microsoft.Authorization/policyAssignments';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app-prod`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/st1`;

describe('readPolicyAssignmentId', () => {
  it.each([
    ['a management group', `/providers/Microsoft.Management/managementGroups/contoso${TAIL}/allowed-locations`, { kind: 'managementGroup', managementGroup: 'contoso' }],
    ['a subscription', `/subscriptions/${SUB}${TAIL}/SecurityCenterBuiltIn`, { kind: 'subscription', subscriptionId: SUB }],
    ['a resource group', `${RG}${TAIL}/contoso-storage-baseline`, { kind: 'resourceGroup', subscriptionId: SUB, resourceGroup: 'rg-app-prod' }],
    ['a resource', `${STORAGE}${TAIL}/on-the-account`, { kind: 'resource', resourceGroup: 'rg-app-prod', path: [{ type: 'storageAccounts', name: 'st1' }] }],
  ])('reads an assignment at %s', (_label, id, scope) => {
    expect(parsePolicyAssignmentId(id)?.scope).toMatchObject(scope);
    expect(canonicalPolicyAssignmentId(id)).toBe(id);
  });

  it('writes keywords and the subscription GUID canonically and drops one trailing slash', () => {
    const sloppy = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/PROVIDERS/microsoft.authorization/POLICYASSIGNMENTS/SecurityCenterBuiltIn/`;
    expect(canonicalPolicyAssignmentId(sloppy)).toBe(`/subscriptions/${SUB}${TAIL}/SecurityCenterBuiltIn`);
    const mg = `/providers/microsoft.management/MANAGEMENTGROUPS/contoso${TAIL.toLowerCase()}/x`;
    expect(canonicalPolicyAssignmentId(mg)).toBe(`/providers/Microsoft.Management/managementGroups/contoso${TAIL}/x`);
  });

  it.each(HOSTILE_IDS.assignment)('refuses %s', (_label, raw, reason) => {
    const read = readPolicyAssignmentId(raw);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(reason);
  });
});

describe('assignmentCovers', () => {
  const covers = (assignment: string, resource: string) => assignmentCovers(parsePolicyAssignmentId(assignment)!, parseResourceId(resource)!);

  it('is yes for an assignment at the resource or any ancestor', () => {
    for (const scope of [`/subscriptions/${SUB}`, RG, STORAGE, RG.toUpperCase()]) expect(covers(`${scope}${TAIL}/a`, STORAGE), scope).toBe('yes');
  });

  it('is no for a sibling group, a descendant or another subscription', () => {
    expect(covers(`/subscriptions/${SUB}/resourceGroups/rg-other${TAIL}/a`, STORAGE)).toBe('no');
    expect(covers(`${STORAGE}${TAIL}/a`, RG)).toBe('no');
    expect(covers(`/subscriptions/9a7e4d2c-1b3f-4e8a-b6c5-2d9f0e1a3b47${TAIL}/a`, STORAGE)).toBe('no');
  });

  it('is unknown for a management group, whose members only ARM knows', () => {
    expect(covers(`/providers/Microsoft.Management/managementGroups/contoso${TAIL}/a`, STORAGE)).toBe('unknown');
  });
});
