import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { standardWebhookKey, TIMESTAMP_TOLERANCE_SECONDS, verifyJira, verifyStandard } from '../../../lib/tickets/signature.js';

const headers = (h: Record<string, string>) => new Headers(h);
const bytes = (s: string) => new TextEncoder().encode(s);
const NOW = new Date('2026-12-02T12:00:00Z');
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

function signed(body: string, at: Date, secrets = [SECRET], id = 'msg_1') {
  return headers({
    'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' '),
  });
}

describe('Standard Webhooks v1, checked against the reference library\'s signatures', () => {
  const key = standardWebhookKey(SECRET)!;

  it('accepts a signature by the key, alone or among a rotation\'s list', () => {
    expect(verifyStandard(key, signed('{}', NOW), bytes('{}'), NOW)).toEqual({ ok: true, deliveryId: 'msg_1' });
    expect(verifyStandard(key, signed('{}', NOW, [OTHER, SECRET]), bytes('{}'), NOW).ok).toBe(true);
    expect(verifyStandard(key, signed('{}', NOW, [OTHER]), bytes('{}'), NOW)).toMatchObject({ ok: false, reason: 'no webhook-signature entry matches' });
  });

  it('holds the timestamp to ±5 minutes of the app clock, inclusive', () => {
    const edge = TIMESTAMP_TOLERANCE_SECONDS * 1000;
    expect(verifyStandard(key, signed('{}', new Date(NOW.getTime() - edge)), bytes('{}'), NOW).ok).toBe(true);
    expect(verifyStandard(key, signed('{}', new Date(NOW.getTime() + edge)), bytes('{}'), NOW).ok).toBe(true);
    expect(verifyStandard(key, signed('{}', new Date(NOW.getTime() - edge - 1000)), bytes('{}'), NOW)).toMatchObject({ reason: 'webhook-timestamp is too old' });
    expect(verifyStandard(key, signed('{}', new Date(NOW.getTime() + edge + 1000)), bytes('{}'), NOW)).toMatchObject({ reason: 'webhook-timestamp is in the future' });
  });

  it('binds the id, the timestamp and every byte of the body', () => {
    const h = signed('{"a":1}', NOW);
    expect(verifyStandard(key, h, bytes('{"a":2}'), NOW).ok).toBe(false);
    const otherId = new Headers(h);
    otherId.set('webhook-id', 'msg_2');
    expect(verifyStandard(key, otherId, bytes('{"a":1}'), NOW).ok).toBe(false);
  });

  it('refuses malformed headers before computing anything', () => {
    const h = signed('{}', NOW);
    for (const [name, value] of [['webhook-id', '../x'], ['webhook-timestamp', '1e9'], ['webhook-signature', 'v2,abc']] as const) {
      const bad = new Headers(h);
      bad.set(name, value);
      expect(verifyStandard(key, bad, bytes('{}'), NOW).ok, name).toBe(false);
    }
  });

  it('takes whsec_ secrets and refuses settings that cannot be one', () => {
    expect(standardWebhookKey(SECRET)).toEqual(Buffer.alloc(32, 7));
    expect(standardWebhookKey('whsec_short')).toBeUndefined();
    expect(standardWebhookKey('whsec_not base64!')).toBeUndefined();
  });
});

describe('Jira Cloud X-Hub-Signature', () => {
  const body = '{"webhookEvent":"jira:issue_created"}';
  const sig = `sha256=${createHmac('sha256', 'jira-secret').update(body).digest('hex')}`;

  it('accepts the HMAC of the raw body, in either hex case, with a delivery identifier', () => {
    expect(verifyJira('jira-secret', headers({ 'x-hub-signature': sig, 'x-atlassian-webhook-identifier': '123' }), bytes(body))).toEqual({ ok: true, deliveryId: '123' });
    expect(verifyJira('jira-secret', headers({ 'x-hub-signature': sig.toUpperCase().replace('SHA256', 'sha256'), 'x-atlassian-webhook-identifier': '1' }), bytes(body)).ok).toBe(true);
  });

  it('refuses another secret, another body, another algorithm and a missing identifier', () => {
    const id = { 'x-atlassian-webhook-identifier': '1' };
    expect(verifyJira('other', headers({ 'x-hub-signature': sig, ...id }), bytes(body)).ok).toBe(false);
    expect(verifyJira('jira-secret', headers({ 'x-hub-signature': sig, ...id }), bytes(`${body} `)).ok).toBe(false);
    expect(verifyJira('jira-secret', headers({ 'x-hub-signature': sig.replace('sha256', 'sha1'), ...id }), bytes(body)).ok).toBe(false);
    expect(verifyJira('jira-secret', headers({ 'x-hub-signature': sig }), bytes(body))).toMatchObject({ ok: false, reason: /Identifier/ });
  });
});
