import type { Clock } from '../core/clock.js';
import { ExpiringCache } from '../core/expiring-cache.js';
import type { PolicyExemptionProperties } from './policy-exemption.js';
import type { StandardAssignmentExemptionProperties } from './standard-assignment.js';
import type {
  ArmGateway, AssessmentCoverage, AssessmentInfo, AssessmentMetadataInfo, AssignmentInfo, PolicySetInfo, SecurityStandardInfo, StandardAssignmentInfo,
} from '../requests/ports/arm-gateway.js';

/**
 * How long a fetched policy set definition (initiative) is reused. The Microsoft cloud security benchmark
 * holds ~220 policies and nearly every resource sits under it, so the blade's one-event-per-resource burst
 * would otherwise fetch it once per event. Built-in initiatives change with Azure Policy releases (weeks
 * apart); custom ones when an admin edits them. Five minutes absorbs a burst, and an edit is seen within
 * five minutes — well inside the hours a request waits for review, after which ARM re-checks the
 * reference ids when the exemption is written anyway.
 */
export const POLICY_SET_TTL_MS = 5 * 60_000;

/**
 * ArmGateway decorator: policy set definitions and recommendation metadata come from a process-wide
 * cache, everything else passes through. Metadata, like an initiative, changes with Defender releases,
 * and the blade's burst asks for the same recommendation once per selected resource.
 */
export class CachingArmGateway implements ArmGateway {
  private readonly policySets: ExpiringCache<PolicySetInfo>;
  private readonly metadata: ExpiringCache<AssessmentMetadataInfo>;

  constructor(private readonly inner: ArmGateway, clock: Clock, ttlMs = POLICY_SET_TTL_MS) {
    this.policySets = new ExpiringCache(ttlMs, clock);
    this.metadata = new ExpiringCache(ttlMs, clock);
  }

  getPolicySetDefinition(policySetDefinitionId: string): Promise<PolicySetInfo | undefined> {
    // ARM ids are case-insensitive; one entry per initiative however a caller spells it.
    return this.policySets.get(policySetDefinitionId.toLowerCase(), () => this.inner.getPolicySetDefinition(policySetDefinitionId));
  }

  getAssessment(resourceId: string, assessmentKey: string): Promise<AssessmentInfo | undefined> {
    return this.inner.getAssessment(resourceId, assessmentKey);
  }

  listAssignmentsAbove(resourceId: string): Promise<AssignmentInfo[]> {
    return this.inner.listAssignmentsAbove(resourceId);
  }

  getAssignment(policyAssignmentId: string): Promise<AssignmentInfo | undefined> {
    return this.inner.getAssignment(policyAssignmentId);
  }

  listSecurityContactEmails(subscriptionId: string): Promise<string[]> {
    return this.inner.listSecurityContactEmails(subscriptionId);
  }

  putExemption(scope: string, name: string, properties: PolicyExemptionProperties): Promise<string> {
    return this.inner.putExemption(scope, name, properties);
  }

  getAssessmentMetadata(assessmentKey: string): Promise<AssessmentMetadataInfo | undefined> {
    return this.metadata.get(assessmentKey.toLowerCase(), () => this.inner.getAssessmentMetadata(assessmentKey));
  }

  // Standards and standard assignments pass through: an assignment is exactly what apply and the sweep
  // must see fresh.

  listSecurityStandards(scope: string): Promise<SecurityStandardInfo[]> {
    return this.inner.listSecurityStandards(scope);
  }

  listStandardAssignmentsAbove(scope: string): Promise<StandardAssignmentInfo[]> {
    return this.inner.listStandardAssignmentsAbove(scope);
  }

  getStandardAssignment(scope: string, name: string): Promise<StandardAssignmentInfo | undefined> {
    return this.inner.getStandardAssignment(scope, name);
  }

  putStandardAssignment(scope: string, name: string, properties: StandardAssignmentExemptionProperties): Promise<string> {
    return this.inner.putStandardAssignment(scope, name, properties);
  }

  deleteStandardAssignment(scope: string, name: string): Promise<boolean> {
    return this.inner.deleteStandardAssignment(scope, name);
  }

  countAssessedResources(scope: string, assessmentKey: string): Promise<AssessmentCoverage> {
    return this.inner.countAssessedResources(scope, assessmentKey);
  }
}
