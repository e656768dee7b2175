import type { ExemptionRequest, ExemptionTarget } from '../../lib/requests/model.js';
import { sampleRequest } from './sample-request.js';

/** Requests whose targets use each exemption mechanism, and a scope-wide one, for the renderers' tests. */

export const SUB = '00000000-0000-0000-0000-00000000aaaa';
export const RG = `/subscriptions/${SUB}/resourceGroups/rg-app-prod`;
export const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-app-prod-01`;
export const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/stappprod01`;
export const AWS_EC2 = `${RG}/providers/Microsoft.Security/securityConnectors/aws-prod/securityentitydata/aws-ec2-instance-i-0a1b2c3d4e5f67890`;

export const POLICY_ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`;
export const STANDARD_ID = '/providers/Microsoft.Security/Standards/e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13';
export const STANDARD_ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Security/standardAssignments/8f1d3b5a-7c2e-4a9b-b6d4-0e2f4a6c8b17`;
export const AWS_STANDARD_ASSIGNMENT = `${RG}/providers/Microsoft.Security/securityConnectors/aws-prod/providers/Microsoft.Security/standardAssignments/c2a4e6f8-0b1d-4c3e-8f5a-7b9d1e3f5a26`;

export const policyTarget: ExemptionTarget = {
  resourceId: STORAGE,
  assignments: [{ policyAssignmentId: POLICY_ASSIGNMENT, displayName: 'Microsoft cloud security benchmark', policyDefinitionReferenceIds: ['storageAccountsShouldRestrictNetworkAccess', 'secondRef'] }],
};

export const standardTarget: ExemptionTarget = {
  resourceId: VM,
  assignments: [],
  standards: [{ assignedStandardId: STANDARD_ID, displayName: 'Microsoft cloud security benchmark (Defender)', standardAssignmentId: STANDARD_ASSIGNMENT }],
};

export const awsTarget: ExemptionTarget = {
  resourceId: AWS_EC2,
  assignments: [],
  standards: [{ assignedStandardId: STANDARD_ID, standardAssignmentId: AWS_STANDARD_ASSIGNMENT }],
};

export const COUNTED_AT = '2026-12-01T10:00:00.000Z';

export const resourceGroupTarget: ExemptionTarget = {
  resourceId: RG,
  assignments: [],
  standards: [{ assignedStandardId: STANDARD_ID, displayName: 'Microsoft cloud security benchmark (Defender)', standardAssignmentId: STANDARD_ASSIGNMENT }],
  coverage: { resources: 12, unhealthy: 3, countedAt: COUNTED_AT },
};

export const subscriptionTarget: ExemptionTarget = {
  resourceId: `/subscriptions/${SUB}`,
  assignments: [{ policyAssignmentId: POLICY_ASSIGNMENT, policyDefinitionReferenceIds: [] }],
  coverage: { resources: 1, unhealthy: 0, countedAt: COUNTED_AT },
};

export function targetsRequest(targets: readonly ExemptionTarget[], overrides: Partial<ExemptionRequest> = {}): ExemptionRequest {
  return sampleRequest({
    id: 'req-mixed-1',
    state: 'notified',
    recommendation: { assessmentKey: 'k-native', displayName: 'Machines should have secrets findings resolved', severity: 'High' },
    targets,
    category: 'Mitigated',
    justification: 'Secrets rotate through Key Vault',
    expiresOn: '2027-01-15T00:00:00.000Z',
    requestedBy: 'owner@contoso.com',
    ...overrides,
  });
}

/** A decided and applied mixed request: one policy exemption and one standard assignment created. */
export function appliedMixedRequest(): ExemptionRequest {
  return targetsRequest([policyTarget, standardTarget], {
    state: 'applied',
    decision: { outcome: 'approved', by: 'secops@contoso.com', at: '2026-12-01T11:00:00.000Z', channel: 'review-page' },
    exemptions: [
      { kind: 'policy', id: `${STORAGE}/providers/Microsoft.Authorization/policyExemptions/eb-1`, resourceId: STORAGE, policyAssignmentId: POLICY_ASSIGNMENT },
      { kind: 'standard', id: `${VM}/providers/Microsoft.Security/standardAssignments/5d1c7e2a-1111-4a2b-8c3d-9e8f7a6b5c4d`, resourceId: VM, assignedStandardId: STANDARD_ID },
    ],
  });
}

/**
 * A request as stored before standards existed: no `standards`, no `kind` on its exemptions; and the
 * same request as it would be written now. Every channel must render the two identically.
 */
export function oldAndNowPolicyRequests(): [ExemptionRequest, ExemptionRequest] {
  const created = { id: `${STORAGE}/providers/Microsoft.Authorization/policyExemptions/eb-1`, resourceId: STORAGE, policyAssignmentId: POLICY_ASSIGNMENT };
  const base = {
    state: 'applied' as const,
    decision: { outcome: 'approved' as const, by: 'secops@contoso.com', at: '2026-12-01T11:00:00.000Z', channel: 'review-page' as const },
    lastError: { status: 403, code: 'AuthorizationFailed', message: 'no' },
  };
  const old = targetsRequest([policyTarget], { ...base, exemptions: [created] });
  const now = targetsRequest([{ ...policyTarget, standards: [] }], { ...base, exemptions: [{ kind: 'policy', ...created }] });
  return [old, now];
}
