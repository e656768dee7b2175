import { isWindowOpen } from './burst.js';
import type { ExemptionRequest } from './model.js';
import type { NotifyMessage, WorkQueue } from './ports/work-queue.js';

/**
 * A duplicate re-queues the notification of a still-`received` request only when that request has sat
 * this long: its message was probably lost. A younger one is still on its way, and twenty identical
 * intakes at once must not send twenty notifications.
 */
export const RENOTIFY_AFTER_MS = 5 * 60_000;

/** Queues the notification of a request whose message was probably lost; a burst with its window open has one waiting. */
export async function renotifyIfLost(queue: WorkQueue<NotifyMessage>, request: ExemptionRequest, now: Date): Promise<void> {
  if (request.state === 'received' && now.getTime() - Date.parse(request.updatedAt) >= RENOTIFY_AFTER_MS && !isWindowOpen(request, now)) {
    await queue.send({ kind: 'notify', requestId: request.id });
  }
}
