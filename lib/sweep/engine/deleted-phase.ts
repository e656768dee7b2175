import type { FindingDraft } from '../findings/finding-draft.js';
import { draftFor } from '../findings/finding-draft.js';
import type { ManagedExemption } from '../findings/managed-index.js';
import { resourceTypeOf } from '../sources/catalog-rows.js';
import { moveBySweep } from '../../requests/sweep-transitions.js';
import type { FindingAction } from '../model.js';
import { describe } from './exemption-phase.js';
import type { RunState } from './run-state.js';

/**
 * Managed exemptions the inventory did not show were deleted out of band, or the index has not caught
 * up. Each one is read from ARM first: only a confirmed 404 revokes its request (an expired one is
 * marked removed). Skipped when the inventory was incomplete, and for subscriptions outside the scope
 * or that could not be listed: absence from a partial listing proves nothing.
 */
export async function deletedPhase(run: RunState): Promise<void> {
  if (!run.exemptionsComplete) {
    run.error('deleted-out-of-band check skipped: the exemption inventory was incomplete');
    return;
  }
  const drafts: FindingDraft[] = [];
  for (const entry of [...run.index.unseen()]) {
    if (!inScope(run, entry)) continue;
    try {
      const draft = await check(run, entry);
      if (draft) drafts.push(draft);
    } catch (error) {
      run.error(`could not check ${entry.exemptionId}: ${describe(error)}`);
    }
  }
  await run.recorder.record(drafts);
  run.progress('deleted');
}

export function inScope(run: RunState, entry: Pick<ManagedExemption, 'subscriptionId'>): boolean {
  if (run.failedSubscriptions.has(entry.subscriptionId)) return false;
  return run.scope.subscriptions.length === 0 || run.scope.subscriptions.includes(entry.subscriptionId);
}

async function check(run: RunState, entry: ManagedExemption): Promise<FindingDraft | undefined> {
  const target = run.targetOf(entry.exemptionId);
  if (!target) return undefined;
  const confirmed = await run.ports.arm.confirmExemption(target);
  if (confirmed.state !== 'gone') return undefined;
  const facts = {
    id: entry.exemptionId, subscriptionId: entry.subscriptionId, scope: entry.resourceId, policyAssignmentId: entry.policyAssignmentId,
    displayName: `Exemption: ${entry.displayName}`, expiresOn: entry.expiresOn, requestId: entry.requestId, managed: true,
  };
  const draft = draftFor(facts, 'deletedOutOfBand', 'Deleted outside exemption-broker (ARM confirms it is gone).');
  const since = run.recorder.earlier(draft)?.firstSeen;
  await addToLedger(run, entry, facts, since ? Date.parse(since) : run.nowMs);
  return { ...draft, action: await markDeleted(run, entry.requestId, entry.exemptionId) };
}

/**
 * A managed exemption ARM confirms is gone: its request is revoked (removed, had it expired) and its
 * people are told once. Nothing moves in a dry run.
 */
export async function markDeleted(run: RunState, requestId: string, exemptionId: string): Promise<FindingAction> {
  if (run.dryRun) return 'none';
  const detail = `exemption ${exemptionId} was deleted outside the workflow`;
  const moved = await moveBySweep(run.requestPorts, requestId,
    (r) => (r.state === 'expired' ? 'removed' : r.state === 'applied' || r.state === 'expiring' ? 'revoked' : undefined), detail);
  if (!moved) return 'none';
  await run.ports.notices.revoked(moved, detail);
  return moved.state === 'revoked' ? 'marked-revoked' : 'marked-removed';
}

/** A deleted exemption should stop showing as Exempt in Defender; the Defender phase checks that. */
async function addToLedger(run: RunState, entry: ManagedExemption, facts: Parameters<typeof draftFor>[0], since: number): Promise<void> {
  const target = run.targetOf(entry.exemptionId);
  const type = target ? resourceTypeOf(target.scope) : undefined;
  if (!type) return;
  const definitions = await run.catalog.exemptedPolicies(entry.policyAssignmentId, entry.policyDefinitionReferenceIds);
  run.ledger.add(entry.resourceId, type, { facts, definitions: definitions ?? [], active: false, changedAt: since });
}
