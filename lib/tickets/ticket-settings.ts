import { optionalProp as optional } from '../core/optional.js';
import { DEFAULT_TICKET_MAPPINGS, parseTicketMappings, type TicketMappings } from './mapping.js';

export interface TicketSettings {
  readonly secrets: { readonly jira?: string; readonly standard?: string };
  readonly mappings: TicketMappings;
}

/** The ticket channel's settings; each bad value adds a line to `problems`. */
export function ticketSettingsFrom(v: Readonly<Record<string, any>>, problems: string[]): TicketSettings {
  const mappings = parseTicketMappings(v['TICKET_MAPPINGS']);
  if (!mappings.ok) problems.push(...mappings.problems);
  return {
    secrets: { ...optional('jira', v['WEBHOOK_SECRET_JIRA'] as string | undefined), ...optional('standard', v['WEBHOOK_SECRET_STANDARD'] as string | undefined) },
    mappings: mappings.ok ? mappings.value : DEFAULT_TICKET_MAPPINGS,
  };
}
