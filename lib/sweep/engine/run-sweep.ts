import { HOUR_MS } from '../../core/time.js';
import { newRunId } from '../run-id.js';
import { ManagedIndex } from '../findings/managed-index.js';
import type { SweepFinding, SweepRun, SweepRunStatus, SweepScope, SweepTrigger } from '../model.js';
import { deletedPhase } from './deleted-phase.js';
import { defenderPhase } from './defender-phase.js';
import { digestPhase } from './digest-phase.js';
import { describe, exemptionPhase } from './exemption-phase.js';
import { FindingRecorder } from './finding-recorder.js';
import { resourcePhase } from './resource-phase.js';
import { RunState } from './run-state.js';
import { standardPhase } from './standard-phase.js';
import { stuckPhase } from './stuck-phase.js';
import type { ProgressEvent, SweepPorts, SweepRules } from './sweep-ports.js';

export interface SweepOrder {
  readonly trigger: SweepTrigger;
  readonly dryRun: boolean;
  readonly scope: SweepScope;
  /** Given by the HTTP trigger so its 202 can name the run before it starts. */
  readonly runId?: string;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Each batch of findings as it is recorded, dry run or not (a dry run stores none; the CLI shows them). */
  readonly onFindings?: (findings: readonly SweepFinding[]) => void;
}

export type SweepOutcome =
  | { readonly kind: 'finished'; readonly run: SweepRun }
  /** Another sweep holds the lease: two at once would mail every new finding twice. */
  | { readonly kind: 'busy' };

/** A sweep of a very large estate takes minutes; the lease outlives any run the host allows. */
const LEASE_HOURS = 2;


/**
 * One sweep, whatever started it: the timer, the HTTP trigger or the CLI. Phases run in order, each
 * streaming its source; a phase that fails is recorded on the run and the others still run, except that
 * no conclusion is drawn from an inventory that was cut short. A dry run reads everything and changes
 * nothing: no request moves, no mail, no ARM write, no stored run.
 */
export async function runSweep(ports: SweepPorts, rules: SweepRules, order: SweepOrder): Promise<SweepOutcome> {
  const started = ports.clock.now();
  const runId = order.runId ?? newRunId(started);
  if (!order.dryRun && !(await ports.store.acquireLease(runId, new Date(started.getTime() + LEASE_HOURS * HOUR_MS).toISOString()))) {
    return { kind: 'busy' };
  }
  try {
    const known = await FindingRecorder.loadKnown(ports.store);
    const recorder = new FindingRecorder(ports.store, runId, known, started.toISOString(), order.dryRun, order.onFindings);
    const run = new RunState(ports, rules, order.scope, order.dryRun, recorder, order.onProgress, ports.clock);
    const base = { id: runId, trigger: order.trigger, dryRun: order.dryRun, scope: order.scope, startedAt: started.toISOString() };
    if (!order.dryRun) await ports.store.saveRun(record(run, base, 'running'));
    try {
      run.index = await ManagedIndex.load(ports.requests);
      run.progress('requests');
      await loadAssignments(run);
      await exemptionPhase(run);
      await standardPhase(run);
      await resourcePhase(run);
      await deletedPhase(run);
      await defenderPhase(run);
      await stuckPhase(run);
    } catch (error) {
      run.exemptionsComplete = false;
      run.error(`sweep stopped: ${describe(error)}`);
    }
    try {
      await recorder.flush();
    } catch (error) {
      run.exemptionsComplete = false;
      run.error(`storing findings failed: ${describe(error)}`);
    }
    const finished = record(run, base, run.errors.length === 0 && run.exemptionsComplete ? 'succeeded' : run.exemptions > 0 ? 'partial' : 'failed');
    run.progress('digest');
    await digestPhase(run, finished);
    const final = record(run, base, finished.status);
    if (!order.dryRun) await ports.store.saveRun(final);
    run.progress('done');
    return { kind: 'finished', run: final };
  } finally {
    if (!order.dryRun) await ports.store.releaseLease(runId).catch(() => undefined);
  }
}

async function loadAssignments(run: RunState): Promise<void> {
  try {
    for await (const page of run.ports.inventory.assignments(run.scope)) {
      run.pageRead('assignments', page.items.length);
      for (const entry of page.items) run.catalog.add(entry.id, entry.policyDefinitionId);
      for (const problem of page.problems) run.error(`assignment row ${problem.rowId ?? '(no id)'}: ${problem.reason}`);
    }
    run.catalog.markComplete();
  } catch (error) {
    run.error(`assignment listing failed, assignments are read one by one instead: ${describe(error)}`);
  }
  run.progress('assignments');
}

function record(run: RunState, base: Pick<SweepRun, 'id' | 'trigger' | 'dryRun' | 'scope' | 'startedAt'>, status: SweepRunStatus): SweepRun {
  const costs = run.ports.inventory.costs();
  const now = run.ports.clock.now();
  const source = run.ports.inventory.exemptionSource;
  const fallbacks = [run.ports.inventory.fallbackReason, run.ports.inventory.standardFallbackReason].filter((reason) => reason !== undefined);
  return {
    ...base,
    status,
    ...(status === 'running' || status === 'queued' ? {} : { finishedAt: now.toISOString(), durationMs: now.getTime() - run.nowMs }),
    counts: {
      exemptions: run.exemptions, assessments: run.assessments, subscriptions: run.subscriptions.size,
      findings: run.recorder.total, newFindings: run.recorder.newCount, byKind: { ...run.recorder.byKind },
    },
    calls: { resourceGraphQueries: costs.resourceGraphQueries, armCalls: costs.armCalls, throttled: costs.throttled, waitedMs: costs.waitedMs },
    ...(source ? { source } : {}),
    expiringPerWeek: [...run.expiringPerWeek],
    errors: [...fallbacks, ...run.errors],
  };
}
