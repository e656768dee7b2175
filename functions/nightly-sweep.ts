import type { InvocationContext, Timer } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineTimerFunction } from '../lib/host/function-registry.js';

/** Timer: the nightly sweep of every exemption in SWEEP_SCOPE. */
export async function nightlySweep(_timer: Timer, context: InvocationContext): Promise<void> {
  // The engine and its SDK clients load when the timer fires, not when the host starts the worker.
  const { sweepWithApp } = await import('../lib/sweep/sweep-runner.js');
  const outcome = await sweepWithApp(services(), { trigger: 'timer', dryRun: false });
  if (outcome.kind === 'busy') {
    context.warn('another sweep holds the lease; this one did not start');
    return;
  }
  const { run } = outcome;
  context.log(`sweep ${run.id}: ${run.status}, ${run.counts.exemptions} exemptions, ${run.counts.findings} findings (${run.counts.newFindings} new), `
    + `${run.calls.resourceGraphQueries} Resource Graph queries, ${run.calls.armCalls} ARM calls`);
  for (const error of run.errors) context.warn(error);
}

// The host resolves %SWEEP_SCHEDULE% from the app settings (NCRONTAB, UTC).
defineTimerFunction({ name: 'nightlySweep', schedule: '%SWEEP_SCHEDULE%', handler: nightlySweep });
