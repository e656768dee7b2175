import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** As Jira Cloud signs an admin webhook with a secret: HMAC-SHA256 of the raw body, in hex. */
export function jiraDelivery(secret: string, payload: unknown, options: { identifier?: string } = {}): Delivery {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      'x-atlassian-webhook-identifier': options.identifier ?? String(Math.floor(Math.random() * 1e15)),
      'user-agent': 'Atlassian Webhook HTTP Client',
    },
  };
}

/**
 * As a Standard Webhooks sender signs, with the reference library; `secrets` lists several keys
 * during a rotation, each adding its own signature. ServiceNow's Business Rule sends the same headers.
 */
export function standardDelivery(secrets: string | readonly string[], payload: unknown, options: { id?: string; at?: Date } = {}): Delivery {
  const body = JSON.stringify(payload);
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
  const at = options.at ?? new Date();
  const signatures = (typeof secrets === 'string' ? [secrets] : secrets).map((s) => new Webhook(s).sign(id, at, body));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signatures.join(' '),
    },
  };
}

/** Posts a signed delivery as the sender would; the answer's JSON, if any. */
export async function deliver(url: string, delivery: Delivery): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** A fresh whsec_ secret, as ensure-secrets.sh makes one. */
export function newStandardSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
