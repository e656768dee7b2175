import type { TicketSource } from './mapping.js';
import type { TicketRef } from './ticket-event.js';

export interface TicketLink extends TicketRef {
  readonly source: TicketSource;
  readonly requestId: string;
}

/** What the ticket channel keeps: which deliveries it has acted on, and which ticket each request has. */
export interface TicketStore {
  /**
   * Records the delivery as being acted on, unless it already was (and has not expired): exactly one of
   * several concurrent calls with the same id gets true.
   */
  claimDelivery(source: TicketSource, deliveryId: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Forgets a claim whose work failed, so that the sender's retry is acted on. */
  releaseDelivery(source: TicketSource, deliveryId: string): Promise<void>;
  /** Links a ticket to its request both ways; a ticket that is already linked keeps its first request. */
  link(link: TicketLink): Promise<TicketLink>;
  byTicket(source: TicketSource, key: string): Promise<TicketLink | undefined>;
  byRequest(requestId: string): Promise<TicketLink | undefined>;
  wasSent(requestId: string, marker: string): Promise<boolean>;
  /** Marks an outbound note as written (a second mark of the same note changes nothing). */
  markSent(requestId: string, marker: string): Promise<void>;
}
