import { optionalProp as optional } from '../core/optional.js';
import type { JiraSettings } from './jira-writer.js';
import { DEFAULT_TICKET_MAPPINGS, parseTicketMappings, type TicketMappings } from './mapping.js';
import type { ServiceNowSettings } from './servicenow-writer.js';
import { httpsBase } from './ticket-http.js';

export interface TicketSettings {
  readonly secrets: { readonly jira?: string; readonly standard?: string };
  readonly mappings: TicketMappings;
  /** Outbound: set when the site and its credentials are all given. */
  readonly jira?: JiraSettings;
  readonly servicenow?: ServiceNowSettings;
}

/** The ticket channel's settings; each bad or half-given value adds a line to `problems`. */
export function ticketSettingsFrom(v: Readonly<Record<string, any>>, problems: string[]): TicketSettings {
  const mappings = parseTicketMappings(v['TICKET_MAPPINGS']);
  if (!mappings.ok) problems.push(...mappings.problems);
  return {
    secrets: { ...optional('jira', v['WEBHOOK_SECRET_JIRA'] as string | undefined), ...optional('standard', v['WEBHOOK_SECRET_STANDARD'] as string | undefined) },
    mappings: mappings.ok ? mappings.value : DEFAULT_TICKET_MAPPINGS,
    ...optional('jira', jiraFrom(v, problems)),
    ...optional('servicenow', serviceNowFrom(v, problems)),
  };
}

/**
 * What the deployment puts in Key Vault for an outbound credential the customer has not given yet
 * (infra/scripts/ensure-secrets.sh): the setting then resolves, but to no credential.
 */
export const NOT_CONFIGURED = 'not-configured';

const given = (v: Readonly<Record<string, any>>, name: string): boolean => v[name] !== undefined && v[name] !== NOT_CONFIGURED;

/** Outbound to Jira is on when JIRA_BASE_URL is set; then the account and its token must be too. */
function jiraFrom(v: Readonly<Record<string, any>>, problems: string[]): JiraSettings | undefined {
  if (v['JIRA_BASE_URL'] === undefined) return undefined;
  const missing = ['JIRA_USER_EMAIL', 'JIRA_API_TOKEN'].filter((n) => !given(v, n));
  if (missing.length > 0) {
    problems.push(`JIRA_BASE_URL is set, so Jira comments need ${missing.join(' and ')} (in Azure: the jira-api-token secret in the vault)`);
    return undefined;
  }
  const baseUrl = https(v['JIRA_BASE_URL'], 'JIRA_BASE_URL', problems);
  return baseUrl ? { baseUrl, email: v['JIRA_USER_EMAIL'], apiToken: v['JIRA_API_TOKEN'] } : undefined;
}

/** On when SERVICENOW_INSTANCE_URL is set; then exactly one of a basic-auth user or an OAuth client, with its secret. */
function serviceNowFrom(v: Readonly<Record<string, any>>, problems: string[]): ServiceNowSettings | undefined {
  if (v['SERVICENOW_INSTANCE_URL'] === undefined) return undefined;
  const user = v['SERVICENOW_USER'] !== undefined;
  const client = v['SERVICENOW_CLIENT_ID'] !== undefined;
  if (user === client) {
    problems.push('SERVICENOW_INSTANCE_URL is set, so ServiceNow work notes need exactly one of SERVICENOW_USER (basic auth) or SERVICENOW_CLIENT_ID (OAuth client credentials)');
    return undefined;
  }
  const secret = user ? 'SERVICENOW_PASSWORD' : 'SERVICENOW_CLIENT_SECRET';
  if (!given(v, secret)) {
    problems.push(`${user ? 'SERVICENOW_USER' : 'SERVICENOW_CLIENT_ID'} is set, so ${secret} must be too (in Azure: the ${user ? 'servicenow-password' : 'servicenow-client-secret'} secret in the vault)`);
    return undefined;
  }
  const instanceUrl = https(v['SERVICENOW_INSTANCE_URL'], 'SERVICENOW_INSTANCE_URL', problems);
  if (!instanceUrl) return undefined;
  return {
    instanceUrl,
    auth: user
      ? { kind: 'basic', user: v['SERVICENOW_USER'], password: v[secret] }
      : { kind: 'oauth', clientId: v['SERVICENOW_CLIENT_ID'], clientSecret: v[secret] },
  };
}

/** Credentials only ever travel over https, to the site's own origin. */
function https(raw: string, name: string, problems: string[]): URL | undefined {
  const url = httpsBase(raw);
  if (!url) problems.push(`${name} = "${raw}": must be an https URL without credentials, query or fragment`);
  return url;
}
