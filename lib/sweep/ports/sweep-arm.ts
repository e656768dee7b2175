import type { ResourceScope } from '../../azure/resource-id.js';
import type { InventoryExemption, InventoryStandardExemption } from '../inventory.js';

export interface ExemptionTarget {
  readonly scope: ResourceScope;
  readonly name: string;
}

export type Confirmation =
  /** ARM has no such exemption (any more): deleted since the row was indexed, or never there. */
  | { readonly state: 'gone' }
  /** ARM's current view, which is what an action must go by. */
  | { readonly state: 'present'; readonly exemption: InventoryExemption }
  /** ARM answered 200 with something the strict parser refuses: act on nothing, report it. */
  | { readonly state: 'unreadable'; readonly reason: string };

export type StandardConfirmation =
  | { readonly state: 'gone' }
  | { readonly state: 'present'; readonly exemption: InventoryStandardExemption }
  /** It exists but no longer exempts: its effect was changed (to `Audit`, say). */
  | { readonly state: 'notExempt'; readonly effect: string }
  | { readonly state: 'unreadable'; readonly reason: string };

export interface PolicyReference {
  readonly policyDefinitionId: string;
  readonly policyDefinitionReferenceId: string | undefined;
}

/** The ARM calls the sweep makes besides inventory; errors are ArmError. */
export interface SweepArm {
  /** A direct read, before any action on what an inventory row said. */
  confirmExemption(target: ExemptionTarget): Promise<Confirmation>;
  deleteExemption(target: ExemptionTarget): Promise<void>;
  /** The same direct read for a Defender exemption (a standard assignment). */
  confirmStandardExemption(target: ExemptionTarget): Promise<StandardConfirmation>;
  deleteStandardExemption(target: ExemptionTarget): Promise<void>;
  /** Starts a Policy Insights evaluation of a subscription or one of its resource groups; does not wait for it. */
  triggerEvaluation(subscriptionId: string, resourceGroup: string | undefined): Promise<void>;
  /** The assignment's policy (or initiative) id; undefined when the assignment does not exist. */
  assignmentPolicy(policyAssignmentId: string): Promise<string | undefined>;
  /** An initiative's member policies; undefined when it does not exist. */
  policySetMembers(policySetDefinitionId: string): Promise<readonly PolicyReference[] | undefined>;
}
