import type { AdaptiveCardActionResponse, Client as ApiClient } from '@microsoft/teams.api';
import type { HttpRouteHandler, IHttpServerAdapter, IHttpServerRequest, IHttpServerResponse } from '@microsoft/teams.apps';
import type { TeamsSettings } from '../config/teams-settings.js';

/** The Teams SDK's messaging endpoint path; POST /api/messages is where the Azure Bot posts. */
const MESSAGING_ENDPOINT = '/api/messages';

/**
 * The SDK's server seam, without a server: it hands us the messaging route's handler and the HTTP
 * function calls it. The Functions host is the only listener.
 */
class FunctionHostAdapter implements IHttpServerAdapter {
  handler: HttpRouteHandler | undefined;

  registerRoute(_method: 'POST', path: string, handler: HttpRouteHandler): void {
    if (path === MESSAGING_ENDPOINT) this.handler = handler;
  }
}

/** What the bot does with the activities it handles; the SDK has checked the caller's JWT first. */
export interface TeamsHandlers {
  installed(activity: any, connector: ApiClient): Promise<void>;
  removed(activity: any): Promise<void>;
  /** Returns the adaptiveCard/action invoke response body. */
  cardAction(activity: any, connector: ApiClient): Promise<AdaptiveCardActionResponse>;
}

export interface TeamsBot {
  /** The messaging endpoint: JWT validation, then the handlers. 401 when the token does not hold. */
  handle(request: IHttpServerRequest): Promise<IHttpServerResponse>;
  /** A connector client for one conversation's service URL, authenticated as the bot. */
  connector(serviceUrl: string): ApiClient;
}

export interface TeamsBotOptions {
  readonly settings: TeamsSettings;
  /** The bot's outbound token (the app's managed identity, which is the Azure Bot's identity). */
  readonly token: (scope: string) => Promise<string>;
  readonly handlers: TeamsHandlers;
  readonly log: (level: 'warn' | 'error', message: string) => void;
}

export async function createTeamsBot(options: TeamsBotOptions): Promise<TeamsBot> {
  const [{ App }, { PUBLIC, withOverrides }] = await Promise.all([import('@microsoft/teams.apps'), import('@microsoft/teams.api')]);
  const adapter = new FunctionHostAdapter();
  const { settings } = options;
  const app = new App({
    clientId: settings.appId,
    ...(settings.tenantId ? { tenantId: settings.tenantId } : {}),
    token: (scope) => options.token(Array.isArray(scope) ? scope[0]! : scope),
    httpServerAdapter: adapter,
    messagingEndpoint: MESSAGING_ENDPOINT,
    // Whom the app believes to be Teams: the Bot Framework's keys, unless a test points elsewhere.
    cloud: withOverrides(PUBLIC, { openIdMetadataUrl: settings.openIdMetadataUrl }),
    dangerouslyAllowUnauthenticatedRequests: false,
    logger: quietLogger(options.log),
  });
  app.on('install.add', async ({ activity, api }) => {
    await options.handlers.installed(activity, api);
  });
  app.on('install.remove', async ({ activity }) => {
    await options.handlers.removed(activity);
  });
  app.on('card.action', async ({ activity, api }) => options.handlers.cardAction(activity, api));
  await app.initialize();
  const handler = adapter.handler;
  if (!handler) throw new Error(`the Teams SDK registered no handler for ${MESSAGING_ENDPOINT}`);
  return {
    handle: (request) => handler(request),
    connector: (serviceUrl) => app.api.clone({ serviceUrl }),
  };
}

/** The SDK logs every activity at debug level; only its warnings and errors reach the function's log. */
function quietLogger(log: TeamsBotOptions['log']) {
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : safeJson(m))).join(' ').slice(0, 2_000);
  const logger = {
    debug: () => undefined, info: () => undefined, trace: () => undefined,
    warn: (...msg: unknown[]) => log('warn', text(msg)),
    error: (...msg: unknown[]) => log('error', text(msg)),
    log: (level: string, ...msg: unknown[]) => (level === 'error' || level === 'warn' ? log(level, text(msg)) : undefined),
    child: () => logger,
  };
  return logger;
}

function safeJson(value: unknown): string {
  try { return JSON.stringify(value); } catch { return String(value); }
}
