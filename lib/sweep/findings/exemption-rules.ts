import type { InventoryExemption } from '../inventory.js';
import { expiryStanding } from './expiry.js';
import { draftFor, type ExemptionFacts, type FindingDraft } from './finding-draft.js';
import type { ManagedExemption } from './managed-index.js';

export const MANAGED_BY = 'exemption-broker';

export interface ExemptionContext {
  readonly now: Date;
  /** Largest first. */
  readonly warnDays: readonly number[];
  /** The stored request that created it, if one did. */
  readonly managed: ManagedExemption | undefined;
  /** Whether its policy assignment exists: `unknown` when nothing could say (it is then not reported). */
  readonly assignment: 'exists' | 'gone' | 'unknown';
}

export function factsOf(exemption: InventoryExemption, managed: ManagedExemption | undefined): ExemptionFacts {
  return {
    id: exemption.id, subscriptionId: exemption.scope.subscriptionId.toLowerCase(), scope: scopeIdOf(exemption),
    policyAssignmentId: exemption.policyAssignmentId, displayName: exemption.displayName, expiresOn: exemption.expiresOn,
    requestId: managed?.requestId, managed: managed !== undefined,
  };
}

function scopeIdOf(exemption: InventoryExemption): string {
  return exemption.id.slice(0, exemption.id.length - `/providers/Microsoft.Authorization/policyExemptions/${exemption.name}`.length);
}

/** Everything one inventory row says on its own (given the stored request and the assignment catalog). */
export function exemptionFindings(exemption: InventoryExemption, context: ExemptionContext): FindingDraft[] {
  const facts = factsOf(exemption, context.managed);
  const drafts = expiryFindings(facts, exemption.expiresOn, context.now, context.warnDays);
  if (context.managed) {
    const changes = driftFrom(exemption, context.managed);
    if (changes.length > 0) drafts.push(draftFor(facts, 'changedOutOfBand', `Changed since it was approved: ${changes.join('; ')}.`));
  } else if (exemption.exemptionManagementMode === 'UserSelfServe') {
    drafts.push(draftFor(facts, 'selfServe', 'Created through self-serve exemption management: it took effect without review.'));
  } else {
    const claims = exemption.managedBy?.toLowerCase() === MANAGED_BY;
    drafts.push(draftFor(facts, 'unmanaged', claims
      ? `Its metadata says it is managed by exemption-broker (request ${JSON.stringify(exemption.requestId ?? '')}), but no stored request created it.`
      : 'Created outside exemption-broker: it was never reviewed here.'));
  }
  if (context.assignment === 'gone') {
    drafts.push(draftFor(facts, 'orphanedAssignment', `Its policy assignment no longer exists (${exemption.policyAssignmentId}).`));
  }
  return drafts;
}

/** Expiring (at the tightest threshold reached), expired or never expiring: the same for both mechanisms. */
export function expiryFindings(facts: ExemptionFacts, expiresOn: string | undefined, now: Date, warnDays: readonly number[]): FindingDraft[] {
  const standing = expiryStanding(expiresOn, now, warnDays);
  if (standing.kind === 'expiring') return [draftFor(facts, 'expiring', `Expires in ${describeDays(standing.daysLeft)} (${expiresOn}).`, String(standing.threshold))];
  if (standing.kind === 'expired') return [draftFor(facts, 'expired', `Expired ${describeDays(standing.expiredDays)} ago (${expiresOn}); Azure no longer honours it.`)];
  if (standing.kind === 'noExpiry') return [draftFor(facts, 'noExpiry', 'Never expires: nobody will be asked to look at it again.')];
  return [];
}

/** What differs between the exemption in Azure and what its request approved. */
export function driftFrom(exemption: InventoryExemption, approved: ManagedExemption): string[] {
  const changes: string[] = [];
  if (exemption.expiresOn === undefined || Date.parse(exemption.expiresOn) !== Date.parse(approved.expiresOn)) {
    changes.push(`expiry ${exemption.expiresOn ?? 'removed'} (approved ${approved.expiresOn})`);
  }
  if (exemption.exemptionCategory !== approved.category) changes.push(`category ${exemption.exemptionCategory} (approved ${approved.category})`);
  if (exemption.policyAssignmentId.toLowerCase() !== approved.policyAssignmentId.toLowerCase()) {
    changes.push(`assignment ${exemption.policyAssignmentId} (approved ${approved.policyAssignmentId})`);
  }
  const now = [...exemption.policyDefinitionReferenceIds].map((r) => r.toLowerCase()).sort();
  const then = [...approved.policyDefinitionReferenceIds].map((r) => r.toLowerCase()).sort();
  if (now.join('|') !== then.join('|')) {
    changes.push(`policies [${exemption.policyDefinitionReferenceIds.join(', ')}] (approved [${approved.policyDefinitionReferenceIds.join(', ')}])`);
  }
  return changes;
}

function describeDays(days: number): string {
  if (days < 1) {
    const hours = Math.max(1, Math.round(days * 24));
    return `${hours} hour${hours === 1 ? '' : 's'}`;
  }
  const whole = Math.floor(days);
  return `${whole} day${whole === 1 ? '' : 's'}`;
}
