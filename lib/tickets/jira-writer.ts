import { apiUrl, callTicketApi, TicketApiError } from './ticket-http.js';
import { TICKET_KEY } from './ticket-event.js';
import type { TicketNote } from './ticket-notes.js';
import type { TicketLink } from './ticket-store.js';
import type { TicketWriter } from './ticket-writer.js';

export interface JiraSettings {
  readonly baseUrl: URL;
  readonly email: string;
  readonly apiToken: string;
}

/** Jira Cloud REST v3: comments in Atlassian Document Format, transitions by id; basic auth with an API token. */
export class JiraWriter implements TicketWriter {
  private readonly authorization: string;

  constructor(private readonly settings: JiraSettings) {
    this.authorization = `Basic ${Buffer.from(`${settings.email}:${settings.apiToken}`, 'utf8').toString('base64')}`;
  }

  async write(link: TicketLink, note: Pick<TicketNote, 'heading' | 'lines'>, transition?: string): Promise<void> {
    await this.call(link, 'comment', { body: adf(note) });
    if (transition !== undefined) await this.move(link, transition);
  }

  async move(link: TicketLink, transition: string): Promise<void> {
    await this.call(link, 'transitions', { transition: { id: transition } });
  }

  private async call(link: TicketLink, what: 'comment' | 'transitions', body: unknown): Promise<unknown> {
    if (!TICKET_KEY.test(link.key)) throw new TicketApiError(0, `refusing to write to Jira issue "${link.key.slice(0, 64)}": not an issue key`);
    return callTicketApi(apiUrl(this.settings.baseUrl, 'rest', 'api', '3', 'issue', link.key, what), {
      method: 'POST',
      headers: { authorization: this.authorization, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}

/** A comment body: the heading as a paragraph, each line as a bullet; text nodes are never empty. */
export function adf(note: Pick<TicketNote, 'heading' | 'lines'>) {
  const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
  const lines = note.lines.filter((l) => l.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: [
      paragraph(note.heading),
      ...(lines.length > 0 ? [{ type: 'bulletList', content: lines.map((l) => ({ type: 'listItem', content: [paragraph(l)] })) }] : []),
    ],
  };
}
