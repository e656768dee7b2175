import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../lib/config/settings.js';
import { channelFor, parseChannelMap } from '../../../lib/config/teams-settings.js';

const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const CHANNEL = '19:abcDEF0123_-xyz@thread.tacv2';
const TENANT = '7d3c1f5e-2b4a-4c8e-9f61-0a5b3e2d1c47';
const base = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', REVIEW_SIGNING_KEY: 'k'.repeat(40), EMAIL_TRANSPORT: 'smtp' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings({ ...base, ...env });
    return [];
  } catch (error) {
    return (error as SettingsError).problems as string[];
  }
}

describe('TEAMS_CHANNEL_MAP', () => {
  it('maps subscriptions (any case) to channels, with a default for the rest', () => {
    const map = parseChannelMap(JSON.stringify({ subscriptions: { [SUB.toUpperCase()]: CHANNEL }, default: '19:default@thread.skype' }), []);
    expect(channelFor(map, SUB)).toBe(CHANNEL);
    expect(channelFor(map, '9a7e4d2c-1b3f-4e8a-b6c5-2d9f0e1a3b47')).toBe('19:default@thread.skype');
    expect(channelFor(parseChannelMap(undefined, []), SUB)).toBeUndefined();
  });

  it('maps management groups (any case): the subscription\'s own entry first, then the nearest mapped ancestor, then the default', () => {
    const problems: string[] = [];
    const map = parseChannelMap(JSON.stringify({
      subscriptions: { [SUB]: CHANNEL },
      managementGroups: { Contoso: '19:contoso@thread.tacv2', [TENANT]: '19:root@thread.tacv2', constructor_: '19:x@thread.tacv2' },
      default: '19:default@thread.skype',
    }), problems);
    expect(problems).toEqual([]);
    const other = '9a7e4d2c-1b3f-4e8a-b6c5-2d9f0e1a3b47';
    expect(channelFor(map, SUB, ['contoso', TENANT])).toBe(CHANNEL);
    expect(channelFor(map, other, ['finance', 'contoso', TENANT])).toBe('19:contoso@thread.tacv2');
    expect(channelFor(map, other, ['CONTOSO'])).toBe('19:contoso@thread.tacv2');
    expect(channelFor(map, other, ['finance', TENANT])).toBe('19:root@thread.tacv2');
    expect(channelFor(map, other, ['finance'])).toBe('19:default@thread.skype');
    expect(channelFor(map, other, [])).toBe('19:default@thread.skype');
    // Names that are valid ARM ids but also Object.prototype members find nothing.
    expect(channelFor(map, other, ['constructor', 'toString', '__proto__'])).toBe('19:default@thread.skype');
  });

  it.each([
    ['not JSON', '{subscriptions:', /is not JSON/],
    ['an unknown key', JSON.stringify({ channels: {} }), /Unrecognized key/i],
    ['a key that is not a subscription id', JSON.stringify({ subscriptions: { 'rg-prod': CHANNEL } }), /is not a subscription id/],
    ['a channel id that could leave its URL segment', JSON.stringify({ default: '19:x@thread.tacv2/../../v3/conversations' }), /Teams channel id/],
    ['a channel id with a query', JSON.stringify({ subscriptions: { [SUB]: '19:x@thread.tacv2?a=b' } }), /Teams channel id/],
    ['a management group key with a path', JSON.stringify({ managementGroups: { 'contoso/../other': CHANNEL } }), /managementGroups: "contoso\/\.\.\/other" is not a management group id/],
    ['a management group key ending in a dot', JSON.stringify({ managementGroups: { 'contoso.': CHANNEL } }), /is not a management group id/],
    ['a management group key with spaces', JSON.stringify({ managementGroups: { 'Contoso Ltd': CHANNEL } }), /is not a management group id/],
    ['a management group key that is a full id', JSON.stringify({ managementGroups: { '/providers/Microsoft.Management/managementGroups/contoso': CHANNEL } }), /is not a management group id/],
    ['an empty management group key', JSON.stringify({ managementGroups: { '': CHANNEL } }), /is not a management group id/],
    ['a management group mapped to something else than a channel', JSON.stringify({ managementGroups: { contoso: 'https://evil.example' } }), /Teams channel id/],
    ['a management group key that a parsed record would drop', '{"managementGroups":{"__proto__":"19:x@thread.tacv2"}}', /managementGroups: "__proto__" is not a management group id/],
    ['one management group in two spellings', JSON.stringify({ managementGroups: { contoso: CHANNEL, CONTOSO: '19:other@thread.tacv2' } }), /appears twice/],
  ])('refuses %s at start, naming the setting', (_, raw, message) => {
    const problems = problemsOf({ BOT_APP_ID: SUB, TEAMS_CHANNEL_MAP: raw });
    expect(problems.join('\n')).toMatch(/^TEAMS_CHANNEL_MAP/m);
    expect(problems.join('\n')).toMatch(message);
  });
});

describe('BOT_OPENID_METADATA_URL', () => {
  it('defaults to the Bot Framework\'s own and turns Teams on with BOT_APP_ID', () => {
    const settings = loadSettings({ ...base, BOT_APP_ID: SUB });
    expect(settings.teams?.openIdMetadataUrl).toBe('https://login.botframework.com/v1/.well-known/openidconfiguration');
    expect(loadSettings(base).teams).toBeUndefined();
  });

  it.each([
    'http://127.0.0.1:1234/v1/.well-known/openidconfiguration',
    'https://attacker.example/keys.json',
  ])('refuses %s: who controls it can act as Teams', (url) => {
    expect(problemsOf({ BOT_APP_ID: SUB, BOT_OPENID_METADATA_URL: url }).join('\n')).toMatch(/BOT_OPENID_METADATA_URL = .*https URL ending in \/openidconfiguration/);
  });

  it('accepts another https issuer only outside App Service (tests, the demo)', () => {
    const sim = 'https://127.0.0.1:4443/v1/.well-known/openidconfiguration';
    expect(loadSettings({ ...base, BOT_APP_ID: SUB, BOT_OPENID_METADATA_URL: sim }).teams?.openIdMetadataUrl).toBe(sim);
    expect(problemsOf({ BOT_APP_ID: SUB, BOT_OPENID_METADATA_URL: sim, WEBSITE_INSTANCE_ID: 'abc123' }).join('\n')).toMatch(/only tests may change it/);
    expect(problemsOf({ BOT_APP_ID: SUB, WEBSITE_INSTANCE_ID: 'abc123' })).toEqual([]);
  });
});
