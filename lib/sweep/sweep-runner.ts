import type { AppServices } from '../composition-root.js';
import { runSweep, type SweepOrder, type SweepOutcome } from './engine/run-sweep.js';
import { refusedRun } from './sweep-queue.js';
import { sweepPorts, sweepRules, type SweepWiringOptions } from './sweep-wiring.js';

/** The one way every entry point (timer, queue worker, CLI) runs a sweep with the app's settings. */
export async function sweepWithApp(app: AppServices, order: Omit<SweepOrder, 'scope'> & Partial<Pick<SweepOrder, 'scope'>>, options: SweepWiringOptions = {}): Promise<SweepOutcome> {
  const ports = await sweepPorts(app, options);
  return runSweep(ports, sweepRules(app.settings), { ...order, scope: order.scope ?? app.settings.sweep.scope });
}

/** The queue worker's half of an on-demand sweep: run the queued record, or say why it could not start. */
export async function sweepQueuedRun(app: AppServices, runId: string): Promise<SweepOutcome | 'unknown-run'> {
  const store = await app.sweepStore();
  const queued = await store.getRun(runId);
  // Only a queued run is started: a redelivered message for a run that already ran does nothing.
  if (!queued || queued.status !== 'queued') return 'unknown-run';
  const outcome = await sweepWithApp(app, { trigger: 'http', dryRun: false, runId, scope: queued.scope });
  if (outcome.kind === 'busy') await store.saveRun(refusedRun(queued, 'another sweep was running; start this one again once it has finished', app.clock.now()));
  return outcome;
}
