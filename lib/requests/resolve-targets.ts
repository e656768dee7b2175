import { optionalProp as optional } from '../core/optional.js';
import type { ArmGateway, AssignmentInfo, PolicySetInfo } from './ports/arm-gateway.js';
import { ArmError } from './ports/arm-error.js';
import { isAtOrAbove, normalizeResourceId, sameArmId } from '../azure/resource-id.js';
import type { RecommendationSelector } from './intake-command.js';
import type { ExemptionTarget, RecommendationRef, ResolvedAssignment } from './model.js';

/** The request names something Azure cannot map to an exemption; the message says why. */
export class UnresolvableRequestError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = 'UnresolvableRequestError';
  }
}

export interface Resolution {
  readonly recommendation: RecommendationRef;
  readonly targets: ExemptionTarget[];
}

/**
 * From a recommendation to every policy assignment at or above each resource that contains its policy,
 * directly or through an initiative, with the matching policyDefinitionReferenceIds. The portal exempts
 * every such initiative; the API does not, so we do it here.
 */
export async function resolveTargets(
  arm: ArmGateway,
  resourceIds: readonly string[],
  selector: RecommendationSelector,
  hints: { displayName?: string; portalLink?: string; severity?: string } = {},
): Promise<Resolution> {
  // Initiatives are memoised by the gateway (CachingArmGateway), across requests as well as within one.
  const setOf = (id: string, field: string) => refusalNames(field, `read policy set definition ${id}`, arm.getPolicySetDefinition(id));

  if (selector.kind === 'assignment') {
    const field = 'policyAssignmentId';
    const assignment = await refusalNames(field, `read policy assignment ${selector.policyAssignmentId}`, arm.getAssignment(selector.policyAssignmentId));
    if (!assignment) throw new UnresolvableRequestError(`policy assignment ${selector.policyAssignmentId} does not exist`, field);
    const refs = await checkReferenceIds(assignment, selector.policyDefinitionReferenceIds, (id) => setOf(id, field));
    const targets = resourceIds.map((resourceId) => {
      if (!appliesTo(assignment, resourceId)) {
        throw new UnresolvableRequestError(`policy assignment ${assignment.id} does not apply to ${resourceId}`, 'policyAssignmentId');
      }
      return { resourceId, assignments: [{ policyAssignmentId: assignment.id, policyDefinitionReferenceIds: refs, ...named(assignment) }] };
    });
    return { recommendation: { displayName: assignment.displayName ?? assignment.id, ...hintsOnly(hints) }, targets };
  }

  let recommendation: RecommendationRef | undefined;
  const targets: ExemptionTarget[] = [];
  for (const resourceId of resourceIds) {
    const assessment = await refusalNames('resourceId', `read assessment ${selector.assessmentKey} of ${resourceId}`, arm.getAssessment(resourceId, selector.assessmentKey));
    if (!assessment) {
      throw new UnresolvableRequestError(`no assessment ${selector.assessmentKey} exists on ${resourceId}`, 'assessmentKey');
    }
    if (!assessment.policyDefinitionId) {
      throw new UnresolvableRequestError(`recommendation ${selector.assessmentKey} is not backed by an Azure Policy definition, so it cannot be exempted`, 'assessmentKey');
    }
    recommendation ??= {
      assessmentKey: selector.assessmentKey,
      displayName: assessment.displayName || hints.displayName || selector.assessmentKey,
      policyDefinitionId: assessment.policyDefinitionId,
      ...optional('severity', assessment.severity ?? hints.severity),
      ...optional('portalLink', assessment.portalLink ?? hints.portalLink),
    };
    const assignments = await assignmentsContaining(arm, resourceId, assessment.policyDefinitionId, (id) => setOf(id, 'assessmentKey'));
    if (assignments.length === 0) {
      throw new UnresolvableRequestError(
        `no assignment at or above ${resourceId} contains policy ${assessment.policyDefinitionId}`, 'assessmentKey');
    }
    targets.push({ resourceId, assignments });
  }
  return { recommendation: recommendation!, targets };
}

async function assignmentsContaining(
  arm: ArmGateway,
  resourceId: string,
  policyDefinitionId: string,
  setOf: (id: string) => Promise<PolicySetInfo | undefined>,
): Promise<ResolvedAssignment[]> {
  const found: ResolvedAssignment[] = [];
  const above = await refusalNames('resourceId', `list the policy assignments above ${resourceId}`, arm.listAssignmentsAbove(resourceId));
  for (const assignment of above) {
    if (!appliesTo(assignment, resourceId)) continue;
    if (sameArmId(assignment.policyDefinitionId, policyDefinitionId)) {
      found.push({ policyAssignmentId: assignment.id, policyDefinitionReferenceIds: [], ...named(assignment) });
      continue;
    }
    if (!/\/policySetDefinitions\//i.test(assignment.policyDefinitionId)) continue;
    const set = await setOf(assignment.policyDefinitionId);
    const refs = (set?.policyDefinitions ?? [])
      .filter((ref) => sameArmId(ref.policyDefinitionId, policyDefinitionId))
      .map((ref) => ref.policyDefinitionReferenceId)
      .filter((ref): ref is string => typeof ref === 'string');
    if (refs.length > 0) found.push({ policyAssignmentId: assignment.id, policyDefinitionReferenceIds: refs, ...named(assignment) });
  }
  return found;
}

async function checkReferenceIds(
  assignment: AssignmentInfo,
  requested: readonly string[],
  setOf: (id: string) => Promise<PolicySetInfo | undefined>,
): Promise<string[]> {
  const isInitiative = /\/policySetDefinitions\//i.test(assignment.policyDefinitionId);
  if (!isInitiative) {
    if (requested.length > 0) {
      throw new UnresolvableRequestError(`policy assignment ${assignment.id} assigns a single policy; it has no policyDefinitionReferenceIds`, 'policyDefinitionReferenceIds');
    }
    return [];
  }
  if (requested.length === 0) return [];
  const set = await setOf(assignment.policyDefinitionId);
  const known = new Set((set?.policyDefinitions ?? []).map((ref) => ref.policyDefinitionReferenceId?.toLowerCase()));
  const unknown = requested.filter((ref) => !known.has(ref.toLowerCase()));
  if (unknown.length > 0) {
    throw new UnresolvableRequestError(`initiative ${assignment.policyDefinitionId} has no policyDefinitionReferenceIds ${unknown.join(', ')}`, 'policyDefinitionReferenceIds');
  }
  return [...requested];
}

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

function appliesTo(assignment: AssignmentInfo, resourceId: string): boolean {
  if (assignment.scope && !isAtOrAbove(assignment.scope, resourceId)) return false;
  const id = normalizeResourceId(resourceId);
  return !assignment.notScopes.some((excluded) => isAtOrAbove(excluded, id) && !excluded.toLowerCase().includes('/managementgroups/'));
}

function named(assignment: AssignmentInfo): { displayName?: string } {
  return assignment.displayName ? { displayName: assignment.displayName } : {};
}

function hintsOnly(hints: { portalLink?: string; severity?: string }): Partial<RecommendationRef> {
  return { ...optional('portalLink', hints.portalLink), ...optional('severity', hints.severity) };
}
