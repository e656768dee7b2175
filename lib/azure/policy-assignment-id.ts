import { hostileCharacters, isKeyword, KEYWORD, segmentRules, splitSegments } from './arm-id-grammar.js';
import { isScopeAtOrAbove, readScopeSegments, resourceSegments, type ParseOutcome, type ResourceScope } from './resource-id.js';

/** Where a policy assignment lives: a management group, or a subscription, resource group or resource. */
export type AssignmentScope = ResourceScope | { readonly kind: 'managementGroup'; readonly managementGroup: string };

export interface PolicyAssignmentRef {
  readonly scope: AssignmentScope;
  readonly name: string;
}

const ASSIGNMENT_TAIL = [KEYWORD.providers, KEYWORD.authorizationNamespace, KEYWORD.policyAssignments] as const;
const MANAGEMENT_GROUP_HEAD = [KEYWORD.providers, KEYWORD.managementNamespace, KEYWORD.managementGroups] as const;
const MAX_ASSIGNMENT_NAME = 128;

/** Reads `{scope}/providers/Microsoft.Authorization/policyAssignments/{name}`; tenant-root assignments are refused. */
export function readPolicyAssignmentId(raw: string): ParseOutcome<PolicyAssignmentRef> {
  const hostile = hostileCharacters(raw);
  if (hostile) return { ok: false, reason: hostile };
  const split = splitSegments(raw);
  if (!split.ok) return split;
  const segments = split.segments;
  const tail = segments.slice(-4);
  const name = tail[3];
  if (segments.length < 4 || !ASSIGNMENT_TAIL.every((keyword, i) => isKeyword(tail[i], keyword)) || name === undefined) {
    return { ok: false, reason: 'must end in /providers/Microsoft.Authorization/policyAssignments/{name}' };
  }
  if (name.length > MAX_ASSIGNMENT_NAME || !segmentRules.name(name)) return { ok: false, reason: 'has an invalid assignment name' };
  const scopeSegments = segments.slice(0, -4);
  if (scopeSegments.length === 0) return { ok: false, reason: 'is assigned at the tenant root, which is not supported' };
  const scope = readAssignmentScope(scopeSegments);
  return scope.ok ? { ok: true, value: { scope: scope.value, name } } : scope;
}

function readAssignmentScope(segments: readonly string[]): ParseOutcome<AssignmentScope> {
  if (isKeyword(segments[0], KEYWORD.providers)) {
    const group = segments[3];
    if (segments.length !== 4 || !MANAGEMENT_GROUP_HEAD.every((keyword, i) => isKeyword(segments[i], keyword)) || group === undefined) {
      return { ok: false, reason: 'has a scope that is neither a management group nor a subscription' };
    }
    if (!segmentRules.groupName(group)) return { ok: false, reason: 'has an invalid management group id' };
    return { ok: true, value: { kind: 'managementGroup', managementGroup: group } };
  }
  return readScopeSegments(segments);
}

export function parsePolicyAssignmentId(raw: string): PolicyAssignmentRef | undefined {
  const read = readPolicyAssignmentId(raw);
  return read.ok ? read.value : undefined;
}

export function assignmentScopeSegments(scope: AssignmentScope): string[] {
  return scope.kind === 'managementGroup' ? [...MANAGEMENT_GROUP_HEAD, scope.managementGroup] : resourceSegments(scope);
}

export function policyAssignmentSegments(ref: PolicyAssignmentRef): string[] {
  return [...assignmentScopeSegments(ref.scope), ...ASSIGNMENT_TAIL, ref.name];
}

/** The canonical text of an assignment id. */
export function formatPolicyAssignmentId(ref: PolicyAssignmentRef): string {
  return `/${policyAssignmentSegments(ref).join('/')}`;
}

export function canonicalPolicyAssignmentId(raw: string): string | undefined {
  const parsed = parsePolicyAssignmentId(raw);
  return parsed ? formatPolicyAssignmentId(parsed) : undefined;
}

/**
 * Whether an assignment's scope contains the resource. A management group's members are not visible in
 * ids, so that answer is 'unknown' and only ARM can settle it.
 */
export function assignmentCovers(ref: PolicyAssignmentRef, resource: ResourceScope): 'yes' | 'no' | 'unknown' {
  if (ref.scope.kind === 'managementGroup') return 'unknown';
  return isScopeAtOrAbove(ref.scope, resource) ? 'yes' : 'no';
}
