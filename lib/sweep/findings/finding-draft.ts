import type { FindingAction, FindingKind, SweepFinding } from '../model.js';

/** A finding as a rule produces it; the engine adds its key, first/last seen and newness. */
export type FindingDraft = Omit<SweepFinding, 'key' | 'firstSeen' | 'lastSeen' | 'isNew'>;

/** The facts about one exemption every rule about it needs, held compactly between inventory phases. */
export type ExemptionFacts = Pick<FindingDraft, 'subscriptionId' | 'scope' | 'policyAssignmentId' | 'mechanism' | 'assignedStandardId' | 'displayName' | 'expiresOn' | 'requestId' | 'managed'> & {
  /** The exemption's canonical id (the finding's subject). */
  readonly id: string;
};

export function draftFor(facts: ExemptionFacts, kind: FindingKind, detail: string, threshold = '', action: FindingAction = 'none'): FindingDraft {
  return {
    kind, threshold, subject: facts.id, subscriptionId: facts.subscriptionId, scope: facts.scope,
    policyAssignmentId: facts.policyAssignmentId,
    ...(facts.mechanism === 'standard' ? { mechanism: 'standard' as const, ...(facts.assignedStandardId ? { assignedStandardId: facts.assignedStandardId } : {}) } : {}),
    displayName: facts.displayName, expiresOn: facts.expiresOn,
    requestId: facts.requestId, managed: facts.managed, detail, action,
  };
}
