import { segmentRules } from '../azure/arm-id-grammar.js';
import { zod } from '../core/lazy-zod.js';

/**
 * Where review cards go: the subscription's channel, else the channel of its nearest mapped management
 * group, else the default channel.
 */
export interface TeamsChannelMap {
  /** Lower-cased subscription id → channel conversation id. */
  readonly subscriptions: Readonly<Record<string, string>>;
  /** Lower-cased management group id (its name, as in ARM ids) → channel conversation id. */
  readonly managementGroups: Readonly<Record<string, string>>;
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
  const none: TeamsChannelMap = { subscriptions: {}, managementGroups: {} };
  if (raw === undefined || raw.trim() === '') return none;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    problems.push('TEAMS_CHANNEL_MAP: is not JSON; expected {"subscriptions":{"<subscription id>":"19:…@thread.tacv2"},"managementGroups":{"<management group id>":"19:…@thread.tacv2"},"default":"19:…@thread.tacv2"}');
    return none;
  }
  // JSON.parse keeps "__proto__" as an own key, but a parsed record would drop it without a word.
  for (const field of ['subscriptions', 'managementGroups'] as const) {
    const record = (value as Record<string, unknown> | null)?.[field];
    if (record && typeof record === 'object' && Object.hasOwn(record, '__proto__')) {
      problems.push(`TEAMS_CHANNEL_MAP.${field}: "__proto__" is not a ${field === 'subscriptions' ? 'subscription' : 'management group'} id`);
      return none;
    }
  }
  const z = zod();
  const channel = z.string().regex(CHANNEL_ID, 'must be a Teams channel id (19:…@thread.tacv2)');
  const schema = z.strictObject({
    subscriptions: z.record(z.string(), channel).optional(),
    managementGroups: z.record(z.string(), channel).optional(),
    default: channel.optional(),
  });
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`TEAMS_CHANNEL_MAP${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
    return none;
  }
  const badSubscriptions = Object.keys(parsed.data.subscriptions ?? {}).filter((k) => !segmentRules.subscriptionId(k));
  for (const key of badSubscriptions) problems.push(`TEAMS_CHANNEL_MAP.subscriptions: "${key.slice(0, 100)}" is not a subscription id (GUID)`);
  // Management group ids are ARM id segments, held to the same rule as everywhere else ids come from outside.
  const badGroups = Object.keys(parsed.data.managementGroups ?? {}).filter((k) => !segmentRules.groupName(k));
  for (const key of badGroups) problems.push(`TEAMS_CHANNEL_MAP.managementGroups: "${key.slice(0, 100)}" is not a management group id (letters, digits, - _ . ( ), at most 90, not ending in .)`);
  if (badSubscriptions.length > 0 || badGroups.length > 0) return none;
  const lowerKeys = (record: Record<string, string> | undefined) => Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const duplicates = Object.keys(parsed.data.managementGroups ?? {}).length - Object.keys(lowerKeys(parsed.data.managementGroups)).length
    + Object.keys(parsed.data.subscriptions ?? {}).length - Object.keys(lowerKeys(parsed.data.subscriptions)).length;
  if (duplicates > 0) {
    // ARM ids compare case-insensitively: two spellings of one id would leave the channel to key order.
    problems.push('TEAMS_CHANNEL_MAP: the same subscription or management group id appears twice (ids compare case-insensitively)');
    return none;
  }
  return {
    subscriptions: lowerKeys(parsed.data.subscriptions),
    managementGroups: lowerKeys(parsed.data.managementGroups),
    ...(parsed.data.default ? { default: parsed.data.default } : {}),
  };
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

export function hasManagementGroups(map: TeamsChannelMap): boolean {
  return Object.keys(map.managementGroups).length > 0;
}

/**
 * The subscription's own channel, else that of the nearest mapped management group among `ancestors`
 * (names, nearest first, up to the tenant root group), else the default.
 */
export function channelFor(map: TeamsChannelMap, subscriptionId: string, ancestors: readonly string[] = []): string | undefined {
  const own = entry(map.subscriptions, subscriptionId);
  if (own) return own;
  for (const group of ancestors) {
    const mapped = entry(map.managementGroups, group);
    if (mapped) return mapped;
  }
  return map.default;
}

// Own keys only: a group named "constructor" is a valid ARM name and must not find Object.prototype's.
function entry(record: Readonly<Record<string, string>>, id: string): string | undefined {
  const key = id.toLowerCase();
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
