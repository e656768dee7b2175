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

const NATIVE_KEY = '3b9c2e7a-5d41-4f8e-a6b2-9c7d1e0f4a58';
const REC = { displayName: 'Machines should have secrets findings resolved', assessmentKey: NATIVE_KEY };

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
    const check = checkWrites({ recommendation: REC, targets: REVIEWED, decision: approval(REVIEWED) });
    expect(check.ok && check.writes.map((w) => [w.scope, w.kind === 'policy' && w.assignment.policyAssignmentId])).toEqual([
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
    expect(checkWrites({ recommendation: REC, targets, decision: approval(REVIEWED) })).toMatchObject({ ok: false, failure: { status: 412, code: 'ScopeMismatch' } });
  });

  it.each<[string, ExemptionTarget[]]>([
    ['a target that climbs with ..', withTarget(0, { resourceId: `${STORAGE}/../..` })],
    ['a target with an encoded dot-dot', withTarget(0, { resourceId: `${STORAGE}/%2e%2e` })],
    ['a target in non-canonical case', withTarget(0, { resourceId: STORAGE.replace('/resourceGroups/', '/RESOURCEGROUPS/') })],
    ['a target with a trailing slash', withTarget(0, { resourceId: `${STORAGE}/` })],
    ['an assignment that is not an assignment id', withTarget(1, { assignments: [{ policyAssignmentId: RG, policyDefinitionReferenceIds: [] }] })],
    ['an assignment below the resource it exempts', withTarget(0, { resourceId: RG, assignments: [{ policyAssignmentId: at(STORAGE, 'x'), policyDefinitionReferenceIds: [] }] })],
  ])('refuses %s even when the digest was computed over it (the row was written by someone else)', (_label, targets) => {
    const check = checkWrites({ recommendation: REC, targets, decision: approval(targets) });
    expect(check).toMatchObject({ ok: false, failure: { code: 'ScopeMismatch' } });
  });

  it('refuses a request with no approval, or an approval that records nothing reviewed', () => {
    const { reviewed: _omit, ...unrecorded } = approval(REVIEWED);
    for (const decision of [undefined, unrecorded, { ...approval(REVIEWED), outcome: 'rejected' as const }]) {
      expect(checkWrites({ recommendation: REC, targets: REVIEWED, decision })).toMatchObject({ ok: false, failure: { code: 'NotReviewed' } });
    }
  });

  it('passes a management-group assignment, which only ARM can place above the resource', () => {
    const targets = withTarget(1, { assignments: [{ policyAssignmentId: at('/providers/Microsoft.Management/managementGroups/contoso', 'allowed-locations'), policyDefinitionReferenceIds: [] }] });
    expect(checkWrites({ recommendation: REC, targets, decision: approval(targets) }).ok).toBe(true);
  });
});

