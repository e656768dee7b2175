import { segmentRules } from '../azure/arm-id-grammar.js';
import { zod } from '../core/lazy-zod.js';

/** Where review cards go: a channel per subscription, else the default channel. */
export interface TeamsChannelMap {
  /** Lower-cased subscription id → channel conversation id. */
  readonly subscriptions: Readonly<Record<string, string>>;
  readonly default?: string;
}

export interface TeamsSettings {
  /** The Azure Bot's app id: the user-assigned identity's client id. */
  readonly appId: string;
  readonly tenantId?: string;
  readonly channelMap: TeamsChannelMap;
  readonly openIdMetadataUrl: string;
}

/**
 * A Teams channel's conversation id ("19:…@thread.tacv2" or "@thread.skype"). The SDK puts conversation
 * ids into connector URLs unencoded, so only this shape is ever stored or used.
 */
export const CHANNEL_ID = /^19:[A-Za-z0-9_-]{1,200}@thread\.(tacv2|skype)$/;

/** `TEAMS_CHANNEL_MAP`: JSON, strictly shaped; any unknown key or malformed id is refused. */
export function parseChannelMap(raw: string | undefined, problems: string[]): TeamsChannelMap {
  if (raw === undefined || raw.trim() === '') return { subscriptions: {} };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    problems.push('TEAMS_CHANNEL_MAP: is not JSON; expected {"subscriptions":{"<subscription id>":"19:…@thread.tacv2"},"default":"19:…@thread.tacv2"}');
    return { subscriptions: {} };
  }
  const z = zod();
  const channel = z.string().regex(CHANNEL_ID, 'must be a Teams channel id (19:…@thread.tacv2)');
  const schema = z.strictObject({
    subscriptions: z.record(z.string(), channel).optional(),
    default: channel.optional(),
  });
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`TEAMS_CHANNEL_MAP${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
    return { subscriptions: {} };
  }
  const badKeys = Object.keys(parsed.data.subscriptions ?? {}).filter((k) => !segmentRules.subscriptionId(k));
  for (const key of badKeys) problems.push(`TEAMS_CHANNEL_MAP.subscriptions: "${key.slice(0, 100)}" is not a subscription id (GUID)`);
  if (badKeys.length > 0) return { subscriptions: {} };
  const subscriptions = Object.fromEntries(Object.entries(parsed.data.subscriptions ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { subscriptions, ...(parsed.data.default ? { default: parsed.data.default } : {}) };
}

export const BOT_FRAMEWORK_OPENID_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';

/**
 * The metadata URL decides whom the app believes to be Teams: https only, in the Bot Framework's shape,
 * and on App Service (which sets WEBSITE_INSTANCE_ID on every instance) nothing but the Bot Framework's
 * own: the override exists for the simulated Bot Framework of the tests and the demo.
 */
export function checkOpenIdMetadataUrl(url: string, env: Readonly<Record<string, string | undefined>>, problems: string[]): void {
  if (!url.startsWith('https://') || !url.endsWith('/openidconfiguration')) {
    problems.push(`BOT_OPENID_METADATA_URL = "${url.slice(0, 200)}": must be an https URL ending in /openidconfiguration`);
  } else if (env['WEBSITE_INSTANCE_ID'] && url !== BOT_FRAMEWORK_OPENID_METADATA) {
    problems.push(`BOT_OPENID_METADATA_URL = "${url.slice(0, 200)}": only tests may change it; in Azure remove the setting (the Bot Framework's ${BOT_FRAMEWORK_OPENID_METADATA} is used)`);
  }
}

export function channelFor(map: TeamsChannelMap, subscriptionId: string): string | undefined {
  return map.subscriptions[subscriptionId.toLowerCase()] ?? map.default;
}
