import { deliver, jiraDelivery, type Delivery } from './webhook-senders.js';
import { startHttpsEndpoint, type Answer, type ReceivedCall } from './https-endpoint.js';

export interface JiraComment {
  readonly issueKey: string;
  /** The comment's Atlassian Document Format body as received. */
  readonly body: any;
  /** Its text, paragraphs and list items joined by newlines, for assertions. */
  readonly text: string;
}

export interface JiraSim {
  readonly baseUrl: string;
  readonly caCertPem: string;
  readonly email: string;
  readonly apiToken: string;
  readonly webhookSecret: string;
  comments(issueKey?: string): JiraComment[];
  transitions(issueKey?: string): { issueKey: string; id: string }[];
  /** Every call, accepted or not. */
  readonly calls: ReceivedCall[];
  /** While on, every REST call (or only transitions) answers 503; calls are still recorded. */
  outage(on: boolean, only?: 'transitions'): void;
  /** Signs a webhook body as Jira Cloud does. */
  sign(payload: unknown, identifier?: string): Delivery;
  /** Signs and posts it to the webhook URL, as Jira Cloud's webhook sender does. */
  send(webhookUrl: string, payload: unknown, identifier?: string): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

const ISSUE_PATH = /^\/rest\/api\/3\/issue\/([A-Z][A-Z0-9_]*-\d+)\/(comment|transitions)$/;

/**
 * Jira Cloud as far as the app uses it: REST v3 comments (ADF bodies, checked) and transitions, with
 * basic auth of the account e-mail and an API token; and the signing of admin webhooks.
 */
export async function startJiraSim(options: { email?: string; apiToken?: string; webhookSecret?: string } = {}): Promise<JiraSim> {
  const email = options.email ?? 'exemption-broker@contoso.com';
  const apiToken = options.apiToken ?? 'ATATT3xFfGF0-simulated-token';
  const webhookSecret = options.webhookSecret ?? 'jira-webhook-secret-0123456789abcdef';
  const expectedAuth = `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
  const comments: JiraComment[] = [];
  const transitions: { issueKey: string; id: string }[] = [];
  const calls: ReceivedCall[] = [];
  let down: false | 'all' | 'transitions' = false;
  const handle = (call: ReceivedCall): Answer => {
    calls.push(call);
    if (down === 'all' || (down === 'transitions' && call.path.endsWith('/transitions'))) return { status: 503, json: { errorMessages: ['Service unavailable'] } };
    if (call.headers.authorization !== expectedAuth) return { status: 401, json: { errorMessages: ['Client must be authenticated to access this resource.'] } };
    const match = ISSUE_PATH.exec(call.path);
    if (call.method !== 'POST' || !match) return { status: 404, json: { errorMessages: ['Issue does not exist or you do not have permission to see it.'] } };
    if (!/^application\/json/.test(String(call.headers['content-type']))) return { status: 415, json: {} };
    const body = JSON.parse(call.body);
    if (match[2] === 'comment') {
      const problems = adfProblems(body?.body);
      if (problems) return { status: 400, json: { errorMessages: [], errors: { comment: problems } } };
      comments.push({ issueKey: match[1]!, body: body.body, text: adfText(body.body) });
      return { status: 201, json: { id: String(10_000 + comments.length), body: body.body, created: new Date().toISOString() } };
    }
    if (typeof body?.transition?.id !== 'string') return { status: 400, json: { errorMessages: ['Missing transition id'] } };
    transitions.push({ issueKey: match[1]!, id: body.transition.id });
    return { status: 204 };
  };
  const endpoint = await startHttpsEndpoint(handle);
  return {
    baseUrl: endpoint.baseUrl,
    caCertPem: endpoint.caCertPem,
    email,
    apiToken,
    webhookSecret,
    comments: (key) => comments.filter((c) => key === undefined || c.issueKey === key),
    transitions: (key) => transitions.filter((t) => key === undefined || t.issueKey === key),
    calls,
    outage: (on, only) => { down = on ? (only ?? 'all') : false; },
    sign: (payload, identifier) => jiraDelivery(webhookSecret, payload, identifier === undefined ? {} : { identifier }),
    send: (webhookUrl, payload, identifier) => deliver(webhookUrl, jiraDelivery(webhookSecret, payload, identifier === undefined ? {} : { identifier })),
    close: endpoint.close,
  };
}

/** What Jira's ADF validation would refuse in a comment body: the document frame and non-empty text nodes. */
function adfProblems(doc: any): string | undefined {
  if (doc?.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) return 'Comment body is not a valid ADF document';
  const walk = (node: any): string | undefined => {
    if (typeof node?.type !== 'string') return 'ADF node without a type';
    if (node.type === 'text') return typeof node.text === 'string' && node.text.length > 0 ? undefined : 'ADF text nodes must have non-empty text';
    if (node.content !== undefined && !Array.isArray(node.content)) return 'ADF content must be an array';
    for (const child of node.content ?? []) {
      const problem = walk(child);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(doc);
}

function adfText(node: any): string {
  if (node.type === 'text') return node.text;
  const parts = (node.content ?? []).map(adfText);
  return ['paragraph', 'listItem'].includes(node.type) ? parts.join('') : parts.join('\n');
}
