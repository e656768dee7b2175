import type { TicketNote } from './ticket-notes.js';
import type { TicketLink } from './ticket-store.js';

/** Writes a note to the ticket a request is linked to, and moves it where the mapping says. */
export interface TicketWriter {
  write(link: TicketLink, note: Pick<TicketNote, 'heading' | 'lines'>, transition?: string): Promise<void>;
}
