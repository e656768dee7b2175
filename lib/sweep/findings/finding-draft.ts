import type { FindingAction, FindingKind } from '../model.js';

/** A finding as a rule produces it; the engine adds its key, first/last seen and newness. */
export interface FindingDraft {
  readonly kind: FindingKind;
  readonly threshold: string;
  readonly subject: string;
  readonly subscriptionId: string;
  readonly scope: string;
  readonly policyAssignmentId: string | undefined;
  readonly displayName: string | undefined;
  readonly expiresOn: string | undefined;
  readonly requestId: string | undefined;
  readonly managed: boolean;
  readonly detail: string;
  readonly action: FindingAction;
}

/** The facts about one exemption every rule about it needs, held compactly between inventory phases. */
export interface ExemptionFacts {
  readonly id: string;
  readonly subscriptionId: string;
  readonly scope: string;
  readonly policyAssignmentId: string | undefined;
  readonly displayName: string | undefined;
  readonly expiresOn: string | undefined;
  readonly requestId: string | undefined;
  readonly managed: boolean;
}

export function draftFor(facts: ExemptionFacts, kind: FindingKind, detail: string, threshold = '', action: FindingAction = 'none'): FindingDraft {
  return {
    kind, threshold, subject: facts.id, subscriptionId: facts.subscriptionId, scope: facts.scope,
    policyAssignmentId: facts.policyAssignmentId, displayName: facts.displayName, expiresOn: facts.expiresOn,
    requestId: facts.requestId, managed: facts.managed, detail, action,
  };
}
