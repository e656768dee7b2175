// The simulated Bot Framework for the Teams channel, over HTTPS with its own certificate:
//   - the token issuer Teams signs activities with (OpenID + JWKS at /v1/.well-known/…), which the app
//     trusts only through BOT_OPENID_METADATA_URL = sim.openIdMetadataUrl (tests set it; Azure never does);
//   - the Bot connector at sim.serviceUrl: create conversation, send, update and get activities, and get a
//     member (the app reads the clicker's UPN and e-mail there), each recorded;
//   - helpers that post signed activities to the app as Teams would (installationUpdate, card invokes).
//
//   const teams = await startTeamsSim({ botAppId, tenantId });
//   trustSimCertificate(teams.caCertPem);
//   const res = await teams.post(`${app.baseUrl}/api/messages`, teams.installation({ ... }));
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeCertificate } from '../tls.js';
import { BotTokenIssuer, jwtClaims, type TokenFlaw } from './bot-tokens.js';
import { readBody } from '../read-body.js';

export type { TokenFlaw } from './bot-tokens.js';

export interface TeamsUser {
  /** The Bot Framework id ("29:…"). */
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly userPrincipalName: string;
  readonly email: string;
}

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

export interface SentActivity {
  readonly conversationId: string;
  readonly id: string;
  /** The latest version (after any update). */
  activity: any;
  /** Every version, first to last. */
  readonly versions: any[];
}

