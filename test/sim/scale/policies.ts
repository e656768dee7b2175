// The slice of the Microsoft cloud security benchmark the scale seed exempts: three storage
// recommendations (ids, reference ids and assessment keys as in the default seed and in Azure).
import type { SeedAssessment, SeedPolicyDefinition, SeedPolicySetDefinition } from '../seed-types.js';
import { SEED } from '../seed-ids.js';

const DEF = '/providers/Microsoft.Authorization/policyDefinitions/';

interface ScalePolicy {
  definitionId: string;
  referenceId: string;
  assessmentKey: string;
  short: string;
  metadata: SeedAssessment['metadata'];
}

const policy = (guid: string, referenceId: string, assessmentKey: string, short: string, displayName: string): ScalePolicy => ({
  definitionId: `${DEF}${guid}`, referenceId, assessmentKey, short,
  metadata: { displayName, policyDefinitionId: `${DEF}${guid}`, severity: 'Medium', assessmentType: 'BuiltIn', categories: ['Data'] },
});

export const POLICIES: readonly ScalePolicy[] = [
  policy('404c3081-a854-4457-ae30-26a93ef643f9', 'secureTransferToStorageAccountMonitoring', '1c5de8e1-f68d-6a17-e0d2-ec259c42768c',
    'secure-transfer', 'Secure transfer to storage accounts should be enabled'),
  policy('34c877ad-507e-4c82-993e-3452a6e0ad3c', 'disableUnrestrictedNetworkToStorageAccountMonitoring', '45d313c3-3fca-5040-035f-d61928366d31',
    'network-access', 'Storage accounts should restrict network access'),
  policy('2a1a9cdf-e04d-429a-8416-3bfb72a1b26f', 'storageAccountsShouldRestrictNetworkAccessUsingVirtualNetworkRulesMonitoringEffect',
    'ad4f3ff1-30eb-5042-16ed-27198f640b8d', 'vnet-rules', 'Storage accounts should restrict network access using virtual network rules'),
];

export const SCALE_POLICY_DEFINITIONS: SeedPolicyDefinition[] = POLICIES.map((p) => ({
  id: p.definitionId, displayName: p.metadata.displayName, policyType: 'BuiltIn', mode: 'Indexed', effect: 'Audit', category: 'Storage',
}));

export const SCALE_SET_DEFINITION: SeedPolicySetDefinition = {
  id: SEED.mcsbSetDefinitionId, displayName: 'Microsoft cloud security benchmark', policyType: 'BuiltIn', category: 'Security Center',
  policyDefinitions: POLICIES.map((p) => ({ policyDefinitionId: p.definitionId, policyDefinitionReferenceId: p.referenceId })),
};
