import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { lazily, zod } from '../core/lazy-zod.js';
import { derivedKey, hmac, macMatches } from './signing-keys.js';

/** What a review link grants: one decision on one request by one approver, until it expires. */
export interface ReviewClaims {
  readonly requestId: string;
  readonly approver: string;
  /** Unique per link; consumed when the decision is stored. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: ReviewClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

const VERSION = 'v1';
const payloadSchema = lazily(() => {
  const z = zod();
  return z.strictObject({
  rid: z.string().min(1).max(64),
  sub: z.string().min(3).max(320),
  jti: z.string().min(16).max(64),
  exp: z.number().int().positive(),
  });
});

export function issueReviewToken(secret: string, input: { requestId: string; approver: string; expiresAt: Date }): string {
  const payload = Buffer.from(JSON.stringify({
    rid: input.requestId,
    sub: input.approver.toLowerCase(),
    jti: randomBytes(16).toString('base64url'),
    exp: Math.floor(input.expiresAt.getTime() / 1000),
  })).toString('base64url');
  const mac = hmac(derivedKey(secret, 'review-token'), `${VERSION}.${payload}`).toString('base64url');
  return `${VERSION}.${payload}.${mac}`;
}

export function verifyReviewToken(secret: string, token: string, now: Date): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2] || token.length > 2048) return { ok: false, reason: 'malformed' };
  const expected = hmac(derivedKey(secret, 'review-token'), `${VERSION}.${parts[1]}`);
  if (!macMatches(expected, parts[2])) return { ok: false, reason: 'bad-signature' };
  let payload: z.infer<ReturnType<typeof payloadSchema>>;
  try {
    payload = payloadSchema().parse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const expiresAt = new Date(payload.exp * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { requestId: payload.rid, approver: payload.sub, tokenId: payload.jti, expiresAt } };
}
