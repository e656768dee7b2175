import { randomBytes } from 'node:crypto';
import { lazily, zod } from '../core/lazy-zod.js';
import type { KeyPurpose } from './signing-keys.js';
import { expiryOf, openToken, signToken, type SignedTokenRefusal } from './signed-token.js';

/**
 * A link mailed to one person about one request, usable once (its `tokenId` is consumed when used):
 * review links and renewal links. Each kind signs with its own purpose key.
 */
export interface PersonalClaims {
  readonly requestId: string;
  /** Lower-cased address the link was mailed to. */
  readonly person: string;
  readonly tokenId: string;
  readonly expiresAt: Date;
}

export type PersonalTokenCheck =
  | { readonly ok: true; readonly claims: PersonalClaims }
  | { readonly ok: false; readonly reason: SignedTokenRefusal };

const payloadSchema = lazily(() => {
  const z = zod();
  return z.strictObject({
    rid: z.string().min(1).max(64),
    sub: z.string().min(3).max(320),
    jti: z.string().min(16).max(64),
    exp: z.number().int().positive(),
  });
});

export function issuePersonalToken(secret: string, purpose: KeyPurpose, input: { requestId: string; person: string; expiresAt: Date }): string {
  return signToken(secret, purpose, {
    rid: input.requestId, sub: input.person.trim().toLowerCase(), jti: randomBytes(16).toString('base64url'), exp: expiryOf(input.expiresAt),
  });
}

export function openPersonalToken(secret: string, purpose: KeyPurpose, token: string, now: Date): PersonalTokenCheck {
  const opened = openToken(secret, purpose, token, payloadSchema(), now);
  if (!opened.ok) return opened;
  const { payload, expiresAt } = opened;
  return { ok: true, claims: { requestId: payload.rid, person: payload.sub, tokenId: payload.jti, expiresAt } };
}
