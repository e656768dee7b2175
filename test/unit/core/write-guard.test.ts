import { describe, expect, it } from 'vitest';
import type { Decision, ExemptionTarget } from '../../../lib/requests/model.js';
import { checkWrites, reviewDigest } from '../../../lib/requests/write-guard.js';

const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app-prod`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/stcontosoprod01`;
const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-app-prod-01`;
const at = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/policyAssignments/${name}`;
const MCSB = at(`/subscriptions/${SUB}`, 'SecurityCenterBuiltIn');
const BASELINE = at(RG, 'contoso-storage-baseline');

const REVIEWED: ExemptionTarget[] = [
  { resourceId: STORAGE, assignments: [
    { policyAssignmentId: MCSB, policyDefinitionReferenceIds: ['secureTransferToStorageAccountMonitoring'] },
    { policyAssignmentId: BASELINE, policyDefinitionReferenceIds: ['storage-secure-transfer'] },
  ] },
  { resourceId: VM, assignments: [{ policyAssignmentId: MCSB, policyDefinitionReferenceIds: [] }] },
];
const approval = (targets: readonly ExemptionTarget[]): Decision => ({
  outcome: 'approved', by: 'secops@contoso.com', at: '2026-11-01T00:00:00.000Z', channel: 'review-page', reviewed: reviewDigest(targets),
});
const withTarget = (index: number, change: Partial<ExemptionTarget>): ExemptionTarget[] =>
  REVIEWED.map((t, i) => (i === index ? { ...t, ...change } : t));

describe('checkWrites', () => {
  it('plans one write per reviewed assignment, each at exactly the reviewed resource', () => {
    const check = checkWrites({ targets: REVIEWED, decision: approval(REVIEWED) });
    expect(check.ok && check.writes.map((w) => [w.scope, w.assignment.policyAssignmentId])).toEqual([
      [STORAGE, MCSB], [STORAGE, BASELINE], [VM, MCSB],
    ]);
  });

  it.each<[string, ExemptionTarget[]]>([
    ['a target moved up to its resource group', withTarget(0, { resourceId: RG })],
    ['a target moved to a sibling resource', withTarget(1, { resourceId: `${RG}/providers/Microsoft.Compute/virtualMachines/vm-other` })],
    ['an assignment swapped for another one that is also above the resource', withTarget(1, { assignments: [{ policyAssignmentId: BASELINE, policyDefinitionReferenceIds: [] }] })],
    ['an assignment added', withTarget(1, { assignments: [...REVIEWED[1]!.assignments, { policyAssignmentId: BASELINE, policyDefinitionReferenceIds: [] }] })],
    ['a reference id changed', withTarget(0, { assignments: [{ ...REVIEWED[0]!.assignments[0]!, policyDefinitionReferenceIds: ['other'] }, REVIEWED[0]!.assignments[1]!] })],
    ['a target added', [...REVIEWED, { resourceId: RG, assignments: [{ policyAssignmentId: MCSB, policyDefinitionReferenceIds: [] }] }]],
    ['a target removed', REVIEWED.slice(0, 1)],
  ])('refuses with ScopeMismatch when the stored request has %s since review', (_label, targets) => {
    expect(checkWrites({ targets, decision: approval(REVIEWED) })).toMatchObject({ ok: false, failure: { status: 412, code: 'ScopeMismatch' } });
  });

  it.each<[string, ExemptionTarget[]]>([
    ['a target that climbs with ..', withTarget(0, { resourceId: `${STORAGE}/../..` })],
    ['a target with an encoded dot-dot', withTarget(0, { resourceId: `${STORAGE}/%2e%2e` })],
    ['a target in non-canonical case', withTarget(0, { resourceId: STORAGE.replace('/resourceGroups/', '/RESOURCEGROUPS/') })],
    ['a target with a trailing slash', withTarget(0, { resourceId: `${STORAGE}/` })],
    ['an assignment that is not an assignment id', withTarget(1, { assignments: [{ policyAssignmentId: RG, policyDefinitionReferenceIds: [] }] })],
    ['an assignment below the resource it exempts', withTarget(0, { resourceId: RG, assignments: [{ policyAssignmentId: at(STORAGE, 'x'), policyDefinitionReferenceIds: [] }] })],
  ])('refuses %s even when the digest was computed over it (the row was written by someone else)', (_label, targets) => {
    const check = checkWrites({ targets, decision: approval(targets) });
    expect(check).toMatchObject({ ok: false, failure: { code: 'ScopeMismatch' } });
  });

  it('refuses a request with no approval, or an approval that records nothing reviewed', () => {
    const { reviewed: _omit, ...unrecorded } = approval(REVIEWED);
    for (const decision of [undefined, unrecorded, { ...approval(REVIEWED), outcome: 'rejected' as const }]) {
      expect(checkWrites({ targets: REVIEWED, decision })).toMatchObject({ ok: false, failure: { code: 'NotReviewed' } });
    }
  });

  it('passes a management-group assignment, which only ARM can place above the resource', () => {
    const targets = withTarget(1, { assignments: [{ policyAssignmentId: at('/providers/Microsoft.Management/managementGroups/contoso', 'allowed-locations'), policyDefinitionReferenceIds: [] }] });
    expect(checkWrites({ targets, decision: approval(targets) }).ok).toBe(true);
  });
});
