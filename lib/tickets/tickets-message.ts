import type { z } from 'zod';
import { lazily, zod } from '../core/lazy-zod.js';
import { requestEventSchema, type RequestEventMessage } from '../notify/request-event.js';

/** A ticket decision that was refused: its reason goes back to the ticket. */
export interface TicketRefusalMessage {
  readonly kind: 'ticket-refusal';
  readonly requestId: string;
  /** The delivery that carried the transition: one note per delivery. */
  readonly deliveryId: string;
  readonly text: string;
}

export type TicketsMessage = RequestEventMessage | TicketRefusalMessage;

const schema = lazily(() => {
  const z = zod();
  const refusal = z.object({
    kind: z.literal('ticket-refusal'),
    requestId: z.string().min(1).max(64),
    deliveryId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
    text: z.string().min(1).max(2_000),
  });
  return z.union([requestEventSchema(), refusal]);
});

export function ticketsMessageSchema(): z.ZodType<TicketsMessage> {
  return schema() as z.ZodType<TicketsMessage>;
}