describe('checkWrites: standard-assignment exemptions', () => {
  const STANDARD = '/providers/Microsoft.Security/Standards/e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13';
  const CONNECTOR = `${RG}/providers/Microsoft.Security/securityConnectors/aws-contoso-prod`;
  const AWS = `${CONNECTOR}/securityentitydata/aws-ec2-instance-i-0a1b2c3d4e5f67890`;
  const viaSubscription = `/subscriptions/${SUB}/providers/Microsoft.Security/standardAssignments/8f1d3b5a-7c2e-4a9b-b6d4-0e2f4a6c8b17`;
  const viaConnector = `${CONNECTOR}/providers/Microsoft.Security/standardAssignments/c2a4e6f8-0b1d-4c3e-8f5a-7b9d1e3f5a26`;
  const MIXED: ExemptionTarget[] = [
    { resourceId: VM, assignments: [{ policyAssignmentId: MCSB, policyDefinitionReferenceIds: [] }] },
    { resourceId: AWS, assignments: [], standards: [{ assignedStandardId: STANDARD, standardAssignmentId: viaConnector, displayName: 'MCSB' }] },
    { resourceId: RG, assignments: [], standards: [{ assignedStandardId: STANDARD, standardAssignmentId: viaSubscription }], coverage: { resources: 2, unhealthy: 2, countedAt: '2026-11-01T00:00:00.000Z' } },
  ];
  const withStandard = (index: number, change: Partial<NonNullable<ExemptionTarget['standards']>[number]>): ExemptionTarget[] =>
    MIXED.map((t, i) => (i === index ? { ...t, standards: [{ ...t.standards![0]!, ...change }] } : t));

  it('plans a policy write and a standard write per reviewed target, each at exactly the reviewed scope', () => {
    const check = checkWrites({ recommendation: REC, targets: MIXED, decision: approval(MIXED) });
    expect(check.ok && check.writes.map((w) => (w.kind === 'policy' ? ['policy', w.scope, w.assignment.policyAssignmentId] : ['standard', w.scope, w.standardName, w.assessmentKey]))).toEqual([
      ['policy', VM, MCSB],
      ['standard', AWS, 'e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13', NATIVE_KEY],
      ['standard', RG, 'e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13', NATIVE_KEY],
    ]);
  });

  it('digests a target without standards as it did before standards existed, so requests approved then still apply', () => {
    expect(reviewDigest(REVIEWED.map((t) => ({ ...t, standards: [] })))).toBe(reviewDigest(REVIEWED));
    expect(reviewDigest(MIXED)).not.toBe(reviewDigest(MIXED.map((t) => ({ ...t, standards: [] }))));
  });

  it.each<[string, ExemptionTarget[]]>([
    ['a standard swapped for another', withStandard(1, { assignedStandardId: '/providers/Microsoft.Security/Standards/1f3afdf9-d0c9-4c3d-847f-89da613e70a8' })],
    ['the assignment it comes through changed', withStandard(1, { standardAssignmentId: viaSubscription })],
    ['a standard added to a policy target', MIXED.map((t, i) => (i === 0 ? { ...t, standards: MIXED[1]!.standards! } : t))],
    ['a scope-wide target widened to the subscription', MIXED.map((t, i) => (i === 2 ? { ...t, resourceId: `/subscriptions/${SUB}` } : t))],
  ])('refuses with ScopeMismatch when the stored request has %s since review', (_label, targets) => {
    expect(checkWrites({ recommendation: REC, targets, decision: approval(MIXED) })).toMatchObject({ ok: false, failure: { status: 412, code: 'ScopeMismatch' } });
  });

  it.each<[string, ExemptionTarget[]]>([
    ['a standard id in another case', withStandard(1, { assignedStandardId: STANDARD.toUpperCase() })],
    ['a standard id that is a securityStandards resource id', withStandard(1, { assignedStandardId: `/subscriptions/${SUB}/providers/Microsoft.Security/securityStandards/e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13` })],
    ['a standard id that is not a GUID', withStandard(1, { assignedStandardId: '/providers/Microsoft.Security/Standards/../x' })],
    ['an assignment below the scope it exempts', withStandard(2, { standardAssignmentId: viaConnector })],
    ['an assignment id that climbs with ..', withStandard(1, { standardAssignmentId: `${CONNECTOR}/../providers/Microsoft.Security/standardAssignments/c2a4e6f8-0b1d-4c3e-8f5a-7b9d1e3f5a26` })],
    ['an assignment id whose name is not a GUID', withStandard(1, { standardAssignmentId: `${CONNECTOR}/providers/Microsoft.Security/standardAssignments/x` })],
  ])('refuses %s even when the digest was computed over it', (_label, targets) => {
    expect(checkWrites({ recommendation: REC, targets, decision: approval(targets) })).toMatchObject({ ok: false, failure: { code: 'ScopeMismatch' } });
  });

  it('refuses a standard write when the request holds no GUID assessment key to exempt', () => {
    for (const recommendation of [{ displayName: 'x' }, { displayName: 'x', assessmentKey: 'not-a-guid' }]) {
      expect(checkWrites({ recommendation, targets: MIXED, decision: approval(MIXED) })).toMatchObject({ ok: false, failure: { code: 'ScopeMismatch' } });
    }
  });
});
