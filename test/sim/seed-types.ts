// Shape of test/sim/seed.json. Kept close to ARM's own resource shapes so a seed reads like portal exports,
// but compact where ARM is repetitive (ids are derived from scope + name).

export interface SimSeed {
  tenantId: string;
  /** The app's service principal: what ClientSecretCredential authenticates as. */
  client: { clientId: string; clientSecret: string; objectId: string; displayName: string };
  managementGroups?: SeedManagementGroup[];
  subscriptions: SeedSubscription[];
  policyDefinitions: SeedPolicyDefinition[];
  policySetDefinitions: SeedPolicySetDefinition[];
  policyAssignments: SeedPolicyAssignment[];
  assessments: SeedAssessment[];
  exemptions?: SeedExemption[];
  /** Scopes (and everything below them) where the client lacks Microsoft.Authorization/policyAssignments/exempt/action. */
  deniedExemptScopes?: string[];
  defender?: SeedDefender;
}

export interface SeedManagementGroup {
  name: string;
  displayName: string;
  subscriptionIds: string[];
}

export interface SeedSubscription {
  subscriptionId: string;
  displayName: string;
  /**
   * How SecurityContacts_List answers: 'value' = `{ value: [...] }` (2023-12-01-preview spec),
   * 'array' = a bare JSON array (what 2020-01-01-preview returned; the app must accept both).
   */
  contactsListShape: 'value' | 'array';
  securityContacts: SeedSecurityContact[];
  resourceGroups: SeedResourceGroup[];
}

export interface SeedSecurityContact {
  name: 'default';
  /** One string, `;`-separated, as ARM stores it. */
  emails: string;
  phone?: string;
  isEnabled?: boolean;
  notificationsByRole?: { state: 'On' | 'Off'; roles: string[] };
  notificationsSources?: Array<{ sourceType: 'Alert'; minimalSeverity: string } | { sourceType: 'AttackPath'; minimalRiskLevel: string }>;
}

export interface SeedResourceGroup {
  name: string;
  location: string;
  resources: SeedResource[];
}

export interface SeedResource {
  /** `Microsoft.Storage/storageAccounts`, or a nested type such as `Microsoft.Sql/servers/databases`. */
  type: string;
  /** For nested types, `parent/child`. */
  name: string;
  location?: string;
}

export interface SeedPolicyDefinition {
  /** Full id: built-ins under /providers/Microsoft.Authorization, custom ones under a subscription or management group. */
  id: string;
  displayName: string;
  description?: string;
  policyType: 'BuiltIn' | 'Custom' | 'Static';
  mode: string;
  effect?: string;
  category?: string;
  version?: string;
}

export interface SeedPolicySetDefinition {
  id: string;
  displayName: string;
  description?: string;
  policyType: 'BuiltIn' | 'Custom' | 'Static';
  category?: string;
  version?: string;
  policyDefinitions: Array<{ policyDefinitionId: string; policyDefinitionReferenceId: string; groupNames?: string[] }>;
}

export interface SeedPolicyAssignment {
  /** `{scope}/providers/Microsoft.Authorization/policyAssignments/{name}` */
  id: string;
  displayName: string;
  description?: string;
  /** A policy definition id or a policy set definition id. */
  policyDefinitionId: string;
  enforcementMode?: 'Default' | 'DoNotEnforce';
  notScopes?: string[];
  location?: string;
}

export interface SeedAssessment {
  /** The assessed resource (or subscription). */
  resourceId: string;
  /** Assessment key (a GUID shared by every resource assessed by the same recommendation). */
  name: string;
  displayName: string;
  status: { code: 'Healthy' | 'Unhealthy' | 'NotApplicable'; cause?: string; description?: string };
  metadata: {
    displayName: string;
    policyDefinitionId: string;
    severity: 'Low' | 'Medium' | 'High';
    assessmentType: 'BuiltIn' | 'CustomPolicy' | 'CustomerManaged' | 'VerifiedPartner';
    description?: string;
    remediationDescription?: string;
    categories?: string[];
    userImpact?: 'Low' | 'Moderate' | 'High';
    implementationEffort?: 'Low' | 'Moderate' | 'High';
    threats?: string[];
    preview?: boolean;
  };
  additionalData?: Record<string, string>;
}

export interface SeedExemption {
  /** Exempted scope: a resource, resource group, subscription or management group id. */
  scope: string;
  name: string;
  policyAssignmentId: string;
  policyDefinitionReferenceIds?: string[];
  exemptionCategory: 'Waiver' | 'Mitigated';
  displayName?: string;
  description?: string;
  /** Absolute expiry (ISO 8601 UTC) ... */
  expiresOn?: string;
  /** ... or relative to when the sim starts, so "expiring soon" stays true whenever the tests run. */
  expiresInDays?: number;
  metadata?: Record<string, unknown>;
  /** 'UserSelfServe' = created by a user through self-serve exemption management (shown by Resource Graph only). */
  exemptionManagementMode?: 'Default' | 'UserSelfServe';
  createdAt?: string;
  createdBy?: string;
}

/**
 * Defender for Cloud's own engine: security standards, their assignments (Microsoft.Security/standardAssignments,
 * 2024-08-01), security connectors and the Defender-native recommendations (no policyDefinitionId) they carry.
 * Kept apart from `assessments` so the policy-based seed, and every count built on it, stays as it is.
 */
export interface SeedDefender {
  securityStandards: SeedSecurityStandard[];
  /** Assignments already in place (the standard's own `Audit` assignment, pre-existing exemptions). */
  standardAssignments: SeedStandardAssignment[];
  securityConnectors: SeedSecurityConnector[];
  assessments: SeedNativeAssessment[];
}

export interface SeedSecurityStandard {
  /** GUID; assigned as `/providers/Microsoft.Security/Standards/{name}`. */
  name: string;
  /** Where SecurityStandards_List/Get answer for it (a subscription). */
  scope: string;
  displayName: string;
  description?: string;
  standardType: 'Custom' | 'Default' | 'Compliance';
  cloudProviders: Array<'Azure' | 'AWS' | 'GCP'>;
  assessmentKeys: string[];
}

export interface SeedStandardAssignment {
  scope: string;
  /** GUID. */
  name: string;
  displayName: string;
  description?: string;
  /** The standard's GUID. */
  standard: string;
  effect: 'Audit' | 'Exempt' | 'Attest';
  /** For `Exempt`: exemptionData, as the 2024-08-01 API spells it. */
  exemptionCategory?: 'waiver' | 'mitigated';
  assessmentKey?: string;
  /** ISO 8601 UTC ... */
  expiresOn?: string;
  /** ... or relative to when the sim starts. */
  expiresInDays?: number;
}

/** `{resourceGroupId}/providers/Microsoft.Security/securityConnectors/{name}` and the cloud entities under it. */
export interface SeedSecurityConnector {
  resourceGroupId: string;
  name: string;
  environment: 'AWS' | 'GCP';
  /** Child resources as Defender names them: `{type}/{name}` below the connector. */
  entities: string[];
}

export interface SeedNativeAssessment {
  resourceId: string;
  name: string;
  displayName: string;
  status: SeedAssessment['status'];
  /** Assessment metadata as Defender answers it for its own engine: no policyDefinitionId. */
  metadata: Omit<SeedAssessment['metadata'], 'policyDefinitionId'>;
}
