import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { latestExpiry } from '../lib/requests/lifecycle.js';
import { signedInUser } from '../lib/web/client-principal.js';
import { csrfCookieHeader, issueCsrf } from '../lib/web/csrf.js';
import { htmlPage, messagePage } from '../lib/web/html-response.js';
import { refusalPage, reviewAccess } from '../lib/web/review-access.js';
import { checkReviewLink } from '../lib/web/review-link-check.js';
import { REVIEW_PATH } from '../lib/web/review-links.js';
import { renderReviewPage } from '../lib/web/review-page.js';

/**
 * GET /api/review?token=…: shows the request and the decision form. It never changes state, because
 * mail scanners follow links; it only sets the CSRF cookie the form needs.
 */
export async function showReviewPage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const link = checkReviewLink(app.settings.review.signingKey, request.query.getAll('token'), app.clock.now());
  if (!link.ok) return link.response;
  const signedInAs = signedInUser(request, app.settings.platformAuth);
  try {
    const access = await reviewAccess(await app.store(), link.claims, signedInAs, app.settings.review.fallbackApprovers);
    if (!access.ok) return refusalPage(access.refusal, 'Not allowed');
    const csrf = issueCsrf(app.settings.review.signingKey, link.claims.tokenId);
    const body = renderReviewPage({
      request: access.request, approver: link.claims.approver, token: request.query.get('token')!, csrfToken: csrf.formValue,
      formAction: `${app.settings.publicBaseUrl}${REVIEW_PATH}`,
      maxExpiresOn: latestExpiry(app.clock.now(), app.settings.limits.maxExpiryDays).toISOString(),
      ...(signedInAs ? { signedInAs } : {}),
    });
    return htmlPage(200, body, { 'set-cookie': csrfCookieHeader(csrf.cookieValue, app.settings.publicBaseUrl.startsWith('https://')) });
  } catch (error) {
    context.error('review page failed', error);
    return messagePage(500, 'Something went wrong', 'The error was logged. Try the link again later.');
  }
}

defineHttpFunction({ name: 'reviewPage', route: 'review', methods: ['GET'], authLevel: 'anonymous', handler: showReviewPage });
