import type { InvocationContext, Timer } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineTimerFunction } from '../lib/host/function-registry.js';
import { requeueStuck } from '../lib/requests/requeue-stuck.js';

/** Timer: sends the apply message again for approved requests that never got applied. */
export async function requeueStuckRequests(_timer: Timer, context: InvocationContext): Promise<void> {
  const app = services();
  const ports = { clock: app.clock, store: await app.store(), applyQueue: await app.applyQueue() };
  const report = await requeueStuck(ports, { stuckAfterMinutes: app.settings.requeue.stuckAfterMinutes });
  context.log(`requeued ${report.requeued.length} stuck request(s)${report.requeued.length ? `: ${report.requeued.join(', ')}` : ''}`
    + (report.moved.length ? `; ${report.moved.length} moved on meanwhile` : ''));
}

// The host resolves %…% from the app settings (REQUEUE_STUCK_SCHEDULE, NCRONTAB, UTC).
defineTimerFunction({ name: 'requeueStuck', schedule: '%REQUEUE_STUCK_SCHEDULE%', handler: requeueStuckRequests });
