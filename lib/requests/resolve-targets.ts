import { optionalProp as optional } from '../core/optional.js';
import { isSecurityConnectorEntity, parseResourceId, type ResourceScope } from '../azure/resource-id.js';
import type { ArmGateway, AssessmentInfo, AssessmentMetadataInfo, PolicySetInfo } from './ports/arm-gateway.js';
import { ArmError } from './ports/arm-error.js';
import type { RecommendationSelector } from './intake-command.js';
import type { ExemptionTarget, RecommendationRef, ScopeCoverage } from './model.js';
import { assignmentsContaining, appliesTo, checkReferenceIds, named } from './policy-resolution.js';
import { notExemptibleBecause, standardsContaining } from './standard-resolution.js';
import { UnresolvableRequestError } from './unresolvable-request.js';
import { widerThan, type ScopeLevel } from './scope-level.js';

export { UnresolvableRequestError };

export interface ResolveOptions {
  /** The widest scope-wide exemption a request may ask for (MAX_SCOPE_LEVEL). */
  readonly maxScopeLevel: ScopeLevel;
  /** When a scope's coverage is counted. */
  readonly now: Date;
}

export interface Resolution {
  readonly recommendation: RecommendationRef;
  readonly targets: ExemptionTarget[];
}

type Hints = { displayName?: string; portalLink?: string; severity?: string };

/**
 * From a recommendation to what exempts each target from it. The recommendation's metadata decides the
 * mechanism: a policy-based one is exempted from every policy assignment at or above the target that
 * contains its policy; a Defender-native one — and a policy-based one on an AWS or GCP resource, which
 * Azure Policy never evaluates — from every security standard assigned at or above the target that
 * contains it. A resource group or subscription that is not itself the assessed resource is a scope-wide
 * target: allowed up to MAX_SCOPE_LEVEL, and counted so the approver sees how much it covers.
 */
export async function resolveTargets(
  arm: ArmGateway,
  resourceIds: readonly string[],
  selector: RecommendationSelector,
  hints: Hints,
  options: ResolveOptions,
): Promise<Resolution> {
  // Initiatives are memoised by the gateway (CachingArmGateway), across requests as well as within one.
  const setOf = (field: string) => (id: string) => refusalNames(field, `read policy set definition ${id}`, arm.getPolicySetDefinition(id));

  if (selector.kind === 'assignment') {
    const field = 'policyAssignmentId';
    const assignment = await refusalNames(field, `read policy assignment ${selector.policyAssignmentId}`, arm.getAssignment(selector.policyAssignmentId));
    if (!assignment) throw new UnresolvableRequestError(`policy assignment ${selector.policyAssignmentId} does not exist`, field);
    const refs = await checkReferenceIds(assignment, selector.policyDefinitionReferenceIds, setOf(field));
    const targets = resourceIds.map((resourceId) => {
      checkScopeLevel(scopeOf(resourceId), resourceId, options.maxScopeLevel);
      if (!appliesTo(assignment, resourceId)) {
        throw new UnresolvableRequestError(`policy assignment ${assignment.id} does not apply to ${resourceId}`, 'policyAssignmentId');
      }
      return { resourceId, assignments: [{ policyAssignmentId: assignment.id, policyDefinitionReferenceIds: refs, ...named(assignment) }] };
    });
    return { recommendation: { displayName: assignment.displayName ?? assignment.id, ...hintsOnly(hints) }, targets };
  }

  const key = selector.assessmentKey;
  const metadata = await recommendationMetadata(arm, key);
  let assessed: AssessmentInfo | undefined;
  const targets: ExemptionTarget[] = [];
  for (const resourceId of resourceIds) {
    const scope = scopeOf(resourceId);
    const assessment = await refusalNames('resourceId', `read assessment ${key} of ${resourceId}`, arm.getAssessment(resourceId, key));
    assessed ??= assessment;
    const coverage = assessment ? undefined : await scopeWideCoverage(arm, scope, resourceId, key, options);
    const byPolicy = metadata.policyDefinitionId !== undefined && !isSecurityConnectorEntity(scope);
    const target = byPolicy
      ? await policyTarget(arm, resourceId, metadata.policyDefinitionId!, setOf('assessmentKey'))
      : await standardTarget(arm, resourceId, key);
    targets.push(coverage ? { ...target, coverage } : target);
  }
  const recommendation: RecommendationRef = {
    assessmentKey: key,
    displayName: metadata.displayName || assessed?.displayName || hints.displayName || key,
    ...optional('policyDefinitionId', metadata.policyDefinitionId),
    ...optional('severity', assessed?.severity ?? hints.severity),
    ...optional('portalLink', assessed?.portalLink ?? hints.portalLink),
  };
  return { recommendation, targets };
}

