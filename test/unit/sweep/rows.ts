/** Rows shaped like Resource Graph's `objectArray` rows and ARM's exemption bodies (the same fields). */
export const SUB = '00000000-0000-0000-0000-0000000000aa';
export const OTHER_SUB = '00000000-0000-0000-0000-0000000000bb';
export const ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`;
export const VM = `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-1`;

export function exemptionRow(name: string, overrides: { id?: unknown; properties?: Record<string, unknown> } = {}) {
  return {
    id: overrides.id ?? `${VM}/providers/Microsoft.Authorization/policyExemptions/${name}`,
    name,
    properties: {
      policyAssignmentId: ASSIGNMENT,
      policyDefinitionReferenceIds: ['jitNetworkAccess'],
      exemptionCategory: 'Waiver',
      expiresOn: '2026-03-01T00:00:00Z',
      displayName: `Exemption ${name}`,
      metadata: { managedBy: 'exemption-broker', requestId: `req-${name}` },
      ...overrides.properties,
    },
  };
}
