import type { CreatedExemption, ExemptionRequest, ExemptionTarget, RecommendationRef, ResolvedAssignment, ResolvedStandard } from './model.js';
import { UnresolvableRequestError } from './unresolvable-request.js';

const ASSIGNMENT_PATH = '/providers/Microsoft.Authorization/policyAssignments/';
const EXEMPTION_PATH = '/providers/Microsoft.Authorization/policyExemptions/';
const STANDARD_ASSIGNMENT_PATH = '/providers/Microsoft.Security/standardAssignments/';
const STANDARD_PATH = '/providers/Microsoft.Security/Standards/';
const GUID_LENGTH = 36;

/**
 * The field limits that bound how large a stored request can grow. Intake enforces the first group,
 * resolution the second (ARM answers are input too), and the workers the third. The worst case built
 * from them is what MAX_RESOURCES_PER_REQUEST's maximum is checked against.
 */
export const REQUEST_LIMITS = {
  resourceIdLength: 1024,
  justificationLength: 512,
  ticketRefLength: 128,
  emailLength: 320,
  // An assignment sits at or above the resource, so its id is at most the resource id plus its own path.
  assignmentIdLength: 1024 + ASSIGNMENT_PATH.length + 128,
  assignmentsPerTarget: 8,
  // A standard assignment, like a policy one, sits at or above the resource.
  standardAssignmentIdLength: 1024 + STANDARD_ASSIGNMENT_PATH.length + GUID_LENGTH,
  standardsPerTarget: 4,
  referenceIdsPerAssignment: 4,
  referenceIdLength: 128,
  displayNameLength: 128,
  recommendationIdLength: 1024 + 128,
  portalLinkLength: 2048,
  severityLength: 16,
  approvers: 50,
  commentLength: 512,
  errorCodeLength: 128,
  errorMessageLength: 1024,
  // reviewDigest(): SHA-256 in hex.
  reviewDigestLength: 64,
  // exemptionName(): "eb-" and 40 hex digits.
  exemptionNameLength: 43,
} as const;

const L = REQUEST_LIMITS;

/** A request that would not fit in the store once decided and applied; nothing was stored. */
export class RequestTooLargeError extends UnresolvableRequestError {
  constructor(message: string) {
    super(message, 'resourceIds');
    this.name = 'RequestTooLargeError';
  }
}

export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * The request as large as it can become: every approver slot, a decision with the longest comment, one
 * exemption per assignment and the longest ARM error. Checking this at intake means no later step can
 * make the stored request too large.
 */
export function fullyGrown(request: ExemptionRequest): ExemptionRequest {
  const longest = (length: number) => '\u0001'.repeat(length); // JSON writes it as \u0001: six bytes
  const email = 'a'.repeat(L.emailLength);
  return {
    ...request,
    approvers: Array.from({ length: L.approvers }, () => email),
    decision: { outcome: 'approved', by: email, at: request.updatedAt, channel: 'review-page', comment: longest(L.commentLength), reviewed: 'f'.repeat(L.reviewDigestLength) },
    exemptions: request.targets.flatMap((target): CreatedExemption[] => [
      ...target.assignments.map((assignment) => ({
        id: `${target.resourceId}${EXEMPTION_PATH}${'e'.repeat(L.exemptionNameLength)}`,
        resourceId: target.resourceId,
        policyAssignmentId: assignment.policyAssignmentId,
      })),
      ...(target.standards ?? []).map((standard) => ({
        kind: 'standard' as const,
        id: `${target.resourceId}${STANDARD_ASSIGNMENT_PATH}${'e'.repeat(GUID_LENGTH)}`,
        resourceId: target.resourceId,
        assignedStandardId: standard.assignedStandardId,
      })),
    ]),
    lastError: { status: 500, code: 'c'.repeat(L.errorCodeLength), message: longest(L.errorMessageLength) },
  };
}

