import type { InvocationContext } from '@azure/functions';
import { STORAGE_NAMES } from '../lib/config/settings-catalog.js';
import { services } from '../lib/composition-root.js';
import { defineQueueFunction } from '../lib/host/function-registry.js';
import { requestEventSchema } from '../lib/notify/request-event.js';
import { readJsonMessage } from '../lib/queue/queue-message.js';

/** Queue exemption-teams: posts and updates review cards; a throw (connector outage) makes the host retry. */
export async function teamsWorker(entry: unknown, context: InvocationContext): Promise<void> {
  const message = readJsonMessage(entry, requestEventSchema());
  if (!message) {
    context.error('dropping a Teams message that is not a request event', entry);
    return;
  }
  const outcome = await (await services().teams()).deliver(message);
  context.log(`request ${message.requestId} (${message.event}): ${outcome}`);
}

defineQueueFunction({ name: 'teamsWorker', queueName: STORAGE_NAMES.teamsQueue, handler: teamsWorker });
