import type { PolicyExemptionProperties } from '../../azure/policy-exemption.js';
import type { StandardAssignmentExemptionProperties } from '../../azure/standard-assignment.js';

export interface AssessmentInfo {
  readonly id: string;
  readonly resourceId: string;
  readonly displayName: string;
  readonly policyDefinitionId?: string;
  readonly severity?: string;
  readonly portalLink?: string;
  readonly statusCode?: string;
}

export interface AssignmentInfo {
  readonly id: string;
  readonly displayName?: string;
  /** A policy definition or a policy set definition (initiative). */
  readonly policyDefinitionId: string;
  readonly scope?: string;
  readonly notScopes: readonly string[];
}

export interface PolicySetInfo {
  readonly id: string;
  readonly policyDefinitions: readonly { readonly policyDefinitionId: string; readonly policyDefinitionReferenceId?: string }[];
}

/** What a recommendation is: which exemption mechanism applies follows from `mechanism`. */
export interface AssessmentMetadataInfo {
  readonly assessmentKey: string;
  readonly displayName: string;
  /** `policy`: the metadata names a policyDefinitionId (policy exemptions); `defender`: Defender's own engine (standard assignments). */
  readonly mechanism: 'policy' | 'defender';
  readonly policyDefinitionId?: string;
  /** BuiltIn | CustomPolicy | CustomerManaged | VerifiedPartner. */
  readonly assessmentType?: string;
  readonly preview: boolean;
}

export interface SecurityStandardInfo {
  readonly id: string;
  /** The standard's GUID, which an assignment names as `/providers/Microsoft.Security/Standards/{name}`. */
  readonly name: string;
  readonly displayName?: string;
  readonly standardType?: string;
  readonly assessmentKeys: readonly string[];
  readonly cloudProviders: readonly string[];
}

export interface StandardAssignmentInfo {
  readonly id: string;
  readonly name: string;
  /** The scope it was listed or read at, canonical. */
  readonly scope: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly effect?: string;
  readonly assignedStandardId?: string;
  /** Scopes below the assignment's that it leaves out. */
  readonly excludedScopes?: readonly string[];
  readonly assessmentKey?: string;
  readonly exemptionCategory?: string;
  readonly expiresOn?: string;
}

/** Resources under a scope that Defender assesses for one recommendation (Resource Graph, at request time). */
export interface AssessmentCoverage {
  readonly resources: number;
  readonly unhealthy: number;
  /** False when there were more rows than the broker reads: the counts are lower bounds. */
  readonly complete: boolean;
}

/** Everything the broker asks of Azure Resource Manager; errors are ArmError. */
export interface ArmGateway {
  getAssessment(resourceId: string, assessmentKey: string): Promise<AssessmentInfo | undefined>;
  /** Assignments at the resource and at every scope above it. */
  listAssignmentsAbove(resourceId: string): Promise<AssignmentInfo[]>;
  getAssignment(policyAssignmentId: string): Promise<AssignmentInfo | undefined>;
  getPolicySetDefinition(policySetDefinitionId: string): Promise<PolicySetInfo | undefined>;
  /** Lower-cased, de-duplicated emails of the subscription's enabled security contacts. */
  listSecurityContactEmails(subscriptionId: string): Promise<string[]>;
  /** Create-or-update, so a retried apply never duplicates. Returns the exemption's id. */
  putExemption(scope: string, name: string, properties: PolicyExemptionProperties): Promise<string>;
  /** A recommendation's metadata by assessment key; undefined when Defender does not know the key. */
  getAssessmentMetadata(assessmentKey: string): Promise<AssessmentMetadataInfo | undefined>;
  /** Security standards available at a subscription, resource group or resource. */
  listSecurityStandards(scope: string): Promise<SecurityStandardInfo[]>;
  /** Standard assignments at the scope and at every scope above it within its subscription, innermost first. */
  listStandardAssignmentsAbove(scope: string): Promise<StandardAssignmentInfo[]>;
  getStandardAssignment(scope: string, name: string): Promise<StandardAssignmentInfo | undefined>;
  /** Create-or-update of an `Exempt` standard assignment, so a retried apply never duplicates. Returns its id. */
  putStandardAssignment(scope: string, name: string, properties: StandardAssignmentExemptionProperties): Promise<string>;
  /** True when it existed. */
  deleteStandardAssignment(scope: string, name: string): Promise<boolean>;
  /** How many resources under a subscription or resource group Defender assesses for the recommendation. */
  countAssessedResources(scope: string, assessmentKey: string): Promise<AssessmentCoverage>;
}