/** Refuses, before anything is stored, a request that could outgrow the store or breaks a limit above. */
export function checkRequestSize(request: ExemptionRequest, maxDocumentBytes: number): void {
  for (const target of request.targets) {
    const standards = target.standards ?? [];
    if (standards.length > L.standardsPerTarget) {
      throw new RequestTooLargeError(`${target.resourceId} is covered by ${standards.length} security standards; one request handles at most ${L.standardsPerTarget} per resource`);
    }
    if (standards.some((s) => s.standardAssignmentId.length > L.standardAssignmentIdLength || s.assignedStandardId.length > STANDARD_PATH.length + GUID_LENGTH)) {
      throw new RequestTooLargeError(`a standard assignment above ${target.resourceId.slice(0, 256)} is larger than one request can hold`);
    }
    if (target.assignments.length > L.assignmentsPerTarget) {
      throw new RequestTooLargeError(`${target.resourceId} is covered by ${target.assignments.length} policy assignments; one request handles at most ${L.assignmentsPerTarget} per resource`);
    }
    for (const assignment of target.assignments) {
      if (assignment.policyAssignmentId.length > L.assignmentIdLength || assignment.policyDefinitionReferenceIds.length > L.referenceIdsPerAssignment
        || assignment.policyDefinitionReferenceIds.some((ref) => ref.length > L.referenceIdLength)) {
        throw new RequestTooLargeError(`policy assignment ${assignment.policyAssignmentId.slice(0, 256)} is larger than one request can hold`);
      }
    }
  }
  const bytes = jsonBytes(fullyGrown(request));
  if (bytes > maxDocumentBytes) {
    throw new RequestTooLargeError(`with its ${request.targets.length} resource(s) and their assignments this request could grow to ${bytes} bytes, more than the ${maxDocumentBytes} one stored request holds; split it into smaller requests`);
  }
}

/** Shortens the free-text facts ARM supplies to their limits (ids are checked, never cut). */
export function clipResolved<T extends { recommendation: RecommendationRef; targets: readonly ExemptionTarget[] }>(resolution: T): T {
  // Control characters and lone surrogates have no place in a name and cost six bytes each as JSON.
  const clip = (text: string, max: number) => text.toWellFormed().replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max).toWellFormed();
  const r = resolution.recommendation;
  return {
    ...resolution,
    recommendation: {
      ...r,
      displayName: clip(r.displayName, L.displayNameLength),
      ...(r.severity === undefined ? {} : { severity: clip(r.severity, L.severityLength) }),
      ...(r.portalLink === undefined || r.portalLink.length <= L.portalLinkLength ? {} : { portalLink: undefined }),
    },
    targets: resolution.targets.map((target) => ({
      ...target,
      assignments: target.assignments.map((a): ResolvedAssignment => (a.displayName === undefined ? a : { ...a, displayName: clip(a.displayName, L.displayNameLength) })),
      ...(target.standards === undefined ? {} : {
        standards: target.standards.map((s): ResolvedStandard => (s.displayName === undefined ? s : { ...s, displayName: clip(s.displayName, L.displayNameLength) })),
      }),
    })),
  };
}

/**
 * A request with `resources` targets and every field at its limit, in the characters that take most room
 * as UTF-8 JSON: six bytes for free text people type (a control character), three for names ARM supplies
 * (clipResolved removes control characters), one for ids (ARM ids are ASCII; any other id is measured
 * exactly at intake).
 */
export function worstCaseRequest(resources: number): ExemptionRequest {
  const text = (length: number) => '\u0001'.repeat(length);
  const name = (length: number) => '\u20ac'.repeat(length);
  const id = (prefix: string, length: number, n: number) => `${prefix}${n}`.padEnd(length, 'x');
  const at = '2026-01-01T00:00:00.000Z';
  const targets: ExemptionTarget[] = Array.from({ length: resources }, (_, t) => ({
    resourceId: id('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm', L.resourceIdLength, t),
    assignments: Array.from({ length: L.assignmentsPerTarget }, (_, a) => ({
      policyAssignmentId: id(`/subscriptions/00000000-0000-0000-0000-000000000000${ASSIGNMENT_PATH}a${t}-`, L.assignmentIdLength, a),
      displayName: name(L.displayNameLength),
      policyDefinitionReferenceIds: Array.from({ length: L.referenceIdsPerAssignment }, (_, r) => id('ref', L.referenceIdLength, r)),
    })),
    // A target is exempted through policy assignments or standards, never both; the policy side is larger.
    coverage: { resources: Number.MAX_SAFE_INTEGER, unhealthy: Number.MAX_SAFE_INTEGER, countedAt: at, partial: true },
  }));
  return fullyGrown({
    id: 'ffffffffffffffffff', state: 'received', createdAt: at, updatedAt: at, source: 'defender',
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    recommendation: {
      assessmentKey: 'k'.repeat(128), displayName: name(L.displayNameLength),
      policyDefinitionId: 'p'.repeat(L.recommendationIdLength), severity: name(L.severityLength), portalLink: 'h'.repeat(L.portalLinkLength),
    },
    targets, category: 'Mitigated', justification: text(L.justificationLength), expiresOn: at,
    requestedBy: 'r'.repeat(L.emailLength), ticketRef: text(L.ticketRefLength), approvers: [], exemptions: [],
    dedupeKey: 'd'.repeat(64),
    // A renewal carries the link to the request it renews (request ids are 18 characters).
    renewalOf: { requestId: 'f'.repeat(18), nameSeed: 'f'.repeat(18) },
  });
}
