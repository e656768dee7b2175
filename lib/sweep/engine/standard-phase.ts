import { draftFor, type FindingDraft } from '../findings/finding-draft.js';
import type { ManagedStandardExemption } from '../findings/managed-index.js';
import { standardFindings } from '../findings/standard-rules.js';
import type { InventoryStandardExemption } from '../inventory.js';
import { inScope, markDeleted } from './deleted-phase.js';
import { describe } from './exemption-phase.js';
import { actOnManaged } from './managed-actions.js';
import type { RunState } from './run-state.js';

/**
 * Defender exemptions (`Exempt` standard assignments), page by page, with the same findings and actions
 * as policy exemptions where they apply (standard-rules.ts says which do not). Then every managed one
 * the listing did not show is read by its id: the REST listing may not reach resource groups and
 * resources at all, and Resource Graph lags, so only ARM's answer decides between deleted, changed
 * and merely unlisted.
 */
export async function standardPhase(run: RunState): Promise<void> {
  const fallbackSubscriptions = [...new Set([...run.scope.subscriptions, ...run.index.subscriptions])];
  const failed = new Set<string>();
  let complete = true;
  try {
    for await (const page of run.ports.inventory.standardExemptions(run.scope, fallbackSubscriptions)) {
      run.pageRead('standards', page.items.length);
      for (const problem of page.problems) run.error(`${problem.source} standard assignment ${problem.rowId ?? '(no id)'}: ${problem.reason}`);
      if (page.failedSubscription) failed.add(page.failedSubscription.toLowerCase());
      const drafts = page.items.flatMap((exemption) => inspect(run, exemption, run.index.claimStandard(exemption.id)));
      await run.recorder.record(await actOnManaged(run, drafts));
      run.progress('standards', page.totalRecords);
    }
  } catch (error) {
    complete = false;
    run.error(`standard assignment inventory stopped early: ${describe(error)}`);
  }
  if (!complete) {
    run.error('deleted-out-of-band check of Defender exemptions skipped: their inventory was incomplete');
    return;
  }
  const drafts: FindingDraft[] = [];
  for (const entry of [...run.index.unseenStandards()]) {
    if (!inScope(run, entry) || failed.has(entry.subscriptionId)) continue;
    try {
      drafts.push(...(await checkUnlisted(run, entry)));
    } catch (error) {
      run.error(`could not check ${entry.exemptionId}: ${describe(error)}`);
    }
  }
  await run.recorder.record(await actOnManaged(run, drafts));
  run.progress('standards');
}

function inspect(run: RunState, exemption: InventoryStandardExemption, managed: ManagedStandardExemption | undefined): FindingDraft[] {
  run.exemptions++;
  run.subscriptions.add(exemption.scope.subscriptionId.toLowerCase());
  if (exemption.expiresOn === undefined || Date.parse(exemption.expiresOn) > run.nowMs) run.chartExpiry(exemption.expiresOn);
  return standardFindings(exemption, { now: run.now, warnDays: run.rules.warnDays, managed });
}

async function checkUnlisted(run: RunState, entry: ManagedStandardExemption): Promise<FindingDraft[]> {
  const target = run.standardTargetOf(entry.exemptionId);
  if (!target) return [];
  const confirmed = await run.ports.arm.confirmStandardExemption(target);
  if (confirmed.state === 'present') return inspect(run, confirmed.exemption, entry);
  if (confirmed.state === 'unreadable') {
    run.error(`${entry.exemptionId}: ${confirmed.reason}`);
    return [];
  }
  const facts = {
    id: entry.exemptionId, subscriptionId: entry.subscriptionId, scope: entry.resourceId, policyAssignmentId: undefined,
    mechanism: 'standard' as const, assignedStandardId: entry.assignedStandardId,
    displayName: `Exemption: ${entry.displayName}`, expiresOn: entry.expiresOn, requestId: entry.requestId, managed: true,
  };
  if (confirmed.state === 'notExempt') {
    return [draftFor(facts, 'changedOutOfBand', `Changed since it was approved: effect ${JSON.stringify(confirmed.effect)} (approved Exempt), so it no longer exempts anything.`)];
  }
  const draft = draftFor(facts, 'deletedOutOfBand', 'Deleted outside exemption-broker (ARM confirms the standard assignment is gone).');
  return [{ ...draft, action: await markDeleted(run, entry.requestId, entry.exemptionId) }];
}
