import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { receiveTicketWebhook } from '../lib/tickets/webhook-service.js';

/** POST /api/webhooks/{source}: anonymous for the host, authenticated by the sender's signature. */
export async function ticketWebhook(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const s = app.settings;
  return receiveTicketWebhook({
    settings: {
      secrets: s.tickets.secrets, mappings: s.tickets.mappings, maxBodyBytes: s.limits.maxBodyBytes, limits: s.limits,
      decide: { fallbackApprovers: s.review.fallbackApprovers, maxExpiryDays: s.limits.maxExpiryDays }, publicBaseUrl: s.publicBaseUrl,
    },
    clock: app.clock,
    tickets: app.ticketStore,
    ports: app.ports,
    writeBack: async (link, text, deliveryId) => (await app.ticketsQueue()).send({ kind: 'ticket-refusal', requestId: link.requestId, deliveryId, text }),
    log: context,
  }, request.params['source'], request);
}

defineHttpFunction({ name: 'ticketWebhook', route: 'webhooks/{source}', methods: ['POST'], authLevel: 'anonymous', handler: ticketWebhook });
