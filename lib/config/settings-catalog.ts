/**
 * The one list of app settings: the contract with infra (azuredeploy.json / main.bicep),
 * local.settings.sample.json and the README. Tests keep those three in agreement with this list.
 */
export type SettingKind = 'string' | 'url' | 'int' | 'bool' | 'emails' | 'enum' | 'secret' | 'ncrontab';

export interface SettingSpec {
  readonly kind: SettingKind;
  /** Used when the setting is absent; undefined means required unless `optional`. */
  readonly default?: string;
  readonly optional?: boolean;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Value for local.settings.sample.json: a safe default or a placeholder. */
  readonly sample: string;
  readonly doc: string;
}

export const SETTINGS = {
  AzureWebJobsStorage: {
    kind: 'string', optional: true, sample: 'UseDevelopmentStorage=true',
    doc: 'Storage connection string (local and tests). In Azure the identity-based AzureWebJobsStorage__* settings are used instead.',
  },
  AzureWebJobsStorage__tableServiceUri: {
    kind: 'url', optional: true, sample: '',
    doc: 'Table endpoint of the app storage account, used with the managed identity (requests, audit, tokens).',
  },
  AzureWebJobsStorage__queueServiceUri: {
    kind: 'url', optional: true, sample: '',
    doc: 'Queue endpoint of the app storage account, used with the managed identity (notify and apply queues).',
  },
  AzureWebJobsStorage__clientId: {
    kind: 'string', optional: true, sample: '',
    doc: 'Client id of the user-assigned identity the host and the app use for storage.',
  },
  AZURE_CLIENT_ID: {
    kind: 'string', optional: true, sample: '',
    doc: 'Client id of the user-assigned managed identity that calls ARM and sends email.',
  },
  AZURE_TENANT_ID: {
    kind: 'string', optional: true, sample: '',
    doc: 'Entra tenant id; needed only with AZURE_CLIENT_SECRET (local runs against a real tenant or the simulator).',
  },
  AZURE_CLIENT_SECRET: {
    kind: 'secret', optional: true, sample: '',
    doc: 'Client secret for local runs only. When set, a client-secret credential replaces the managed identity.',
  },
  AZURE_AUTHORITY_HOST: {
    kind: 'url', default: 'https://login.microsoftonline.com', sample: 'https://login.microsoftonline.com',
    doc: 'Entra authority host (the simulated tenant serves one for tests and the demo).',
  },
  ARM_ENDPOINT: {
    kind: 'url', default: 'https://management.azure.com', sample: 'https://management.azure.com',
    doc: 'Azure Resource Manager endpoint.',
  },
  PUBLIC_BASE_URL: {
    kind: 'url', default: 'http://localhost:7071', sample: 'http://localhost:7071',
    doc: 'Base URL of this app as approvers reach it; review links are built from it.',
  },
  REVIEW_SIGNING_KEY: {
    kind: 'secret', sample: 'replace-with-at-least-32-random-characters-0000',
    min: 32, doc: 'HMAC key that signs review links, CSRF tokens and list paging tokens (at least 32 characters; a Key Vault reference in Azure).',
  },
  WEBSITE_AUTH_ENABLED: {
    kind: 'bool', default: 'false', sample: 'false',
    doc: 'Set by App Service itself when its authentication is on; only then are the x-ms-client-principal headers trusted (requester identity, signed-in approver). Never set it by hand in Azure.',
  },
  REVIEW_LINK_TTL_HOURS: {
    kind: 'int', default: '72', min: 1, max: 720, sample: '72',
    doc: 'How long a review link stays valid.',
  },
  FALLBACK_APPROVERS: {
    kind: 'emails', default: '', sample: '',
    doc: 'Extra approvers (";"-separated emails) notified besides the subscription security contacts.',
  },
  EMAIL_TRANSPORT: {
    kind: 'enum', values: ['smtp', 'acs'], default: 'acs', sample: 'smtp',
    doc: 'How email leaves: "acs" (Azure Communication Services, managed identity) or "smtp" (nodemailer).',
  },
  EMAIL_FROM: {
    kind: 'string', default: 'exemption-broker@localhost', sample: 'exemption-broker@localhost',
    doc: 'Sender address (for ACS, the MailFrom address of the linked domain).',
  },
  ACS_ENDPOINT: {
    kind: 'url', optional: true, sample: '',
    doc: 'Azure Communication Services endpoint, https://<name>.communication.azure.com (EMAIL_TRANSPORT=acs).',
  },
  SMTP_HOST: { kind: 'string', default: 'localhost', sample: 'localhost', doc: 'SMTP server (EMAIL_TRANSPORT=smtp).' },
  SMTP_PORT: { kind: 'int', default: '587', min: 1, max: 65535, sample: '2525', doc: 'SMTP port.' },
  SMTP_SECURE: { kind: 'bool', default: 'false', sample: 'false', doc: 'Implicit TLS (port 465); otherwise STARTTLS when offered.' },
  SMTP_USER: { kind: 'string', optional: true, sample: '', doc: 'SMTP user name, if the server wants one.' },
  SMTP_PASSWORD: { kind: 'secret', optional: true, sample: '', doc: 'SMTP password (a Key Vault reference in Azure).' },
  MAX_BODY_BYTES: {
    kind: 'int', default: '65536', min: 1024, max: 4_194_304, sample: '65536',
    doc: 'Largest accepted request body; larger gets 413.',
  },
  MAX_RESOURCES_PER_REQUEST: {
    // The maximum is what one stored request can hold at worst (lib/requests/request-size.ts; a test checks).
    kind: 'int', default: '16', min: 1, max: 16, sample: '16',
    doc: 'Most resources one request may name (at most 16: one stored request must hold them with all their assignments).',
  },
  MAX_EXPIRY_DAYS: {
    kind: 'int', default: '365', min: 1, max: 3650, sample: '365', doc: 'Latest allowed expiresOn, in days from now.',
  },
  DEFAULT_EXPIRY_DAYS: {
    kind: 'int', default: '90', min: 1, max: 3650, sample: '90',
    doc: 'expiresOn given to requests that name none (Defender events).',
  },
  MAX_JUSTIFICATION_LENGTH: {
    kind: 'int', default: '512', min: 16, max: 512, sample: '512', doc: 'Longest justification accepted.',
  },
  DEFAULT_EXEMPTION_CATEGORY: {
    kind: 'enum', values: ['Waiver', 'Mitigated'], default: 'Waiver', sample: 'Waiver',
    doc: 'Category given to requests that name none.',
  },
  MAX_SCOPE_LEVEL: {
    kind: 'enum', values: ['resource', 'resourceGroup', 'subscription'], default: 'resourceGroup', sample: 'resourceGroup',
    doc: 'Widest exemption a request may ask for: resource only, a whole resource group, or a whole subscription (off by default). A subscription- or resource-group-level recommendation assessed on that scope itself is a resource here.',
  },
  COALESCE_WINDOW_SECONDS: {
    kind: 'int', default: '60', min: 0, max: 900, sample: '60',
    doc: 'Defender relay events for the same recommendation, subscription and requester that arrive within this many seconds of the first join one request, notified once when the window closes (0 turns coalescing off; at most 900).',
  },
  REQUEUE_STUCK_SCHEDULE: {
    kind: 'ncrontab', default: '0 */5 * * * *', sample: '0 */5 * * * *',
    doc: 'When the stuck-request timer runs: NCRONTAB with seconds, in UTC. The Functions host reads it too (%REQUEUE_STUCK_SCHEDULE%), so it must be set.',
  },
  REQUEUE_STUCK_AFTER_MINUTES: {
    kind: 'int', default: '15', min: 5, max: 1440, sample: '15',
    doc: 'An approved or applying request with no change for this long gets its apply message sent again (audited as "requeued").',
  },
  SWEEP_SCHEDULE: {
    kind: 'ncrontab', default: '0 0 2 * * *', sample: '0 0 2 * * *',
    doc: 'When the nightly sweep runs: NCRONTAB with seconds, in UTC. The Functions host reads it too (%SWEEP_SCHEDULE%), so it must be set.',
  },
  SWEEP_SCOPE: {
    kind: 'string', optional: true, sample: '',
    doc: 'What the sweep covers: ";"-separated subscription ids or /providers/Microsoft.Management/managementGroups/{id} (not both). Empty: every subscription the identity can read.',
  },
  SWEEP_WARN_DAYS: {
    kind: 'string', default: '30,7,1', sample: '30,7,1',
    doc: 'Days before expiry at which the requester and approvers are told, once per threshold (","-separated, 1 to 365).',
  },
  SWEEP_DELETE_EXPIRED_AFTER_DAYS: {
    kind: 'int', optional: true, min: 1, max: 3650, sample: '',
    doc: 'Delete a managed exemption this many days after it expired (its request becomes "removed"). Off when unset; needs the delete role (see docs/deploy.md).',
  },
  SWEEP_DEFENDER_LAG_HOURS: {
    kind: 'int', default: '24', min: 1, max: 168, sample: '24',
    doc: 'How long Defender may take to reflect an exemption change before the sweep calls it a mismatch.',
  },
  SWEEP_DIGEST_TO: {
    kind: 'emails', default: '', sample: '',
    doc: 'Where the sweep digest goes (";"-separated). Empty: each subscription\'s security contacts and FALLBACK_APPROVERS.',
  },
  WEBHOOK_SECRET_JIRA: {
    kind: 'secret', optional: true, sample: '',
    doc: 'Secret of the Jira Cloud webhook (X-Hub-Signature); ticket webhooks are refused while unset.',
  },
  WEBHOOK_SECRET_STANDARD: {
    kind: 'secret', optional: true, sample: '',
    doc: 'Standard Webhooks secret (whsec_…) for ServiceNow and other senders; refused while unset.',
  },
  TICKET_MAPPINGS: {
    kind: 'string', optional: true, sample: '',
    doc: 'JSON: how Jira, ServiceNow and Standard Webhooks payloads create and decide requests (docs/ticketing.md); empty uses the documented defaults.',
  },
  JIRA_BASE_URL: {
    kind: 'url', optional: true, sample: '',
    doc: 'Jira Cloud site, https://<site>.atlassian.net: linked issues get a comment on each state change (with JIRA_USER_EMAIL and JIRA_API_TOKEN). Off while unset.',
  },
  JIRA_USER_EMAIL: { kind: 'string', optional: true, sample: '', doc: 'The Atlassian account the comments are written as.' },
  JIRA_API_TOKEN: { kind: 'secret', optional: true, sample: '', doc: 'That account\'s API token (Key Vault secret `jira-api-token` in Azure).' },
  SERVICENOW_INSTANCE_URL: {
    kind: 'url', optional: true, sample: '',
    doc: 'ServiceNow instance, https://<instance>.service-now.com: linked records get a work note on each state change. Off while unset.',
  },
  SERVICENOW_USER: { kind: 'string', optional: true, sample: '', doc: 'Basic-auth user with write access to the records\' work notes (or use SERVICENOW_CLIENT_ID).' },
  SERVICENOW_PASSWORD: { kind: 'secret', optional: true, sample: '', doc: 'That user\'s password (Key Vault secret `servicenow-password` in Azure).' },
  SERVICENOW_CLIENT_ID: { kind: 'string', optional: true, sample: '', doc: 'OAuth client id (client credentials at /oauth_token.do), instead of basic auth.' },
  SERVICENOW_CLIENT_SECRET: { kind: 'secret', optional: true, sample: '', doc: 'That client\'s secret (Key Vault secret `servicenow-client-secret` in Azure).' },
  BOT_APP_ID: {
    kind: 'string', optional: true, sample: '',
    doc: 'Azure Bot (Teams) app id: the client id of the user-assigned identity; Teams cards are off while unset.',
  },
  BOT_TENANT_ID: { kind: 'string', optional: true, sample: '', doc: 'Tenant of the Azure Bot identity.' },
  TEAMS_CHANNEL_MAP: {
    kind: 'string', optional: true, sample: '',
    doc: 'Where review cards go, as JSON: {"subscriptions":{"<subscription id>":"<channel id>"},"managementGroups":{"<management group id>":"<channel id>"},"default":"<channel id>"}; a request goes to its subscription\'s channel, else to that of its nearest mapped management group (parent first, up to the tenant root group; read from Resource Graph, hourly), else to the default. Channel ids are Teams conversation ids (19:…@thread.tacv2) of channels where the app is installed. Unset or empty: channel cards are off (approvers who installed the app personally still get theirs).',
  },
  BOT_OPENID_METADATA_URL: {
    kind: 'url', default: 'https://login.botframework.com/v1/.well-known/openidconfiguration', sample: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    doc: 'Where the keys that sign Teams\' activities are published. Only tests change it (to the simulated Bot Framework); whoever controls this URL can act as Teams, so on App Service any other value stops the app. Must be https and end in /openidconfiguration.',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/**
 * Storage layout: fixed names that infra creates and the code uses. A request, its audit entries and
 * its consumed review tokens share one partition of the requests table, so a transition, its audit
 * entry and a token's use commit in one transaction.
 */
export const STORAGE_NAMES = {
  requestsTable: 'exemptionrequests',
  openKeysTable: 'openrequestkeys',
  notifyQueue: 'exemption-notify',
  applyQueue: 'exemption-apply',
  sweepQueue: 'exemption-sweep',
  sweepRunsTable: 'sweepruns',
  sweepFindingsTable: 'sweepfindings',
  ticketsTable: 'ticketlinks',
  ticketsQueue: 'exemption-tickets',
  /** Teams: conversation references captured at installation, and the cards sent per request. */
  teamsConversationsTable: 'teamsconversations',
  teamsCardsTable: 'teamscards',
  teamsQueue: 'exemption-teams',
} as const;
