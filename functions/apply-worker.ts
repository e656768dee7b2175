import type { InvocationContext } from '@azure/functions';
import { STORAGE_NAMES } from '../lib/config/settings-catalog.js';
import { services } from '../lib/composition-root.js';
import { defineQueueFunction } from '../lib/host/function-registry.js';
import { dequeueCountOf, MAX_DEQUEUE_COUNT, readQueueMessage } from '../lib/queue/queue-message.js';
import { applyExemptions } from '../lib/requests/apply-service.js';

/** Queue exemption-apply: creates the approved request's exemptions exactly once. */
export async function applyWorker(entry: unknown, context: InvocationContext): Promise<void> {
  const message = readQueueMessage(entry);
  if (!message || message.kind !== 'apply') {
    context.error('dropping an apply message that is not { kind: "apply", requestId }', entry);
    return;
  }
  const app = services();
  const ports = { clock: app.clock, store: await app.store(), arm: await app.arm(), notifier: await app.notifier(), warn: (m: string) => context.warn(m) };
  const delivery = { dequeueCount: dequeueCountOf(context.triggerMetadata), maxDequeueCount: MAX_DEQUEUE_COUNT };
  const outcome = await applyExemptions(ports, message.requestId, delivery);
  context.log(`request ${message.requestId}: ${outcome} (delivery ${delivery.dequeueCount})`);
}

defineQueueFunction({ name: 'applyWorker', queueName: STORAGE_NAMES.applyQueue, handler: applyWorker });
