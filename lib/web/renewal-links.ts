import type { HttpResponseInit } from '@azure/functions';
import { messagePage } from './html-response.js';
import type { ReviewLinkSettings } from './review-links.js';
import { issuePersonalToken, openPersonalToken } from './personal-token.js';

/**
 * What a renewal link grants: one request to renew one (expiring) request, made in the name of the
 * person the link was mailed to, until it expires. Its own HKDF purpose, so neither a review link nor
 * any other signed value can pass as one.
 */
export interface RenewalClaims {
  readonly requestId: string;
  /** The address the link was mailed to: the renewal's requester. */
  readonly recipient: string;
  /** Unique per link; consumed when the renewal is stored. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

export type RenewalTokenCheck =
  | { readonly ok: true; readonly claims: RenewalClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

export const RENEWAL_PATH = '/api/renew';
/** The query parameter (and form field) that carries the token. */
export const RENEWAL_TOKEN_PARAM = 't';

export function issueRenewalToken(secret: string, input: { requestId: string; recipient: string; expiresAt: Date }): string {
  return issuePersonalToken(secret, 'renewal', { requestId: input.requestId, person: input.recipient, expiresAt: input.expiresAt });
}

export function verifyRenewalToken(secret: string, token: string, now: Date): RenewalTokenCheck {
  const check = openPersonalToken(secret, 'renewal', token, now);
  if (!check.ok) return check;
  const { person, ...claims } = check.claims;
  return { ok: true, claims: { ...claims, recipient: person } };
}

/** The personal link a sweep notice carries; it lives as long as a review link. */
export function renewalLink(settings: ReviewLinkSettings, requestId: string, recipient: string, now: Date): string {
  const token = issueRenewalToken(settings.signingKey, {
    requestId,
    recipient,
    expiresAt: new Date(now.getTime() + settings.linkTtlHours * 3_600_000),
  });
  return `${settings.publicBaseUrl}${RENEWAL_PATH}?${RENEWAL_TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/** Verifies a renewal token and turns each failure into the page that explains it. */
export function checkRenewalLink(secret: string, tokens: string | null | undefined | readonly string[], now: Date):
  { ok: true; claims: RenewalClaims; token: string } | { ok: false; response: HttpResponseInit } {
  // A link with two tokens is not one we sent; choosing either would be a guess.
  if (Array.isArray(tokens) && tokens.length > 1) {
    return { ok: false, response: messagePage(400, 'Link damaged', 'This renewal link carries more than one token. Open the link from the email again.') };
  }
  const token = typeof tokens === 'string' || tokens == null ? tokens : tokens[0];
  if (!token) return { ok: false, response: messagePage(400, 'Link incomplete', 'This renewal link has no token. Open the link from the email again.') };
  const check = verifyRenewalToken(secret, token, now);
  if (check.ok) return { ...check, token };
  switch (check.reason) {
    case 'expired':
      return { ok: false, response: messagePage(410, 'Link expired', 'This renewal link has expired. Submit a new exemption request instead.') };
    case 'bad-signature':
      return { ok: false, response: messagePage(403, 'Link not valid', 'This renewal link was not issued by exemption-broker or has been altered.') };
    default:
      return { ok: false, response: messagePage(400, 'Link damaged', 'This renewal link is damaged. Open the link from the email again.') };
  }
}
