import type { RequestStore } from '../requests/ports/store.js';
import type { TicketMappings, TicketSource } from './mapping.js';
import { noteFor, type TicketNote } from './ticket-notes.js';
import type { TicketStore } from './ticket-store.js';
import type { TicketWriter } from './ticket-writer.js';
import type { TicketsMessage } from './tickets-message.js';

export interface TicketWorkerDeps {
  readonly tickets: TicketStore;
  readonly requests: Pick<RequestStore, 'get'>;
  readonly writers: Partial<Record<TicketSource, TicketWriter>>;
  readonly mappings: TicketMappings;
  readonly publicBaseUrl: string;
}

/**
 * Writes one queued event to the request's ticket, once. A failed write throws, so the queue tries again
 * later and, after its last try, keeps the message in the poison queue: a note is never silently lost.
 * The note is marked as written only after the write, so a crash in between repeats a note rather
 * than losing it.
 */
export async function writeToTicket(deps: TicketWorkerDeps, message: TicketsMessage): Promise<string> {
  const link = await deps.tickets.byRequest(message.requestId);
  if (!link) return 'no ticket is linked to this request';
  const writer = deps.writers[link.source];
  if (!writer) return `no outbound credentials for ${link.source}; the ticket is not written to`;
  let note: Pick<TicketNote, 'heading' | 'lines' | 'marker'> & { kind?: TicketNote['kind'] };
  if (message.kind === 'ticket-refusal') {
    note = { marker: `refusal-${message.deliveryId}`, heading: message.text, lines: [] };
  } else {
    const stored = await deps.requests.get(message.requestId);
    const built = stored ? noteFor(stored.value, message, deps.publicBaseUrl) : undefined;
    if (!built) return `event ${message.event} describes nothing to write`;
    note = built;
  }
  const transition = note.kind === undefined ? undefined : deps.mappings[link.source].outbound?.transitions[note.kind];
  const done: string[] = [];
  if (!(await deps.tickets.wasSent(message.requestId, note.marker))) {
    await writer.write(link, note, writer.move ? undefined : transition);
    await deps.tickets.markSent(message.requestId, note.marker);
    done.push(`wrote ${note.marker}${transition && !writer.move ? ` and moved it (${transition})` : ''}`);
  }
  const moved = `${note.marker}-moved`;
  if (transition !== undefined && writer.move && !(await deps.tickets.wasSent(message.requestId, moved))) {
    await writer.move(link, transition);
    await deps.tickets.markSent(message.requestId, moved);
    done.push(`moved it (${transition})`);
  }
  return done.length > 0 ? `${done.join(', ')}: ${link.source} ${link.key}` : `note ${note.marker} was already written to ${link.key}`;
}
