import { ArmError } from '../../azure/arm-error.js';
import type { FindingDraft } from '../findings/finding-draft.js';
import { exemptionFindings, factsOf } from '../findings/exemption-rules.js';
import { resourceTypeOf } from '../sources/catalog-rows.js';
import type { InventoryExemption } from '../inventory.js';
import { actOnManaged } from './managed-actions.js';
import type { RunState } from './run-state.js';

/**
 * Reads every exemption page by page: the findings each row shows on its own, the actions on managed
 * ones (notices, expiry, deletion when enabled), and what the later phases need, kept compactly. A
 * page is stored before the next one is read, so a run that fails half-way keeps what it had.
 */
export async function exemptionPhase(run: RunState): Promise<void> {
  const fallbackSubscriptions = [...new Set([...run.scope.subscriptions, ...run.index.subscriptions])];
  try {
    for await (const page of run.ports.inventory.exemptions(run.scope, fallbackSubscriptions)) {
      run.pageRead('exemptions', page.items.length);
      for (const problem of page.problems) run.error(`${problem.source} row ${problem.rowId ?? '(no id)'}: ${problem.reason}`);
      if (page.failedSubscription) run.failedSubscriptions.add(page.failedSubscription.toLowerCase());
      const drafts: FindingDraft[] = [];
      for (const exemption of page.items) drafts.push(...(await inspect(run, exemption)));
      await run.recorder.record(await actOnManaged(run, drafts));
      run.progress('exemptions', page.totalRecords);
    }
  } catch (error) {
    run.exemptionsComplete = false;
    run.error(`exemption inventory stopped early: ${describe(error)}`);
  }
}

async function inspect(run: RunState, exemption: InventoryExemption): Promise<FindingDraft[]> {
  run.exemptions++;
  run.subscriptions.add(exemption.scope.subscriptionId.toLowerCase());
  const managed = run.index.claim(exemption.id);
  const assignment = await run.catalog.state(exemption.policyAssignmentId);
  const drafts = exemptionFindings(exemption, { now: run.now, warnDays: run.rules.warnDays, managed, assignment });
  const expired = exemption.expiresOn !== undefined && Date.parse(exemption.expiresOn) <= run.nowMs;
  if (!expired) run.chartExpiry(exemption.expiresOn);
  const type = resourceTypeOf(exemption.scope);
  if (type) {
    const definitions = (await run.catalog.exemptedPolicies(exemption.policyAssignmentId, exemption.policyDefinitionReferenceIds)) ?? [];
    const ownership = drafts.find((d) => d.kind === 'unmanaged' || d.kind === 'selfServe');
    const facts = factsOf(exemption, managed);
    run.ledger.add(facts.scope, type, {
      facts, definitions, active: !expired,
      changedAt: changedAt(run, exemption, managed?.changedAt, expired, ownership),
    });
  }
  return drafts;
}

/**
 * When Defender's clock started: an expiry is a known moment, and so is a managed exemption's last
 * approved change. For one made elsewhere nothing says when it was made, so the first run that saw it
 * stands in (the first-seen time of its unmanaged finding).
 */
function changedAt(run: RunState, exemption: InventoryExemption, managedChange: string | undefined, expired: boolean, ownership: FindingDraft | undefined): number | undefined {
  if (expired) return Date.parse(exemption.expiresOn!);
  if (managedChange) return Date.parse(managedChange);
  const firstSeen = ownership ? run.recorder.earlier(ownership)?.firstSeen : undefined;
  return firstSeen ? Date.parse(firstSeen) : run.nowMs;
}

export function describe(error: unknown): string {
  if (error instanceof ArmError) return `${error.status} ${error.code}: ${error.message}`;
  return String((error as Error)?.message ?? error);
}
