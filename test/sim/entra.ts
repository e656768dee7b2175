// The slice of Entra ID that MSAL's client-credentials flow touches when ClientSecretCredential is given
// `authorityHost` + `disableInstanceDiscovery: true`: OpenID metadata, then the v2.0 token endpoint.
// Tokens are opaque random strings bound to the client; ARM routes look them up.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimSeed } from './seed-types.js';

export interface IssuedToken {
  clientId: string;
  objectId: string;
  scope: string;
  expiresAt: number;
}

export interface EntraResponse {
  status: number;
  body: unknown;
  operationId: string;
}

const TOKEN_LIFETIME_S = 3599;
const ENTRA_PATH = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)$/i;

export class EntraSim {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly seed: SimSeed, private readonly baseUrl: () => string) {}

  /** The pseudo operationId of an Entra path (for faults and the request log), or undefined for ARM paths. */
  operationIdFor(path: string): string | undefined {
    const m = ENTRA_PATH.exec(path);
    if (!m) return undefined;
    const what = m[2]!.toLowerCase();
    return what.startsWith('v2.0') ? 'Entra_OpenIdConfiguration' : what.startsWith('discovery') ? 'Entra_Keys' : 'Entra_Token';
  }

  /** Answers Entra paths; undefined when the path is not Entra's (then it is ARM's). */
  handle(method: string, path: string, body: string): EntraResponse | undefined {
    const m = ENTRA_PATH.exec(path);
    if (!m) return undefined;
    const [, tenant = '', what = ''] = m;
    if (!this.knownTenant(tenant)) {
      return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, 'Entra_Token');
    }
    const base = `${this.baseUrl()}/${this.seed.tenantId}`;
    if (what.toLowerCase().startsWith('v2.0')) {
      return {
        status: 200, operationId: 'Entra_OpenIdConfiguration',
        body: {
          issuer: `${base}/v2.0`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          tenant_region_scope: 'EU',
        },
      };
    }
    if (what.toLowerCase().startsWith('discovery')) return { status: 200, operationId: 'Entra_Keys', body: { keys: [] } };
    if (method !== 'POST') return aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.', 'Entra_Token');
    return this.token(new URLSearchParams(body));
  }

  private knownTenant(t: string): boolean {
    return t.toLowerCase() === this.seed.tenantId.toLowerCase() || t.toLowerCase() === 'organizations';
  }

  private token(form: URLSearchParams): EntraResponse {
    const { clientId, clientSecret, objectId } = this.seed.client;
    if (form.get('grant_type') !== 'client_credentials') {
      return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.get('grant_type')}'.`, 'Entra_Token');
    }
    if (form.get('client_id') !== clientId) {
      return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory '${this.seed.tenantId}'.`, 'Entra_Token');
    }
    if (form.get('client_secret') !== clientSecret) {
      return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.', 'Entra_Token');
    }
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default')) {
      return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`, 'Entra_Token');
    }
    const accessToken = scope === BOT_FRAMEWORK_SCOPE ? botFrameworkToken(clientId, this.seed.tenantId) : `simtok.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, { clientId, objectId, scope, expiresAt: Date.now() + TOKEN_LIFETIME_S * 1000 });
    return {
      status: 200, operationId: 'Entra_Token',
      body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: accessToken },
    };
  }

  /** The token behind an `Authorization` header, or why it is refused. */
  authenticate(header: string | undefined): { token: IssuedToken } | { code: string; message: string } {
    if (!header) return { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." };
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is provided in an invalid format." };
    const token = this.tokens.get(m[1]!);
    if (!token) return { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
    if (token.expiresAt <= Date.now()) return { code: 'ExpiredAuthenticationToken', message: 'The access token expiry UTC time is earlier than current UTC time.' };
    return { token };
  }
}

const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';

/**
 * The Teams SDK decodes the tokens it sends to the Bot connector (never verifies them), so for that
 * scope the sim issues a JWT-shaped token like Entra's; the simulated connector reads its claims.
 */
function botFrameworkToken(clientId: string, tenantId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ aud: 'https://api.botframework.com', appid: clientId, tid: tenantId, exp })}.${randomBytes(32).toString('base64url')}`;
}

function aadError(status: number, error: string, code: number, description: string, operationId: string): EntraResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status, operationId,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code], timestamp: new Date().toISOString(), trace_id: traceId, correlation_id: correlationId,
    },
  };
}
