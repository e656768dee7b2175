import { createHash } from 'node:crypto';
import { assignmentCovers, formatPolicyAssignmentId, parsePolicyAssignmentId } from '../azure/policy-assignment-id.js';
import { formatResourceId, parseResourceId } from '../azure/resource-id.js';
import type { ArmFailure, ExemptionRequest, ExemptionTarget, ResolvedAssignment } from './model.js';

/**
 * What the approver reviewed, reduced to a digest: every target's resource id and every assignment with
 * its reference ids, exactly as stored (they are canonical, so any change of text is a change of scope).
 */
export function reviewDigest(targets: readonly ExemptionTarget[]): string {
  const reviewed = targets.map((target) => [
    target.resourceId,
    target.assignments.map((a) => [a.policyAssignmentId, [...a.policyDefinitionReferenceIds]]),
  ]);
  return createHash('sha256').update(JSON.stringify(reviewed)).digest('hex');
}

export interface PlannedWrite {
  /** The canonical id of the reviewed resource: the exemption's scope. */
  readonly scope: string;
  readonly assignment: ResolvedAssignment;
}

export type WriteCheck =
  | { readonly ok: true; readonly writes: readonly PlannedWrite[] }
  | { readonly ok: false; readonly failure: ArmFailure };

/** Not an ARM status: the write was never sent. 412 says a precondition of writing did not hold. */
const REFUSED = 412;

/**
 * Decides, before anything is written, whether the stored request may still be applied: it must carry an
 * approval with a review digest, every target and assignment must still be a canonical id, every
 * assignment must be at or above its target, and together they must be exactly what was reviewed.
 */
export function checkWrites(request: Pick<ExemptionRequest, 'targets' | 'decision'>): WriteCheck {
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
      writes.push({ scope: target.resourceId, assignment });
    }
  }
  if (reviewDigest(request.targets) !== reviewed) {
    return refuse('ScopeMismatch', 'the targets or assignments differ from those the approver reviewed');
  }
  return { ok: true, writes };
}

function refuse(code: string, message: string): WriteCheck {
  return { ok: false, failure: { status: REFUSED, code, message: `nothing was written: ${message}` } };
}
