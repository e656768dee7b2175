import type { RequestEventMessage, RequestEventOutbox } from '../notify/request-event.js';
import type { WorkQueue } from '../requests/ports/work-queue.js';
import type { TicketsMessage } from './tickets-message.js';

/** Request events for tickets go to their own queue; the ticket worker keeps only those of linked requests. */
export class TicketOutbox implements RequestEventOutbox {
  readonly channel = 'tickets';

  constructor(private readonly queue: WorkQueue<TicketsMessage>) {}

  async send(message: RequestEventMessage): Promise<void> {
    await this.queue.send(message);
  }
}
