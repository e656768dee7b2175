// The Bot Framework's token issuer, played with our own RSA keys: the JWTs Teams puts on every activity
// it posts to a bot, and the OpenID/JWKS documents the SDK fetches to check them.
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/** What the Bot Framework puts in `iss`; the SDK accepts exactly this issuer. */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** The ways a test can spoil an inbound token. */
export type TokenFlaw = 'none' | 'expired' | 'wrong-key' | 'wrong-audience' | 'missing';

export class BotTokenIssuer {
  readonly kid = randomUUID();
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** An attacker's key, published nowhere, used under the genuine kid. */
  private readonly forger = generateKeyPairSync('rsa', { modulusLength: 2048 });

  constructor(private readonly botAppId: string) {}

  openIdConfiguration(baseUrl: string): unknown {
    return {
      issuer: BOT_FRAMEWORK_ISSUER,
      authorization_endpoint: `${baseUrl}/v1/.well-known/authorize`,
      jwks_uri: `${baseUrl}/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
  }

  jwks(): unknown {
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: this.kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] };
  }

  /** The Authorization header value Teams would send with an activity, or undefined for 'missing'. */
  authorization(serviceUrl: string, flaw: TokenFlaw = 'none'): string | undefined {
    if (flaw === 'missing') return undefined;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      serviceurl: serviceUrl,
      nbf: now - 60,
      // Past the SDK's 5-minute clock tolerance.
      exp: flaw === 'expired' ? now - 3600 : now + 3600,
      iss: BOT_FRAMEWORK_ISSUER,
      aud: flaw === 'wrong-audience' ? randomUUID() : this.botAppId,
    };
    return `Bearer ${signJwt(claims, this.kid, flaw === 'wrong-key' ? this.forger.privateKey : this.key.privateKey)}`;
  }
}

export function signJwt(claims: object, kid: string, key: KeyObject): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

/** The claims of a JWT, unchecked (the connector sim reads the bot's outbound tokens this way). */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
