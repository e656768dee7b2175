import type { InvocationContext } from '@azure/functions';
import { STORAGE_NAMES } from '../lib/config/settings-catalog.js';
import { services } from '../lib/composition-root.js';
import { defineQueueFunction } from '../lib/host/function-registry.js';
import { readSweepMessage } from '../lib/sweep/sweep-queue.js';

/** Queue exemption-sweep: runs a sweep that POST /api/sweeps queued. */
export async function sweepWorker(entry: unknown, context: InvocationContext): Promise<void> {
  const message = readSweepMessage(entry);
  if (!message) {
    context.error('dropping a sweep message that is not { kind: "sweep", runId }', entry);
    return;
  }
  const { sweepQueuedRun } = await import('../lib/sweep/sweep-runner.js');
  const outcome = await sweepQueuedRun(services(), message.runId);
  if (outcome === 'unknown-run') context.warn(`sweep ${message.runId} is not queued (already ran, or unknown); nothing to do`);
  else if (outcome.kind === 'busy') context.warn(`sweep ${message.runId} did not start: another sweep holds the lease`);
  else context.log(`sweep ${message.runId}: ${outcome.run.status}, ${outcome.run.counts.findings} findings`);
}

defineQueueFunction({ name: 'sweepWorker', queueName: STORAGE_NAMES.sweepQueue, handler: sweepWorker });
