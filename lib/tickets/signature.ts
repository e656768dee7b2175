import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a Standard Webhooks timestamp may be from our clock, either way (the spec's default). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** Delivery ids become Table Storage row keys and log text: a narrow alphabet, a bounded length. */
const DELIVERY_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export type Verified = { readonly ok: true; readonly deliveryId: string } | { readonly ok: false; readonly reason: string };

type Headers = { get(name: string): string | null };

/**
 * Jira Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. The delivery id
 * (`X-Atlassian-Webhook-Identifier`) is not signed, so it only ever dedupes; it never authorises.
 */
export function verifyJira(secret: string, headers: Headers, body: Uint8Array): Verified {
  const header = headers.get('x-hub-signature')?.trim() ?? '';
  const sent = /^sha256=([0-9a-fA-F]{64})$/.exec(header)?.[1];
  if (!sent) return { ok: false, reason: header ? 'X-Hub-Signature is not sha256=<64 hex digits>' : 'X-Hub-Signature is missing' };
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(sent, 'hex'))) return { ok: false, reason: 'the signature does not match the body' };
  const deliveryId = headers.get('x-atlassian-webhook-identifier')?.trim() ?? '';
  if (!DELIVERY_ID.test(deliveryId)) return { ok: false, reason: 'X-Atlassian-Webhook-Identifier is missing or malformed' };
  return { ok: true, deliveryId };
}

/**
 * The key of a `whsec_<base64>` secret, or undefined when the setting cannot be one (too short to be a
 * key anybody generated on purpose).
 */
export function standardWebhookKey(secret: string): Buffer | undefined {
  const encoded = secret.trim().replace(/^whsec_/, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 16 ? key : undefined;
}

/**
 * Standard Webhooks v1: `webhook-signature` lists `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`
 * entries separated by spaces (one per key during a rotation); any one matching is enough. The
 * timestamp must be within the tolerance of `now`, which bounds how long a captured delivery can replay.
 */
export function verifyStandard(key: Buffer, headers: Headers, body: Uint8Array, now: Date): Verified {
  const id = headers.get('webhook-id')?.trim() ?? '';
  const timestamp = headers.get('webhook-timestamp')?.trim() ?? '';
  const signatures = headers.get('webhook-signature')?.trim() ?? '';
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'webhook-id, webhook-timestamp and webhook-signature are required' };
  if (!DELIVERY_ID.test(id)) return { ok: false, reason: 'webhook-id is malformed' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not unix seconds' };
  const skew = Number(timestamp) - Math.floor(now.getTime() / 1000);
  if (skew < -TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is too old' };
  if (skew > TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: 'webhook-timestamp is in the future' };
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  // Every entry is compared, matching or not, so the time taken does not tell which one matched.
  let matched = false;
  for (const entry of signatures.split(' ').slice(0, 16)) {
    const sent = /^v1,([A-Za-z0-9+/]{43}=)$/.exec(entry)?.[1];
    if (sent && timingSafeEqual(expected, Buffer.from(sent, 'base64'))) matched = true;
  }
  return matched ? { ok: true, deliveryId: id } : { ok: false, reason: 'no webhook-signature entry matches' };
}
