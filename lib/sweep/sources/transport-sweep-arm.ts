import { segmentRules } from '../../azure/arm-id-grammar.js';
import { armPath } from '../../azure/arm-path.js';
import { policyAssignmentSegments, readPolicyAssignmentId } from '../../azure/policy-assignment-id.js';
import { POLICY_EXEMPTIONS_API_VERSION } from '../../azure/policy-exemption.js';
import type { SweepArmTransport } from '../arm-transport.js';
import type { ExemptionTarget, PolicyReference, SweepArm } from '../ports/sweep-arm.js';
import { confirmExemption, confirmStandardExemption } from './confirm.js';
import { standardExemptionSegments } from './standard-rows.js';
import { STANDARD_ASSIGNMENTS_API_VERSION } from '../../azure/standard-assignment.js';
import { exemptionSegments } from './exemption-rows.js';

export const POLICY_API_VERSION = '2025-03-01';
export const POLICY_INSIGHTS_API_VERSION = '2024-10-01';

/** Built-in initiatives live under the tenant root, custom ones under a subscription or management group. */
const POLICY_SET_ID = /^((?:\/subscriptions\/[0-9a-f-]{36}|\/providers\/Microsoft\.Management\/managementGroups\/[\w.()-]{1,90})?)\/providers\/Microsoft\.Authorization\/policySetDefinitions\/([\w.()-]{1,128})$/i;

/**
 * The sweep's ARM calls on its own transport, so each one is counted and paced with the inventory's.
 * Initiatives are read once per run: a tenant has a handful, exemptions refer to them thousands of times.
 */
export class TransportSweepArm implements SweepArm {
  private readonly sets = new Map<string, Promise<readonly PolicyReference[] | undefined>>();
  private readonly assignments = new Map<string, Promise<string | undefined>>();

  constructor(private readonly transport: SweepArmTransport) {}

  confirmExemption(target: ExemptionTarget) {
    return confirmExemption(this.transport, target);
  }

  async deleteExemption(target: ExemptionTarget): Promise<void> {
    await this.transport.send('DELETE', armPath(exemptionSegments(target.scope, target.name)), { 'api-version': POLICY_EXEMPTIONS_API_VERSION }, { accept: [404] });
  }

  confirmStandardExemption(target: ExemptionTarget) {
    return confirmStandardExemption(this.transport, target);
  }

  async deleteStandardExemption(target: ExemptionTarget): Promise<void> {
    await this.transport.send('DELETE', armPath(standardExemptionSegments(target.scope, target.name)), { 'api-version': STANDARD_ASSIGNMENTS_API_VERSION }, { accept: [404] });
  }

  async triggerEvaluation(subscriptionId: string, resourceGroup: string | undefined): Promise<void> {
    if (!segmentRules.subscriptionId(subscriptionId) || (resourceGroup !== undefined && !segmentRules.groupName(resourceGroup))) {
      throw new Error('triggerEvaluation needs a parsed subscription id and resource group name');
    }
    const segments = ['subscriptions', subscriptionId, ...(resourceGroup ? ['resourceGroups', resourceGroup] : []),
      'providers', 'Microsoft.PolicyInsights', 'policyStates', 'latest', 'triggerEvaluation'];
    await this.transport.send('POST', armPath(segments), { 'api-version': POLICY_INSIGHTS_API_VERSION });
  }

  assignmentPolicy(policyAssignmentId: string): Promise<string | undefined> {
    const key = policyAssignmentId.toLowerCase();
    let found = this.assignments.get(key);
    if (!found) {
      found = this.readAssignment(policyAssignmentId);
      this.assignments.set(key, found);
    }
    return found;
  }

  policySetMembers(policySetDefinitionId: string): Promise<readonly PolicyReference[] | undefined> {
    const key = policySetDefinitionId.toLowerCase();
    let found = this.sets.get(key);
    if (!found) {
      found = this.readPolicySet(policySetDefinitionId);
      this.sets.set(key, found);
      found.catch(() => this.sets.delete(key));
    }
    return found;
  }

  private async readAssignment(policyAssignmentId: string): Promise<string | undefined> {
    const ref = readPolicyAssignmentId(policyAssignmentId);
    if (!ref.ok) return undefined;
    const answer = await this.transport.send('GET', armPath(policyAssignmentSegments(ref.value)), { 'api-version': POLICY_API_VERSION }, { accept: [404] });
    if (answer.status === 404) return undefined;
    const definition = (answer.body as { properties?: { policyDefinitionId?: unknown } } | undefined)?.properties?.policyDefinitionId;
    return typeof definition === 'string' ? definition : '';
  }

  private async readPolicySet(policySetDefinitionId: string): Promise<readonly PolicyReference[] | undefined> {
    const match = POLICY_SET_ID.exec(policySetDefinitionId);
    if (!match) return undefined;
    const scope = (match[1] ?? '').split('/').filter(Boolean);
    const answer = await this.transport.send('GET', armPath([...scope, 'providers', 'Microsoft.Authorization', 'policySetDefinitions', match[2]!]),
      { 'api-version': POLICY_API_VERSION }, { accept: [404] });
    if (answer.status === 404) return undefined;
    const members = (answer.body as { properties?: { policyDefinitions?: unknown } } | undefined)?.properties?.policyDefinitions;
    if (!Array.isArray(members)) return [];
    return members.flatMap((m: { policyDefinitionId?: unknown; policyDefinitionReferenceId?: unknown }) => typeof m?.policyDefinitionId === 'string'
      ? [{ policyDefinitionId: m.policyDefinitionId, policyDefinitionReferenceId: typeof m.policyDefinitionReferenceId === 'string' ? m.policyDefinitionReferenceId : undefined }]
      : []);
  }
}
