import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../lib/config/settings.js';
import { channelFor, parseChannelMap } from '../../../lib/config/teams-settings.js';

const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const CHANNEL = '19:abcDEF0123_-xyz@thread.tacv2';
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

  it.each([
    ['not JSON', '{subscriptions:', /is not JSON/],
    ['an unknown key', JSON.stringify({ channels: {} }), /Unrecognized key/i],
    ['a key that is not a subscription id', JSON.stringify({ subscriptions: { 'rg-prod': CHANNEL } }), /is not a subscription id/],
    ['a channel id that could leave its URL segment', JSON.stringify({ default: '19:x@thread.tacv2/../../v3/conversations' }), /Teams channel id/],
    ['a channel id with a query', JSON.stringify({ subscriptions: { [SUB]: '19:x@thread.tacv2?a=b' } }), /Teams channel id/],
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
