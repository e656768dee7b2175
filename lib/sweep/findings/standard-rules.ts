import type { InventoryStandardExemption } from '../inventory.js';
import { standardScopeId } from '../sources/standard-rows.js';
import { expiryFindings } from './exemption-rules.js';
import { draftFor, type ExemptionFacts, type FindingDraft } from './finding-draft.js';
import type { ManagedStandardExemption } from './managed-index.js';

export interface StandardContext {
  readonly now: Date;
  /** Largest first. */
  readonly warnDays: readonly number[];
  readonly managed: ManagedStandardExemption | undefined;
}

export function standardFactsOf(exemption: InventoryStandardExemption, managed: ManagedStandardExemption | undefined): ExemptionFacts {
  return {
    id: exemption.id, subscriptionId: exemption.scope.subscriptionId.toLowerCase(), scope: standardScopeId(exemption),
    policyAssignmentId: undefined, mechanism: 'standard', assignedStandardId: exemption.assignedStandardId,
    displayName: exemption.displayName, expiresOn: exemption.expiresOn, requestId: managed?.requestId, managed: managed !== undefined,
  };
}

/**
 * What one Defender exemption shows on its own: the same expiry kinds as a policy exemption, drift
 * from what was approved, or that nobody here approved it. Kinds that do not apply, and why:
 * `selfServe` is a policy exemption mode; `orphanedAssignment` is not concluded, because the standard
 * can be assigned on a management group above the swept subscriptions, where neither inventory looks;
 * `orphanedResource` and `defenderMismatch` work from policy definitions and the `resources` table,
 * which do not describe security-connector entities (AWS, GCP) these exemptions often cover.
 */
export function standardFindings(exemption: InventoryStandardExemption, context: StandardContext): FindingDraft[] {
  const facts = standardFactsOf(exemption, context.managed);
  const drafts = expiryFindings(facts, exemption.expiresOn, context.now, context.warnDays);
  if (context.managed) {
    const changes = standardDriftFrom(exemption, context.managed);
    if (changes.length > 0) drafts.push(draftFor(facts, 'changedOutOfBand', `Changed since it was approved: ${changes.join('; ')}.`));
  } else {
    drafts.push(draftFor(facts, 'unmanaged', 'A Defender exemption (standard assignment) created outside exemption-broker: it was never reviewed here.'));
  }
  return drafts;
}

/** What differs between the standard assignment in Azure and what its request approved. */
export function standardDriftFrom(exemption: InventoryStandardExemption, approved: ManagedStandardExemption): string[] {
  const changes: string[] = [];
  if (exemption.expiresOn === undefined || Date.parse(exemption.expiresOn) !== Date.parse(approved.expiresOn)) {
    changes.push(`expiry ${exemption.expiresOn ?? 'removed'} (approved ${approved.expiresOn})`);
  }
  if (exemption.exemptionCategory !== approved.category) changes.push(`category ${exemption.exemptionCategory} (approved ${approved.category})`);
  if (standardGuid(exemption.assignedStandardId) !== standardGuid(approved.assignedStandardId)) {
    changes.push(`standard ${exemption.assignedStandardId} (approved ${approved.assignedStandardId})`);
  }
  if (approved.assessmentKey !== undefined && exemption.assessmentKey !== approved.assessmentKey) {
    changes.push(`recommendation ${exemption.assessmentKey} (approved ${approved.assessmentKey})`);
  }
  return changes;
}

/** `Standards/{guid}` and `securityStandards/{guid}` name the same standard (Microsoft's examples use both). */
function standardGuid(assignedStandardId: string): string {
  return (assignedStandardId.split('/').pop() ?? '').toLowerCase();
}
