import { readPolicyAssignmentId } from '../../azure/policy-assignment-id.js';
import type { SweepScope } from '../model.js';
import type { SweepArm } from '../ports/sweep-arm.js';

const SET_DEFINITION = /\/providers\/Microsoft\.Authorization\/policySetDefinitions\//i;

/**
 * Which policy assignments exist and what they assign, from one Resource Graph listing. An assignment
 * the listing could not have included (one on a management group, or outside the swept subscriptions)
 * is read from ARM once instead; when neither can say, its state is `unknown` and nothing is reported.
 */
export class AssignmentCatalog {
  private readonly listed = new Map<string, string | undefined>();
  /** False when the listing failed: every assignment is then read from ARM. */
  private complete = false;
  private readonly policies = new Map<string, Promise<readonly string[] | undefined>>();

  constructor(private readonly arm: SweepArm, private readonly scope: SweepScope) {}

  add(id: string, policyDefinitionId: string | undefined): void {
    this.listed.set(id.toLowerCase(), policyDefinitionId);
  }

  markComplete(): void {
    this.complete = true;
  }

  async state(policyAssignmentId: string): Promise<'exists' | 'gone' | 'unknown'> {
    const definition = await this.policyOf(policyAssignmentId);
    return definition === null ? 'unknown' : definition === undefined ? 'gone' : 'exists';
  }

  /**
   * The policy definitions an exemption on this assignment exempts from, lower case: the assignment's
   * own policy, or the members of its initiative (those named by reference id, or all of them).
   */
  exemptedPolicies(policyAssignmentId: string, referenceIds: readonly string[]): Promise<readonly string[] | undefined> {
    const key = `${policyAssignmentId.toLowerCase()}|${referenceIds.map((r) => r.toLowerCase()).sort().join(',')}`;
    let found = this.policies.get(key);
    if (!found) {
      found = this.resolvePolicies(policyAssignmentId, referenceIds);
      this.policies.set(key, found);
    }
    return found;
  }

  private async resolvePolicies(policyAssignmentId: string, referenceIds: readonly string[]): Promise<readonly string[] | undefined> {
    const definition = await this.policyOf(policyAssignmentId);
    if (!definition) return undefined;
    if (!SET_DEFINITION.test(definition)) return [definition.toLowerCase()];
    const members = await this.arm.policySetMembers(definition);
    if (!members) return undefined;
    const wanted = new Set(referenceIds.map((r) => r.toLowerCase()));
    return members
      .filter((m) => wanted.size === 0 || (m.policyDefinitionReferenceId !== undefined && wanted.has(m.policyDefinitionReferenceId.toLowerCase())))
      .map((m) => m.policyDefinitionId.toLowerCase());
  }

  /** The assignment's policy id; undefined when it is gone; null when nothing could say. */
  private async policyOf(policyAssignmentId: string): Promise<string | undefined | null> {
    const key = policyAssignmentId.toLowerCase();
    if (this.listed.has(key)) return this.listed.get(key) ?? '';
    if (this.complete && this.listingCovers(policyAssignmentId)) return undefined;
    try {
      return await this.arm.assignmentPolicy(policyAssignmentId);
    } catch {
      return null;
    }
  }

  /**
   * Resource Graph lists assignments at the swept subscriptions (or under the swept management groups)
   * and below; an assignment on a management group above them is not in the listing.
   */
  private listingCovers(policyAssignmentId: string): boolean {
    const ref = readPolicyAssignmentId(policyAssignmentId);
    if (!ref.ok || ref.value.scope.kind === 'managementGroup') return false;
    const subscription = ref.value.scope.subscriptionId.toLowerCase();
    return this.scope.subscriptions.length === 0 || this.scope.subscriptions.includes(subscription);
  }
}
