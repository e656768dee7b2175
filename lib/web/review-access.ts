import type { HttpResponseInit } from '@azure/functions';
import { sameIdentity } from '../requests/identity.js';
import { standing, type Refusal } from '../requests/decision-service.js';
import type { ExemptionRequest } from '../requests/model.js';
import type { RequestStore } from '../requests/ports/store.js';
import { messagePage } from './html-response.js';
import type { ReviewClaims } from './review-token.js';

/** What the review page itself refuses, besides `decide`'s own reasons. */
export type ReviewRefusal = Refusal | { readonly code: 'someone-elses-link'; readonly signedInAs: string; readonly approver: string };

/**
 * A review link is personal. When App Service authentication says who is at the keyboard, that person
 * must be the one the link was issued to: so a requester who is signed in can never decide, whatever
 * link they hold (their own never exists; anyone else's fails here).
 */
export function linkHolderRefusal(claims: ReviewClaims, signedInAs: string | undefined): ReviewRefusal | undefined {
  if (signedInAs === undefined || sameIdentity(signedInAs, claims.approver)) return undefined;
  return { code: 'someone-elses-link', signedInAs, approver: claims.approver };
}

/**
 * Whether the holder of a review link may see the decision form: the link is theirs, they may decide
 * on this request, and the link has not been used. Asks the same rules as `decide`, before any form.
 */
export async function reviewAccess(
  store: Pick<RequestStore, 'get' | 'isTokenConsumed'>,
  claims: ReviewClaims,
  signedInAs: string | undefined,
  fallbackApprovers: readonly string[],
): Promise<{ ok: true; request: ExemptionRequest } | { ok: false; refusal: ReviewRefusal }> {
  const stored = await store.get(claims.requestId);
  if (!stored) return { ok: false, refusal: { code: 'not-found' } };
  const refusal = linkHolderRefusal(claims, signedInAs) ?? standing(stored.value, claims.approver, fallbackApprovers)
    ?? (await store.isTokenConsumed(stored.value.id, claims.tokenId) ? { code: 'credential-used' as const } : undefined);
  return refusal ? { ok: false, refusal } : { ok: true, request: stored.value };
}

/** The page that explains a refusal, with the status that says what kind it is. */
export function refusalPage(refusal: ReviewRefusal, title = 'Decision not recorded'): HttpResponseInit {
  switch (refusal.code) {
    case 'not-found':
      return messagePage(404, 'Request not found', 'This request no longer exists.');
    case 'own-request':
      return messagePage(403, title, 'Nobody may decide on their own request.');
    case 'not-an-approver':
      return messagePage(403, title, `${refusal.approver} is not an approver of this request.`);
    case 'someone-elses-link':
      return messagePage(403, title, `You are signed in as ${refusal.signedInAs}, but this link was issued to ${refusal.approver}. Only they can use it.`);
    case 'credential-used':
      return messagePage(410, 'Link already used', 'This review link has already been used: a decision was made with it.');
    case 'not-decidable':
      return messagePage(409, title, `This request is already ${refusal.state}; it can no longer be decided.`);
    case 'changed-since-review':
      return messagePage(409, title, 'This request changed after you opened it. Open the link from the email again and review it anew.');
    case 'invalid':
      return messagePage(400, title, refusal.message);
  }
}
