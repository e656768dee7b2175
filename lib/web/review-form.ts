import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { EXEMPTION_CATEGORIES, type ExemptionCategory } from '../requests/model.js';
import { messagePage } from './html-response.js';
import { checkReviewLink } from './review-link-check.js';
import type { ReviewClaims } from './review-token.js';
import { readSignedForm } from './signed-form.js';

export interface ReviewForm {
  readonly claims: ReviewClaims;
  readonly outcome: 'approve' | 'reject';
  readonly category?: ExemptionCategory;
  readonly expiresOn?: string;
  readonly comment?: string;
  /** The digest of the targets the page showed, so that exactly those are approved. */
  readonly reviewed: string;
}

/**
 * The review form as posted: from our own page (Origin), small, with a valid signed link and the CSRF
 * value bound to it, and a known decision and category. Anything else is answered with a page.
 */
export async function readReviewForm(
  request: HttpRequest,
  settings: { publicBaseUrl: string; signingKey: string },
  now: Date,
): Promise<{ ok: true; form: ReviewForm } | { ok: false; response: HttpResponseInit }> {
  const signed = await readSignedForm(request, settings, now, {
    link: 'review',
    elsewhere: 'Decisions can only be sent from the review page itself.',
    check: (fields, at) => checkReviewLink(settings.signingKey, fields.get('token'), at),
  });
  if (!signed.ok) return signed;
  const { fields, claims } = signed;
  const outcome = fields.get('decision');
  if (outcome !== 'approve' && outcome !== 'reject') return { ok: false, response: messagePage(400, 'No decision', 'Choose Approve or Reject.') };
  const category = fields.get('category') || undefined;
  if (category !== undefined && !EXEMPTION_CATEGORIES.includes(category as ExemptionCategory)) {
    return { ok: false, response: messagePage(400, 'Unknown category', 'The category must be Waiver or Mitigated.') };
  }
  const reviewed = fields.get('reviewed');
  if (!reviewed || !/^[0-9a-f]{64}$/.test(reviewed)) {
    return { ok: false, response: messagePage(400, 'Form incomplete', 'Open the review link from the email again and resubmit the form.') };
  }
  const expiresOn = fields.get('expiresOn') || undefined;
  const comment = fields.get('comment') || undefined;
  return {
    ok: true,
    form: {
      claims, outcome, reviewed,
      ...(category ? { category: category as ExemptionCategory } : {}),
      ...(expiresOn ? { expiresOn } : {}),
      ...(comment ? { comment } : {}),
    },
  };
}
