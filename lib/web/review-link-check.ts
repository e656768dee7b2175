import type { HttpResponseInit } from '@azure/functions';
import type { ReviewClaims } from './review-token.js';
import { verifyReviewToken } from './review-token.js';
import { messagePage } from './html-response.js';

/** Verifies a review token and turns each failure into the page that explains it. */
export function checkReviewLink(secret: string, tokens: string | null | undefined | readonly string[], now: Date):
  { ok: true; claims: ReviewClaims } | { ok: false; response: HttpResponseInit } {
  // A link with two tokens is not one we sent; choosing either would be a guess.
  if (Array.isArray(tokens) && tokens.length > 1) {
    return { ok: false, response: messagePage(400, 'Link damaged', 'This review link carries more than one token. Open the link from the email again.') };
  }
  const token = typeof tokens === 'string' || tokens == null ? tokens : tokens[0];
  if (!token) return { ok: false, response: messagePage(400, 'Link incomplete', 'This review link has no token. Open the link from the email again.') };
  const check = verifyReviewToken(secret, token, now);
  if (check.ok) return check;
  switch (check.reason) {
    case 'expired':
      return { ok: false, response: messagePage(410, 'Link expired', 'This review link has expired. Ask for the request to be sent again.') };
    case 'bad-signature':
      return { ok: false, response: messagePage(403, 'Link not valid', 'This review link was not issued by exemption-broker or has been altered.') };
    default:
      return { ok: false, response: messagePage(400, 'Link damaged', 'This review link is damaged. Open the link from the email again.') };
  }
}
