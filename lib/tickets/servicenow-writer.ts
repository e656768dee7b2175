import type { Clock } from '../core/clock.js';
import { apiUrl, callTicketApi, TicketApiError } from './ticket-http.js';
import type { TicketNote } from './ticket-notes.js';
import type { TicketLink } from './ticket-store.js';
import type { TicketWriter } from './ticket-writer.js';

export interface ServiceNowSettings {
  readonly instanceUrl: URL;
  readonly auth:
    | { readonly kind: 'basic'; readonly user: string; readonly password: string }
    | { readonly kind: 'oauth'; readonly clientId: string; readonly clientSecret: string };
}

const SYS_ID = /^[0-9a-f]{32}$/;

/**
 * Journal fields render text between `[code]` and `[/code]` as HTML. The notes carry requesters' own
 * words (the justification), so the tags are broken up and the text stays text.
 */
export function inert(text: string): string {
  return text.replace(/\[(\/?)code\]/gi, '[$1code\u200b]');
}
const TABLE = /^[a-z][a-z0-9_]{0,79}$/;

/** ServiceNow Table API: each PATCH of `work_notes` appends a journal entry; `state` moves the record. */
export class ServiceNowWriter implements TicketWriter {
  private token: { value: string; until: number } | undefined;

  constructor(private readonly settings: ServiceNowSettings, private readonly clock: Clock) {}

  async write(link: TicketLink, note: Pick<TicketNote, 'heading' | 'lines'>, transition?: string): Promise<void> {
    if (!link.sysId || !SYS_ID.test(link.sysId) || !link.table || !TABLE.test(link.table)) {
      throw new TicketApiError(0, `refusing to write to ServiceNow record ${link.key}: no valid table and sys_id on its link`);
    }
    await callTicketApi(apiUrl(this.settings.instanceUrl, 'api', 'now', 'table', link.table, link.sysId), {
      method: 'PATCH',
      headers: { authorization: await this.authorization(), accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ work_notes: inert([note.heading, ...note.lines].join('\n')), ...(transition === undefined ? {} : { state: transition }) }),
    });
  }

  private async authorization(): Promise<string> {
    const auth = this.settings.auth;
    if (auth.kind === 'basic') return `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
    const now = this.clock.now().getTime();
    if (!this.token || this.token.until <= now) {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret });
      const answer = await callTicketApi(apiUrl(this.settings.instanceUrl, 'oauth_token.do'), {
        method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
      }) as { access_token?: unknown; expires_in?: unknown } | undefined;
      if (typeof answer?.access_token !== 'string' || !answer.access_token) throw new TicketApiError(0, 'ServiceNow /oauth_token.do gave no access_token');
      const seconds = typeof answer.expires_in === 'number' ? answer.expires_in : 1800;
      // Renewed a minute early, so a token never expires between this check and the call.
      this.token = { value: answer.access_token, until: now + Math.max(0, seconds - 60) * 1000 };
    }
    return `Bearer ${this.token.value}`;
  }
}
