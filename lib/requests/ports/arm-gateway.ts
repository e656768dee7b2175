import type { PolicyExemptionProperties } from '../../azure/policy-exemption.js';

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
}