/** What Defender says the recommendation is; refused here when it cannot be exempted at all. */
async function recommendationMetadata(arm: ArmGateway, key: string): Promise<AssessmentMetadataInfo> {
  if (!GUID.test(key)) throw new UnresolvableRequestError(`${key} is not a Defender for Cloud assessment key (a GUID)`, 'assessmentKey');
  const metadata = await refusalNames('assessmentKey', `read the metadata of recommendation ${key}`, arm.getAssessmentMetadata(key));
  if (!metadata) throw new UnresolvableRequestError(`Defender for Cloud has no recommendation ${key}`, 'assessmentKey');
  const refusal = notExemptibleBecause(metadata);
  if (refusal) throw new UnresolvableRequestError(refusal, 'assessmentKey');
  return metadata;
}

async function policyTarget(arm: ArmGateway, resourceId: string, policyDefinitionId: string, setOf: (id: string) => Promise<PolicySetInfo | undefined>): Promise<ExemptionTarget> {
  const above = await refusalNames('resourceId', `list the policy assignments above ${resourceId}`, arm.listAssignmentsAbove(resourceId));
  const assignments = await assignmentsContaining(above, resourceId, policyDefinitionId, setOf);
  if (assignments.length === 0) {
    throw new UnresolvableRequestError(`no assignment at or above ${resourceId} contains policy ${policyDefinitionId}`, 'assessmentKey');
  }
  return { resourceId, assignments };
}

async function standardTarget(arm: ArmGateway, resourceId: string, key: string): Promise<ExemptionTarget> {
  const [available, above] = await Promise.all([
    refusalNames('resourceId', `list the security standards at ${resourceId}`, arm.listSecurityStandards(resourceId)),
    refusalNames('resourceId', `list the standard assignments above ${resourceId}`, arm.listStandardAssignmentsAbove(resourceId)),
  ]);
  const standards = standardsContaining(resourceId, key, available, above);
  if (standards.length === 0) {
    throw new UnresolvableRequestError(`no security standard assigned at or above ${resourceId} contains recommendation ${key}, so there is nothing to exempt it from`, 'assessmentKey');
  }
  return { resourceId, assignments: [], standards };
}

/**
 * A resource group or subscription that Defender does not assess itself: the exemption covers every
 * resource under it that the recommendation assesses, counted now for the review.
 */
async function scopeWideCoverage(arm: ArmGateway, scope: ResourceScope, resourceId: string, key: string, options: ResolveOptions): Promise<ScopeCoverage> {
  if (scope.kind === 'resource') throw new UnresolvableRequestError(`no assessment ${key} exists on ${resourceId}`, 'assessmentKey');
  checkScopeLevel(scope, resourceId, options.maxScopeLevel);
  const counted = await refusalNames('resourceId', `count the resources under ${resourceId}`, arm.countAssessedResources(resourceId, key));
  if (counted.resources === 0) {
    throw new UnresolvableRequestError(`no resource under ${resourceId} is assessed for recommendation ${key}, so a ${scope.kind === 'subscription' ? 'subscription' : 'resource group'}-wide exemption would exempt nothing`, 'resourceId');
  }
  return { resources: counted.resources, unhealthy: counted.unhealthy, countedAt: options.now.toISOString(), ...(counted.complete ? {} : { partial: true as const }) };
}

function checkScopeLevel(scope: ResourceScope, resourceId: string, max: ScopeLevel): void {
  if (!widerThan(scope.kind, max)) return;
  const what = scope.kind === 'subscription' ? 'a whole subscription' : 'a whole resource group';
  throw new UnresolvableRequestError(`${resourceId} is ${what}, and exemptions that wide are not allowed here (MAX_SCOPE_LEVEL is ${max})`, 'resourceId');
}

/** Intake parsed every id already; an id that does not parse here is a programming error upstream. */
function scopeOf(resourceId: string): ResourceScope {
  const scope = parseResourceId(resourceId);
  if (!scope) throw new UnresolvableRequestError(`${resourceId} is not a resource id`, 'resourceId');
  return scope;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * ARM answering 4xx (other than 408/429, which are transient) to a lookup means the reference the request
 * made is bad — unknown, malformed, or out of the broker's reach — so the requester hears why, against the
 * field that led there. 5xx, throttling and unreachable ARM stay ArmErrors: the request may be fine.
 */
async function refusalNames<T>(field: string, what: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (isRefusal(error)) throw new UnresolvableRequestError(`Azure Resource Manager refused to ${what}: ${error.code}: ${error.message}`, field);
    throw error;
  }
}

function isRefusal(error: unknown): error is ArmError {
  return error instanceof ArmError && error.status >= 400 && error.status < 500 && !error.transient;
}

function hintsOnly(hints: { portalLink?: string; severity?: string }): Partial<RecommendationRef> {
  return { ...optional('portalLink', hints.portalLink), ...optional('severity', hints.severity) };
}
