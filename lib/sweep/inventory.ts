import type { PolicyAssignmentRef } from '../azure/policy-assignment-id.js';
import type { ResourceScope } from '../azure/resource-id.js';
import type { ExemptionCategory } from '../requests/model.js';

export const EXEMPTION_MANAGEMENT_MODES = ['Admin', 'UserSelfServe'] as const;
export type ExemptionManagementMode = (typeof EXEMPTION_MANAGEMENT_MODES)[number];

/** One policy exemption as an inventory source saw it; ids are canonical and were read with the strict grammar. */
export interface InventoryExemption {
  /** `{scope}/providers/Microsoft.Authorization/policyExemptions/{name}`, canonical. */
  readonly id: string;
  readonly scope: ResourceScope;
  readonly name: string;
  /** Canonical. */
  readonly policyAssignmentId: string;
  readonly policyAssignment: PolicyAssignmentRef;
  /** Empty when the exemption covers the whole assignment. */
  readonly policyDefinitionReferenceIds: readonly string[];
  readonly exemptionCategory: ExemptionCategory;
  /** ISO 8601 UTC; absent means the exemption never expires (a finding of its own). */
  readonly expiresOn: string | undefined;
  readonly displayName: string | undefined;
  /** `metadata.managedBy`: `exemption-broker` for ours; anything else or nothing means made elsewhere. */
  readonly managedBy: string | undefined;
  readonly requestId: string | undefined;
  /** Only api-versions from 2025-12-01-preview report it; absent elsewhere. */
  readonly exemptionManagementMode: ExemptionManagementMode | undefined;
}

export const ASSESSMENT_STATUS_CODES = ['Healthy', 'Unhealthy', 'NotApplicable'] as const;
export type AssessmentStatusCode = (typeof ASSESSMENT_STATUS_CODES)[number];

/** One Defender assessment (one recommendation on one resource). */
export interface InventoryAssessment {
  /** Canonical id of the assessed resource. */
  readonly resourceId: string;
  readonly resource: ResourceScope;
  readonly assessmentKey: string;
  readonly statusCode: AssessmentStatusCode;
  /** `Exempt` once Defender reflects an exemption (which can take up to 24 h). */
  readonly cause: string | undefined;
  readonly policyDefinitionId: string | undefined;
}

export type InventorySourceName = 'resourceGraph' | 'rest';

/** A row a source returned that could not be read: reported by the run, never thrown. */
export interface RowProblem {
  readonly source: InventorySourceName;
  /** The row's id as given (for the report), when it had a string one. */
  readonly rowId: string | undefined;
  readonly reason: string;
}

export interface InventoryPage<T> {
  readonly source: InventorySourceName;
  readonly items: readonly T[];
  readonly problems: readonly RowProblem[];
  /**
   * Set when one subscription could not be listed (REST fallback): the rest still arrive, and the run
   * draws no conclusion from that subscription's absence (nothing there is called deleted).
   */
  readonly failedSubscription?: string;
  /** Rows the whole query has, when the source says (Resource Graph does): progress and ETA only. */
  readonly totalRecords?: number;
}

/**
 * One Defender exemption: a `Microsoft.Security/standardAssignments` resource with `effect: Exempt`
 * (assignments with any other effect are the standards themselves and never reach the sweep).
 */
export interface InventoryStandardExemption {
  /** `{scope}/providers/Microsoft.Security/standardAssignments/{name}`, canonical. */
  readonly id: string;
  readonly scope: ResourceScope;
  /** A GUID, lower case. */
  readonly name: string;
  /** `/providers/Microsoft.Security/Standards/{guid}` as ARM gave it (compared case-insensitively). */
  readonly assignedStandardId: string;
  /** The recommendation it exempts from, lower case. */
  readonly assessmentKey: string;
  /** The 2024-08-01 enum is lower-case (`waiver` | `mitigated`); read as the policy categories. */
  readonly exemptionCategory: ExemptionCategory;
  /** ISO 8601 UTC; absent means it never expires. */
  readonly expiresOn: string | undefined;
  readonly displayName: string | undefined;
}
