import type { z } from 'zod';
import { derivedKey, hmac, macMatches, type KeyPurpose } from './signing-keys.js';

/**
 * The one format of every signed link token: `v1.{base64url JSON payload}.{base64url HMAC}`, the MAC
 * keyed per purpose (HKDF), so a token minted for one purpose never passes as another. Payloads carry
 * `exp` (seconds since the epoch); each kind of token checks its own fields with a strict schema.
 */
const VERSION = 'v1';

export type SignedTokenRefusal = 'malformed' | 'bad-signature' | 'expired';

export type OpenedToken<T> =
  | { readonly ok: true; readonly payload: T; readonly expiresAt: Date }
  | { readonly ok: false; readonly reason: SignedTokenRefusal };

export function signToken(secret: string, purpose: KeyPurpose, payload: { readonly exp: number } & Record<string, unknown>): string {
  if (!Number.isInteger(payload.exp) || payload.exp <= 0) throw new Error('a signed token needs a valid expiry');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${VERSION}.${body}.${hmac(derivedKey(secret, purpose), `${VERSION}.${body}`).toString('base64url')}`;
}

/** Checks shape and length first, the MAC in constant time next, then the payload's schema and expiry. */
export function openToken<T extends { readonly exp: number }>(
  secret: string, purpose: KeyPurpose, token: string, schema: z.ZodType<T>, now: Date, maxLength = 2048,
): OpenedToken<T> {
  const parts = token.split('.');
  if (token.length > maxLength || parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  if (!macMatches(hmac(derivedKey(secret, purpose), `${VERSION}.${parts[1]}`), parts[2])) return { ok: false, reason: 'bad-signature' };
  let payload: T;
  try {
    payload = schema.parse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const expiresAt = new Date(payload.exp * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, payload, expiresAt };
}

/** Seconds since the epoch, as `exp` holds them. */
export function expiryOf(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
