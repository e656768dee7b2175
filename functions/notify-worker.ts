import type { InvocationContext } from '@azure/functions';
import { STORAGE_NAMES } from '../lib/config/settings-catalog.js';
import { services } from '../lib/composition-root.js';
import { defineQueueFunction } from '../lib/host/function-registry.js';
import { readQueueMessage } from '../lib/queue/queue-message.js';
import { notifyApprovers } from '../lib/requests/notify-service.js';

/** Queue exemption-notify: emails the approvers; a throw makes the host deliver the message again. */
export async function notifyWorker(entry: unknown, context: InvocationContext): Promise<void> {
  const message = readQueueMessage(entry);
  if (!message || message.kind !== 'notify') {
    context.error('dropping a notify message that is not { kind: "notify", requestId }', entry);
    return;
  }
  const app = services();
  const ports = { clock: app.clock, store: await app.store(), arm: await app.arm(), notifier: await app.notifier(), notifyQueue: await app.notifyQueue() };
  const outcome = await notifyApprovers(ports, { fallbackApprovers: app.settings.review.fallbackApprovers }, message.requestId);
  context.log(`request ${message.requestId}: ${outcome}`);
}

defineQueueFunction({ name: 'notifyWorker', queueName: STORAGE_NAMES.notifyQueue, handler: notifyWorker });
