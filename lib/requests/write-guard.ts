import { createHash } from 'node:crypto';
import { assignmentCovers, formatPolicyAssignmentId, parsePolicyAssignmentId } from '../azure/policy-assignment-id.js';
import { formatResourceId, isScopeAtOrAbove, parseResourceId } from '../azure/resource-id.js';
import { assignedStandardId, isGuid, parseStandardAssignmentId, standardNameOf } from '../azure/standard-assignment.js';
import type { ArmFailure, ExemptionRequest, ExemptionTarget, ResolvedAssignment, ResolvedStandard } from './model.js';

/**
 * What the approver reviewed, reduced to a digest: every target's resource id, every assignment with its
 * reference ids and every standard, exactly as stored (they are canonical, so any change of text is a
 * change of scope). A target without standards digests as it did before standards existed, so requests
 * approved then still apply.
 */
export function reviewDigest(targets: readonly ExemptionTarget[]): string {
  const reviewed = targets.map((target) => [
    target.resourceId,
    target.assignments.map((a) => [a.policyAssignmentId, [...a.policyDefinitionReferenceIds]]),
    ...(target.standards?.length ? [target.standards.map((s) => [s.assignedStandardId, s.standardAssignmentId])] : []),
  ]);
  return createHash('sha256').update(JSON.stringify(reviewed)).digest('hex');
}

export type PlannedWrite =
  /** The canonical id of the reviewed resource is the exemption's scope. */
  | { readonly kind: 'policy'; readonly scope: string; readonly assignment: ResolvedAssignment }
  | { readonly kind: 'standard'; readonly scope: string; readonly standard: ResolvedStandard; readonly standardName: string; readonly assessmentKey: string };

export type WriteCheck =
  | { readonly ok: true; readonly writes: readonly PlannedWrite[] }
  | { readonly ok: false; readonly failure: ArmFailure };

/** Not an ARM status: the write was never sent. 412 says a precondition of writing did not hold. */
const REFUSED = 412;

/**
 * Decides, before anything is written, whether the stored request may still be applied: it must carry an
 * approval with a review digest, every target, assignment and standard must still be canonical, every
 * policy or standard assignment must be at or above its target, and together they must be exactly what
 * was reviewed.
 */
export function checkWrites(request: Pick<ExemptionRequest, 'targets' | 'decision' | 'recommendation'>): WriteCheck {
  const reviewed = request.decision?.outcome === 'approved' ? request.decision.reviewed : undefined;
  if (reviewed === undefined) return refuse('NotReviewed', 'the request carries no record of what its approver reviewed');
  const writes: PlannedWrite[] = [];
  for (const target of request.targets) {
    const resource = parseResourceId(target.resourceId);
    if (!resource || formatResourceId(resource) !== target.resourceId) {
      return refuse('ScopeMismatch', `stored target ${JSON.stringify(target.resourceId)} is not a canonical resource id`);
    }
    for (const assignment of target.assignments) {
      const ref = parsePolicyAssignmentId(assignment.policyAssignmentId);
      if (!ref || formatPolicyAssignmentId(ref) !== assignment.policyAssignmentId) {
        return refuse('ScopeMismatch', `stored assignment ${JSON.stringify(assignment.policyAssignmentId)} is not a canonical policy assignment id`);
      }
      if (assignmentCovers(ref, resource) === 'no') {
        return refuse('ScopeMismatch', `assignment ${assignment.policyAssignmentId} is not at or above ${target.resourceId}`);
      }
      writes.push({ kind: 'policy', scope: target.resourceId, assignment });
    }
    for (const standard of target.standards ?? []) {
      const standardName = standardNameOf(standard.assignedStandardId);
      if (standardName === undefined || assignedStandardId(standardName) !== standard.assignedStandardId) {
        return refuse('ScopeMismatch', `stored standard ${JSON.stringify(standard.assignedStandardId)} is not a canonical standard id`);
      }
      const via = parseStandardAssignmentId(standard.standardAssignmentId);
      if (!via || via.id !== standard.standardAssignmentId) {
        return refuse('ScopeMismatch', `stored standard assignment ${JSON.stringify(standard.standardAssignmentId)} is not a canonical standard assignment id`);
      }
      if (!isScopeAtOrAbove(via.scope, resource)) {
        return refuse('ScopeMismatch', `standard assignment ${standard.standardAssignmentId} is not at or above ${target.resourceId}`);
      }
      const assessmentKey = request.recommendation.assessmentKey;
      if (assessmentKey === undefined || !isGuid(assessmentKey)) {
        return refuse('ScopeMismatch', 'a standard exemption needs the recommendation\'s assessment key, and the request holds none that is a GUID');
      }
      writes.push({ kind: 'standard', scope: target.resourceId, standard, standardName, assessmentKey: assessmentKey.toLowerCase() });
    }
  }
  if (reviewDigest(request.targets) !== reviewed) {
    return refuse('ScopeMismatch', 'the targets, assignments or standards differ from those the approver reviewed');
  }
  return { ok: true, writes };
}

function refuse(code: string, message: string): WriteCheck {
  return { ok: false, failure: { status: REFUSED, code, message: `nothing was written: ${message}` } };
}
