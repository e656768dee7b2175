import { issuePersonalToken, openPersonalToken } from './personal-token.js';

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

export function issueReviewToken(secret: string, input: { requestId: string; approver: string; expiresAt: Date }): string {
  return issuePersonalToken(secret, 'review-token', { requestId: input.requestId, person: input.approver, expiresAt: input.expiresAt });
}

export function verifyReviewToken(secret: string, token: string, now: Date): TokenCheck {
  const check = openPersonalToken(secret, 'review-token', token, now);
  if (!check.ok) return check;
  const { person, ...claims } = check.claims;
  return { ok: true, claims: { ...claims, approver: person } };
}
