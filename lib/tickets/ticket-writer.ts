import type { TicketNote } from './ticket-notes.js';
import type { TicketLink } from './ticket-store.js';

/** Writes a note to the ticket a request is linked to, and moves it where the mapping says. */
export interface TicketWriter {
  /** The note, and the move too when the system takes both in one call (ServiceNow's `state`). */
  write(link: TicketLink, note: Pick<TicketNote, 'heading' | 'lines'>, transition?: string): Promise<void>;
  /**
   * A move that is a call of its own (Jira's transitions). Kept apart so that a failed move is retried
   * without writing the note a second time.
   */
  move?(link: TicketLink, transition: string): Promise<void>;
}