export interface TeamsSim {
  readonly url: string;
  readonly serviceUrl: string;
  readonly openIdMetadataUrl: string;
  readonly caCertPem: string;
  readonly botAppId: string;
  readonly tenantId: string;
  readonly calls: ConnectorCall[];
  /** Activities the bot sent, by conversation. */
  activities(conversationId?: string): SentActivity[];
  addUser(user: Partial<TeamsUser> & Pick<TeamsUser, 'email'>): TeamsUser;
  /** The next `count` connector calls answer `status` (an outage); the token documents stay up. */
  failConnector(count: number, status?: number): void;
  installation(options: { conversationType: 'channel' | 'personal'; conversationId: string; from: TeamsUser; teamId?: string; action?: 'add' | 'remove' }): any;
  cardAction(options: { conversationId: string; activityId: string; from: TeamsUser; verb: string; data: Record<string, unknown>; conversationType?: 'channel' | 'personal' }): any;
  /** Posts an activity to the bot's endpoint as Teams would: JSON, with a signed JWT unless `flaw` says otherwise. */
  post(endpoint: string, activity: unknown, flaw?: TokenFlaw): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

export async function startTeamsSim(options: { botAppId: string; tenantId: string; host?: string }): Promise<TeamsSim> {
  const host = options.host ?? '127.0.0.1';
  const cert = await makeCertificate();
  const issuer = new BotTokenIssuer(options.botAppId);
  const calls: ConnectorCall[] = [];
  const sent = new Map<string, SentActivity>();
  const users = new Map<string, TeamsUser>();
  let outage = { remaining: 0, status: 503 };
  let url = '';

  const server = https.createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { error: { code: 'SimInternalError', message: String(error) } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/v1/.well-known/openidconfiguration') return reply(res, 200, issuer.openIdConfiguration(url));
    if (method === 'GET' && path === '/v1/.well-known/keys') return reply(res, 200, issuer.jwks());
    const text = await readBody(req);
    const body = text ? JSON.parse(text) : undefined;
    const answer = (status: number, value: unknown) => {
      calls.push({ method, path, status, body });
      reply(res, status, value);
    };
    if (!path.startsWith('/teams/v3/')) return answer(404, { error: { code: 'NotFound', message: path } });
    const claims = jwtClaims(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (claims?.['aud'] !== BOT_FRAMEWORK_AUDIENCE || claims['appid'] !== options.botAppId) {
      return answer(401, { message: 'Authorization has been denied for this request.' });
    }
    if (outage.remaining > 0) {
      outage.remaining--;
      return answer(outage.status, { error: { code: 'ServiceUnavailable', message: 'injected connector outage' } });
    }
    const parts = path.slice('/teams/v3/'.length).split('/').map(decodeURIComponent);
    if (parts[0] !== 'conversations') return answer(404, { error: { code: 'NotFound', message: path } });
    if (parts.length === 1 && method === 'POST') return answer(201, { id: `a:${randomUUID()}`, serviceUrl: `${url}/teams/` });
    const conversationId = parts[1]!;
    if (parts[2] === 'activities' && parts.length === 3 && method === 'POST') {
      const id = `1${Date.now()}${Math.floor(Math.random() * 1000)}`;
      sent.set(`${conversationId}|${id}`, { conversationId, id, activity: body, versions: [body] });
      return answer(201, { id });
    }
    if (parts[2] === 'activities' && parts.length === 4) {
      const found = sent.get(`${conversationId}|${parts[3]}`);
      if (!found) return answer(404, { error: { code: 'ActivityNotFoundInConversation', message: 'Unknown activity' } });
      if (method === 'GET') return answer(200, found.activity);
      if (method === 'PUT') {
        found.activity = body;
        found.versions.push(body);
        return answer(200, { id: found.id });
      }
    }
    if (parts[2] === 'members' && parts.length === 4 && method === 'GET') {
      const user = users.get(parts[3]!);
      if (!user) return answer(404, { error: { code: 'MemberNotFoundInConversation', message: 'Member not found' } });
      return answer(200, { id: user.id, name: user.name, aadObjectId: user.aadObjectId, userPrincipalName: user.userPrincipalName, email: user.email, tenantId: options.tenantId, userRole: 'user' });
    }
    return answer(405, { error: { code: 'BadArgument', message: `${method} ${path}` } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  url = `https://${host}:${(server.address() as AddressInfo).port}`;
  const serviceUrl = `${url}/teams/`;
  const base = (conversationId: string, conversationType: string, from: TeamsUser) => ({
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: `28:${options.botAppId}`, name: 'Exemption broker' },
    conversation: { id: conversationId, conversationType, tenantId: options.tenantId, ...(conversationType === 'channel' ? { isGroup: true } : {}) },
    channelData: { tenant: { id: options.tenantId } },
  });

  return {
    url, serviceUrl, caCertPem: cert.certPem, botAppId: options.botAppId, tenantId: options.tenantId, calls,
    openIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
    activities: (conversationId) => [...sent.values()].filter((a) => conversationId === undefined || a.conversationId === conversationId),
    addUser(user) {
      const full: TeamsUser = {
        id: user.id ?? `29:${randomUUID()}`, aadObjectId: user.aadObjectId ?? randomUUID(), name: user.name ?? user.email,
        userPrincipalName: user.userPrincipalName ?? user.email, email: user.email,
      };
      users.set(full.id, full);
      return full;
    },
    failConnector(count, status = 503) {
      outage = { remaining: count, status };
    },
    installation({ conversationType, conversationId, from, teamId, action = 'add' }) {
      const activity = base(conversationId, conversationType, from);
      return {
        ...activity, type: 'installationUpdate', action,
        channelData: {
          ...activity.channelData,
          ...(conversationType === 'channel' ? { team: { id: teamId ?? conversationId, name: 'Security' }, settings: { selectedChannel: { id: conversationId } } } : {}),
        },
      };
    },
    cardAction({ conversationId, activityId, from, verb, data, conversationType = 'channel' }) {
      // In a channel, Teams names the thread of the clicked message: "<channel id>;messageid=<root id>".
      const conversation = conversationType === 'channel' ? `${conversationId};messageid=${activityId}` : conversationId;
      return {
        ...base(conversation, conversationType, from), type: 'invoke', name: 'adaptiveCard/action', replyToId: activityId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      };
    },
    async post(endpoint, activity, flaw = 'none') {
      const authorization = issuer.authorization(serviceUrl, flaw);
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let json: unknown;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
      return { status: response.status, json };
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
