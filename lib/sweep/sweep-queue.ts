import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { lazily, zod } from '../core/lazy-zod.js';
import { readJsonMessage } from '../queue/queue-message.js';
import type { WorkQueue } from '../requests/ports/work-queue.js';
import { newRunId } from './run-id.js';
import { RUN_ID_PATTERN, type SweepRun, type SweepScope } from './model.js';
import type { SweepStore } from './ports/sweep-store.js';


const sweepMessageSchema = lazily(() => {
  const z = zod();
  return z.strictObject({ kind: z.literal('sweep'), runId: z.string().regex(RUN_ID_PATTERN) });
});

export type SweepMessage = z.infer<ReturnType<typeof sweepMessageSchema>>;

export function readSweepMessage(entry: unknown): SweepMessage | undefined {
  return readJsonMessage(entry, sweepMessageSchema());
}

/**
 * An on-demand sweep: the run is recorded as queued first, so the status URL answers at once, then the
 * queue worker runs it (an HTTP request cannot wait minutes for a large estate).
 */
export async function queueSweep(
  ports: { readonly clock: Clock; readonly store: SweepStore; readonly queue: WorkQueue<SweepMessage> },
  scope: SweepScope,
): Promise<SweepRun> {
  const now = ports.clock.now();
  const run: SweepRun = {
    id: newRunId(now), trigger: 'http', dryRun: false, scope, status: 'queued', startedAt: now.toISOString(),
    counts: { exemptions: 0, assessments: 0, subscriptions: 0, findings: 0, newFindings: 0, byKind: {} },
    calls: { resourceGraphQueries: 0, armCalls: 0, throttled: 0, waitedMs: 0 },
    expiringPerWeek: [], errors: [],
  };
  await ports.store.saveRun(run);
  await ports.queue.send({ kind: 'sweep', runId: run.id });
  return run;
}

/** A queued run the worker could not start, recorded so the status URL says why. */
export function refusedRun(run: SweepRun, reason: string, at: Date): SweepRun {
  return { ...run, status: 'failed', finishedAt: at.toISOString(), durationMs: 0, errors: [reason] };
}
