import type { InvocationContext } from '@azure/functions';
import { STORAGE_NAMES } from '../lib/config/settings-catalog.js';
import { services } from '../lib/composition-root.js';
import { defineQueueFunction } from '../lib/host/function-registry.js';
import { readJsonMessage } from '../lib/queue/queue-message.js';
import { ticketsMessageSchema } from '../lib/tickets/tickets-message.js';
import { writeToTicket } from '../lib/tickets/ticket-worker-service.js';

/** Queue exemption-tickets: the request's ticket gets a note per state change; a throw makes the host retry. */
export async function ticketWorker(entry: unknown, context: InvocationContext): Promise<void> {
  const message = readJsonMessage(entry, ticketsMessageSchema());
  if (!message) {
    context.error('dropping a tickets message that is neither a request event nor a ticket refusal', entry);
    return;
  }
  const app = services();
  const outcome = await writeToTicket({
    tickets: await app.ticketStore(), requests: await app.store(), writers: await app.ticketWriters(),
    mappings: app.settings.tickets.mappings, publicBaseUrl: app.settings.publicBaseUrl,
  }, message);
  context.log(`request ${message.requestId}: ${outcome}`);
}

defineQueueFunction({ name: 'ticketWorker', queueName: STORAGE_NAMES.ticketsQueue, handler: ticketWorker });
