import type { AssignmentInfo, PolicySetInfo } from './ports/arm-gateway.js';
import { isAtOrAbove, normalizeResourceId, sameArmId } from '../azure/resource-id.js';
import type { ResolvedAssignment } from './model.js';
import { UnresolvableRequestError } from './unresolvable-request.js';

type SetOf = (id: string) => Promise<PolicySetInfo | undefined>;

/**
 * Every policy assignment at or above `scope` that contains the policy, directly or through an
 * initiative, with the matching policyDefinitionReferenceIds. The portal exempts every such initiative;
 * the API does not, so we do it here.
 */
export async function assignmentsContaining(
  above: readonly AssignmentInfo[],
  scope: string,
  policyDefinitionId: string,
  setOf: SetOf,
): Promise<ResolvedAssignment[]> {
  const found: ResolvedAssignment[] = [];
  for (const assignment of above) {
    if (!appliesTo(assignment, scope)) continue;
    if (sameArmId(assignment.policyDefinitionId, policyDefinitionId)) {
      found.push({ policyAssignmentId: assignment.id, policyDefinitionReferenceIds: [], ...named(assignment) });
      continue;
    }
    if (!isInitiative(assignment)) continue;
    const set = await setOf(assignment.policyDefinitionId);
    const refs = (set?.policyDefinitions ?? [])
      .filter((ref) => sameArmId(ref.policyDefinitionId, policyDefinitionId))
      .map((ref) => ref.policyDefinitionReferenceId)
      .filter((ref): ref is string => typeof ref === 'string');
    if (refs.length > 0) found.push({ policyAssignmentId: assignment.id, policyDefinitionReferenceIds: refs, ...named(assignment) });
  }
  return found;
}

/** The reference ids a requester named for an assignment, checked against its initiative. */
export async function checkReferenceIds(assignment: AssignmentInfo, requested: readonly string[], setOf: SetOf): Promise<string[]> {
  if (!isInitiative(assignment)) {
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

export function appliesTo(assignment: AssignmentInfo, scope: string): boolean {
  if (assignment.scope && !isAtOrAbove(assignment.scope, scope)) return false;
  const id = normalizeResourceId(scope);
  return !assignment.notScopes.some((excluded) => isAtOrAbove(excluded, id) && !excluded.toLowerCase().includes('/managementgroups/'));
}

export function named(assignment: AssignmentInfo): { displayName?: string } {
  return assignment.displayName ? { displayName: assignment.displayName } : {};
}

const isInitiative = (assignment: AssignmentInfo): boolean => /\/policySetDefinitions\//i.test(assignment.policyDefinitionId);
