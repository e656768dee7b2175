import type { RunState } from './run-state.js';
import { describe } from './exemption-phase.js';

/**
 * Which exempted resources still exist: one Resource Graph listing of the exempted resource types. An
 * exemption whose resource is not listed is orphaned. Reported only, never acted on, so a stale row costs
 * a false report at worst; if the listing fails, no orphan is reported at all.
 */
export async function resourcePhase(run: RunState): Promise<void> {
  const types = run.ledger.resourceTypes();
  if (types.length === 0) return;
  try {
    for await (const page of run.ports.inventory.resources(run.scope, types)) {
      run.pageRead('resources', page.items.length);
      for (const problem of page.problems) run.error(`resource row ${problem.rowId ?? '(no id)'}: ${problem.reason}`);
      for (const id of page.items) run.ledger.markPresent(id);
      run.progress('resources', page.totalRecords);
    }
  } catch (error) {
    run.error(`orphaned-resource check skipped: the resource listing failed (${describe(error)})`);
    return;
  }
  const orphans = [...run.ledger.orphans()].filter((d) => !run.failedSubscriptions.has(d.subscriptionId));
  await run.recorder.record(orphans);
}
