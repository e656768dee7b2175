import { clip, DESCRIPTION_MAX, DISPLAY_NAME_MAX, type PolicyExemptionProperties } from '../azure/policy-exemption.js';
import type { ExemptionRequest, ResolvedAssignment } from './model.js';

/** The exemption body for one assignment, within ARM's documented limits, with the broker's metadata. */
export function exemptionProperties(request: ExemptionRequest, assignment: ResolvedAssignment): PolicyExemptionProperties {
  const decision = request.decision;
  if (!decision || decision.outcome !== 'approved') throw new Error(`request ${request.id} is not approved`);
  const ticket = request.ticketRef ? ` Ticket: ${request.ticketRef}.` : '';
  return {
    policyAssignmentId: assignment.policyAssignmentId,
    ...(assignment.policyDefinitionReferenceIds.length > 0 ? { policyDefinitionReferenceIds: assignment.policyDefinitionReferenceIds } : {}),
    exemptionCategory: request.category,
    expiresOn: request.expiresOn,
    displayName: clip(`Exemption: ${request.recommendation.displayName}`, DISPLAY_NAME_MAX),
    description: clip(`${request.justification} (approved by ${decision.by}; exemption-broker request ${request.id}.${ticket})`, DESCRIPTION_MAX),
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
