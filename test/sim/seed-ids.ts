// Well-known ids of test/sim/seed.json, named by the role they play in tests.
// A unit test checks that every id here exists in the seed, so the two cannot drift apart silently.

const S1 = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const S2 = '9a7e4d2c-1b3f-4e8a-b6c5-2d9f0e1a3b47';
const S3 = 'c5d1e9b3-7f2a-4a6c-8e4d-1b0f3a5c7e92';
const BUILTIN_POLICY = '/providers/Microsoft.Authorization/policyDefinitions/';
const assignment = (scope: string, name: string): string => `${scope}/providers/Microsoft.Authorization/policyAssignments/${name}`;
const res = (sub: string, rg: string, type: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/${type}/${name}`;

export const SEED = {
  tenantId: '7d3c1f5e-2b4a-4c8e-9f61-0a5b3e2d1c47',
  clientId: '4f8e2a61-93b7-4d0c-a5e2-6c1b9f7d3e08',
  clientObjectId: 'b2c4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
  managementGroup: 'contoso',

  subscriptions: {
    /** Contoso Production: contacts answered as `{ value: [...] }`. */
    production: S1,
    /** Contoso Shared Services: contacts answered as a bare JSON array (2020-01-01-preview behaviour). */
    shared: S2,
    /** Contoso Sandbox: no security contacts at all (fallback approvers apply). */
    sandbox: S3,
  },
  contactsShape: { value: S1, array: S2, none: S3 },
  /** What a correct split/trim/dedupe (case-insensitive) of each subscription's `emails` yields. */
  contactEmails: {
    [S1]: ['secops@contoso.com', 'alice.admin@contoso.com', 'bob.approver@contoso.com'],
    [S2]: ['secops@contoso.com', 'carol.shared@contoso.com'],
    [S3]: [] as string[],
  } as Record<string, string[]>,

  mcsbSetDefinitionName: '1f3afdf9-d0c9-4c3d-847f-89da613e70a8',
  mcsbSetDefinitionId: '/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8',
  storageBaselineSetDefinitionId: `/subscriptions/${S1}/providers/Microsoft.Authorization/policySetDefinitions/contoso-storage-baseline`,

  assignments: {
    mcsbProduction: assignment(`/subscriptions/${S1}`, 'SecurityCenterBuiltIn'),
    mcsbShared: assignment(`/subscriptions/${S2}`, 'SecurityCenterBuiltIn'),
    mcsbSandbox: assignment(`/subscriptions/${S3}`, 'SecurityCenterBuiltIn'),
    /** Custom initiative at rg-app-prod that also contains "secure transfer" and "restrict network access". */
    storageBaselineRg: assignment(`/subscriptions/${S1}/resourceGroups/rg-app-prod`, 'contoso-storage-baseline'),
    /** Direct (non-initiative) assignment of the JIT policy at the production subscription. */
    jitDirect: assignment(`/subscriptions/${S1}`, 'contoso-require-jit'),
    allowedLocationsMg: assignment('/providers/Microsoft.Management/managementGroups/contoso', 'allowed-locations'),
  },

  policies: {
    secureTransfer: `${BUILTIN_POLICY}404c3081-a854-4457-ae30-26a93ef643f9`,
    /** "Storage accounts should restrict network access" (networkAcls.defaultAction). */
    storageNetwork: `${BUILTIN_POLICY}34c877ad-507e-4c82-993e-3452a6e0ad3c`,
    /** "Storage accounts should restrict network access using virtual network rules". */
    storageNetworkVnetRules: `${BUILTIN_POLICY}2a1a9cdf-e04d-429a-8416-3bfb72a1b26f`,
    jit: `${BUILTIN_POLICY}b0f33259-77d7-4c9e-aac6-3aabcfae693c`,
    systemUpdates: `${BUILTIN_POLICY}f85bf3e0-d513-442e-89c3-1784ad63382b`,
    keyVaultSecretExpiry: `${BUILTIN_POLICY}98728c90-32c7-4049-8429-847dc0f4fe37`,
  },

  /**
   * The MCSB's policyDefinitionReferenceIds for the seed's policies, as Microsoft publishes them
   * (test/fixtures/published-mapping pins them). The seed's MCSB is trimmed to these.
   */
  mcsbReferenceIds: {
    secureTransfer: 'secureTransferToStorageAccountMonitoring',
    storageNetwork: 'disableUnrestrictedNetworkToStorageAccountMonitoring',
    storageNetworkVnetRules: 'storageAccountsShouldRestrictNetworkAccessUsingVirtualNetworkRulesMonitoringEffect',
    jit: 'jitNetworkAccessMonitoring',
    systemUpdates: 'systemUpdatesV2Monitoring',
    keyVaultSoftDelete: 'keyVaultsShouldHaveSoftDeleteEnabledMonitoringEffect',
    sqlTde: 'sqlDbEncryptionMonitoring',
  },

  resources: {
    storageProd: res(S1, 'rg-app-prod', 'Microsoft.Storage/storageAccounts', 'stcontosoprod01'),
    vmProd: res(S1, 'rg-app-prod', 'Microsoft.Compute/virtualMachines', 'vm-app-prod-01'),
    keyVaultProd: res(S1, 'rg-app-prod', 'Microsoft.KeyVault/vaults', 'kv-contoso-prod-01'),
    sqlDatabaseProd: `/subscriptions/${S1}/resourceGroups/rg-app-prod/providers/Microsoft.Sql/servers/sql-contoso-prod/databases/appdb`,
    storageData: res(S1, 'rg-data-prod', 'Microsoft.Storage/storageAccounts', 'stcontosodata01'),
    storageShared: res(S2, 'rg-shared-network', 'Microsoft.Storage/storageAccounts', 'stcontososhared01'),
    storageRestricted: res(S2, 'rg-restricted-finance', 'Microsoft.Storage/storageAccounts', 'stfinancerestricted01'),
    vmSandbox: res(S3, 'rg-sandbox', 'Microsoft.Compute/virtualMachines', 'vm-sandbox-01'),
  },

  assessmentKeys: {
    secureTransfer: '1c5de8e1-f68d-6a17-e0d2-ec259c42768c',
    /** "Access to storage accounts with firewall and virtual network configurations should be restricted" → storageNetwork. */
    storageNetwork: '45d313c3-3fca-5040-035f-d61928366d31',
    /** "Storage accounts should restrict network access using virtual network rules" → storageNetworkVnetRules. */
    storageNetworkVnetRules: 'ad4f3ff1-30eb-5042-16ed-27198f640b8d',
    jit: '805651bc-6ecd-4c73-9b55-97a19d0582d0',
    /** "System updates should be installed on your machines (powered by Azure Update Manager)". */
    systemUpdates: 'e1145ab1-eb4f-43d8-911b-36ddf771d13f',
    keyVaultSoftDelete: '78211c00-15a9-336e-17c4-0b48613dadf4',
    keyVaultSecretExpiry: '14257785-9437-97fa-11ae-898cfb24302b',
    sqlTde: '651967bf-044e-4bde-8376-3e08e0600105',
  },

  /** stcontosoprod01 + "secure transfer": covered by MCSB at the subscription AND the storage baseline at its resource group. */
  twoAssignments: {
    resourceId: res(S1, 'rg-app-prod', 'Microsoft.Storage/storageAccounts', 'stcontosoprod01'),
    assessmentKey: '1c5de8e1-f68d-6a17-e0d2-ec259c42768c',
    expected: [
      { policyAssignmentId: assignment(`/subscriptions/${S1}`, 'SecurityCenterBuiltIn'), policyDefinitionReferenceIds: ['secureTransferToStorageAccountMonitoring'] },
      { policyAssignmentId: assignment(`/subscriptions/${S1}/resourceGroups/rg-app-prod`, 'contoso-storage-baseline'), policyDefinitionReferenceIds: ['storage-secure-transfer'] },
    ],
  },
  /** vm-app-prod-01 + JIT: MCSB (initiative, one reference id) and a direct policy assignment (no reference ids). */
  initiativeAndDirect: {
    resourceId: res(S1, 'rg-app-prod', 'Microsoft.Compute/virtualMachines', 'vm-app-prod-01'),
    assessmentKey: '805651bc-6ecd-4c73-9b55-97a19d0582d0',
  },
  /**
   * kv-contoso-prod-01 + "secrets should expire": no assignment contains that policy. In Azure the MCSB
   * does contain it (secretsExpirationSet); the seed's trimmed copy leaves it out to make this case.
   */
  unresolvable: {
    resourceId: res(S1, 'rg-app-prod', 'Microsoft.KeyVault/vaults', 'kv-contoso-prod-01'),
    assessmentKey: '14257785-9437-97fa-11ae-898cfb24302b',
  },
  /** The client lacks policyAssignments/exempt/action here and below: exemption PUTs answer 403 AuthorizationFailed. */
  deniedScope: `/subscriptions/${S2}/resourceGroups/rg-restricted-finance`,
  deniedResource: {
    resourceId: res(S2, 'rg-restricted-finance', 'Microsoft.Storage/storageAccounts', 'stfinancerestricted01'),
    assessmentKey: '1c5de8e1-f68d-6a17-e0d2-ec259c42768c',
  },

  exemptions: {
    /** Expired (2025-01-31): still listed, filtered out by excludeExpired(). */
    expiredKeyVault: `${res(S1, 'rg-app-prod', 'Microsoft.KeyVault/vaults', 'kv-contoso-prod-01')}/providers/Microsoft.Authorization/policyExemptions/kv-soft-delete-legacy`,
    /** Broker-managed, expires 5 days after the sim starts. */
    expiringSoonVm: `${res(S1, 'rg-app-prod', 'Microsoft.Compute/virtualMachines', 'vm-app-prod-01')}/providers/Microsoft.Authorization/policyExemptions/eb-seed-0001-securitycenterbuiltin`,
    /** Not managed by the broker, no expiry. */
    sharedRg: `/subscriptions/${S2}/resourceGroups/rg-shared-network/providers/Microsoft.Authorization/policyExemptions/shared-network-storage-waiver`,
  },
} as const;

const NATIVE_KEY = '3b9c2e7a-5d41-4f8e-a6b2-9c7d1e0f4a58';
const AWS_CONNECTOR = `/subscriptions/${S1}/resourceGroups/rg-app-prod/providers/Microsoft.Security/securityConnectors/aws-contoso-prod`;

/** Defender's own engine (seed.json `defender`): a recommendation with no policy, exempted through standardAssignments. */
export const DEFENDER = {
  /** "Machines should have secrets findings resolved": Defender-native, no policyDefinitionId. */
  nativeAssessmentKey: NATIVE_KEY,
  /** The standard containing it, assigned (effect Audit) at the production subscription and at the AWS connector. */
  standardName: 'e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13',
  standardAssignments: {
    subscription: `/subscriptions/${S1}/providers/Microsoft.Security/standardAssignments/8f1d3b5a-7c2e-4a9b-b6d4-0e2f4a6c8b17`,
    awsConnector: `${AWS_CONNECTOR}/providers/Microsoft.Security/standardAssignments/c2a4e6f8-0b1d-4c3e-8f5a-7b9d1e3f5a26`,
  },
  awsConnector: AWS_CONNECTOR,
  /** Defender exemptions (effect Exempt) no request made: one current, one expired on 2025-03-31. */
  standardExemptions: {
    unmanagedKeyVault: `${res(S1, 'rg-app-prod', 'Microsoft.KeyVault/vaults', 'kv-contoso-prod-01')}/providers/Microsoft.Security/standardAssignments/5d7f9b1c-3e5a-4c7e-9b1d-3f5a7c9e1b24`,
    expiredStorage: `${res(S1, 'rg-data-prod', 'Microsoft.Storage/storageAccounts', 'stcontosodata01')}/providers/Microsoft.Security/standardAssignments/9e1a3c5b-7d9f-4b1d-8e3a-5c7e9a1b3d46`,
  },
  /** The native recommendation on an Azure VM and on an AWS EC2 instance Defender sees through the connector. */
  azureResource: res(S1, 'rg-app-prod', 'Microsoft.Compute/virtualMachines', 'vm-app-prod-01'),
  awsResource: `${AWS_CONNECTOR}/securityentitydata/aws-ec2-instance-i-0a1b2c3d4e5f67890`,
  /**
   * The policy-based JIT recommendation (SEED.assessmentKeys.jit) is also assessed on the AWS instance,
   * and the standard contains it: Azure Policy cannot reach the instance, so there it is a standard exemption.
   */
  policyKeyInStandard: '805651bc-6ecd-4c73-9b55-97a19d0582d0',
  /** Defender-native, in the standard, but in preview: not exemptible. */
  previewKey: '7d3f1a9e-2c4b-4e6a-8f0d-5b1c3e7a9f24',
  /** A custom (CustomerManaged) recommendation, in the standard: not exemptible. */
  customKey: 'c6e2a8f4-1b3d-4f5e-9a7c-0d2e4f6a8b35',
  /** Defender-native, assessed on the VM, but in no assigned standard: nothing to exempt it from. */
  unassignedKey: 'a1c3e5f7-9b2d-4e6f-8a0c-2e4f6a8c0e17',
} as const;
