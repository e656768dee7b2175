import { clip, DESCRIPTION_MAX, DISPLAY_NAME_MAX, type PolicyExemptionProperties } from '../azure/policy-exemption.js';
import { standardExemptionProperties, type StandardAssignmentExemptionProperties } from '../azure/standard-assignment.js';
import type { Decision, ExemptionRequest, ResolvedAssignment } from './model.js';

/** The exemption body for one assignment, within ARM's documented limits, with the broker's metadata. */
export function exemptionProperties(request: ExemptionRequest, assignment: ResolvedAssignment): PolicyExemptionProperties {
  const decision = approval(request);
  return {
    policyAssignmentId: assignment.policyAssignmentId,
    ...(assignment.policyDefinitionReferenceIds.length > 0 ? { policyDefinitionReferenceIds: assignment.policyDefinitionReferenceIds } : {}),
    exemptionCategory: request.category,
    expiresOn: request.expiresOn,
    displayName: clip(displayName(request), DISPLAY_NAME_MAX),
    description: clip(description(request, decision), DESCRIPTION_MAX),
    metadata: {
      requestedBy: request.requestedBy,
      approvedBy: decision.by,
      approvedOn: decision.at,
      ticketRef: request.ticketRef ?? '',
      requestId: request.id,
      managedBy: 'exemption-broker',
    },
  };
}

/**
 * The body of an `Exempt` standard assignment. It has no metadata bag the broker can write, so the
 * description carries who approved it and the request id, as the policy exemption's does.
 */
export function standardExemptionBody(request: ExemptionRequest, standardName: string, assessmentKey: string): StandardAssignmentExemptionProperties {
  const decision = approval(request);
  return standardExemptionProperties({
    standardName,
    assessmentKey,
    category: request.category,
    expiresOn: new Date(request.expiresOn),
    displayName: displayName(request),
    description: description(request, decision),
  });
}

function approval(request: ExemptionRequest): Decision {
  const decision = request.decision;
  if (!decision || decision.outcome !== 'approved') throw new Error(`request ${request.id} is not approved`);
  return decision;
}

const displayName = (request: ExemptionRequest): string => `Exemption: ${request.recommendation.displayName}`;

function description(request: ExemptionRequest, decision: Decision): string {
  const ticket = request.ticketRef ? ` Ticket: ${request.ticketRef}.` : '';
  return `${request.justification} (approved by ${decision.by}; exemption-broker request ${request.id}.${ticket})`;
}
