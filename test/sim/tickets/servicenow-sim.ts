import { randomBytes } from 'node:crypto';
import { startHttpsEndpoint, type Answer, type ReceivedCall } from './https-endpoint.js';
import { deliver, newStandardSecret, standardDelivery, type Delivery } from './webhook-senders.js';

export interface WorkNote {
  readonly table: string;
  readonly sysId: string;
  readonly text: string;
  readonly state?: string;
}

export interface ServiceNowSim {
  readonly instanceUrl: string;
  readonly caCertPem: string;
  readonly user: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecret: string;
  workNotes(sysId?: string): WorkNote[];
  readonly calls: ReceivedCall[];
  outage(on: boolean): void;
  /** Signs the record event as the Business Rule in docs/ticketing.md does: Standard Webhooks headers. */
  sign(payload: unknown): Delivery;
  /** Signs and posts it, as the Business Rule's REST Message does. */
  send(webhookUrl: string, payload: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

const TABLE_PATH = /^\/api\/now\/table\/([a-z][a-z0-9_]*)\/([0-9a-f]{32})$/;

/**
 * ServiceNow as far as the app uses it: Table API PATCH of `work_notes` (a journal: each write appends),
 * with basic auth or a bearer token from /oauth_token.do (client credentials).
 */
export async function startServiceNowSim(options: { webhookSecret?: string } = {}): Promise<ServiceNowSim> {
  const user = 'svc.exemption.broker';
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const clientId = randomBytes(16).toString('hex');
  const clientSecret = randomBytes(12).toString('base64url');
  const webhookSecret = options.webhookSecret ?? newStandardSecret();
  const tokens = new Set<string>();
  const notes: WorkNote[] = [];
  const calls: ReceivedCall[] = [];
  let down = false;
  const handle = (call: ReceivedCall): Answer => {
    calls.push(call);
    if (down) return { status: 503, json: { error: { message: 'Instance unavailable' }, status: 'failure' } };
    if (call.method === 'POST' && call.path === '/oauth_token.do') {
      const form = new URLSearchParams(call.body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        return { status: 401, json: { error: 'access_denied', error_description: 'access_denied' } };
      }
      const token = randomBytes(24).toString('base64url');
      tokens.add(token);
      return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: 1799, scope: 'useraccount' } };
    }
    const auth = String(call.headers.authorization ?? '');
    const basicOk = auth === `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const bearerOk = auth.startsWith('Bearer ') && tokens.has(auth.slice(7));
    if (!basicOk && !bearerOk) return { status: 401, json: { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' } };
    const match = TABLE_PATH.exec(call.path);
    if (call.method !== 'PATCH' || !match) return { status: 400, json: { error: { message: 'Invalid table or method' }, status: 'failure' } };
    const body = JSON.parse(call.body);
    if (typeof body.work_notes !== 'string' || !body.work_notes) return { status: 400, json: { error: { message: 'work_notes expected' }, status: 'failure' } };
    notes.push({ table: match[1]!, sysId: match[2]!, text: body.work_notes, ...(body.state === undefined ? {} : { state: body.state }) });
    return { status: 200, json: { result: { sys_id: match[2], ...(body.state === undefined ? {} : { state: body.state }) } } };
  };
  const endpoint = await startHttpsEndpoint(handle);
  return {
    instanceUrl: endpoint.baseUrl,
    caCertPem: endpoint.caCertPem,
    user, password, clientId, clientSecret, webhookSecret,
    workNotes: (sysId) => notes.filter((n) => sysId === undefined || n.sysId === sysId),
    calls,
    outage: (on) => { down = on; },
    sign: (payload) => standardDelivery(webhookSecret, payload),
    send: (webhookUrl, payload) => deliver(webhookUrl, standardDelivery(webhookSecret, payload)),
    close: endpoint.close,
  };
}
