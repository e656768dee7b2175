import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { DAY_MS } from '../lib/core/time.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { checkApprover, DecisionRefusedError } from '../lib/requests/decision-service.js';
import { REVIEW_PATH } from '../lib/requests/review-links.js';
import { signedInUser } from '../lib/web/client-principal.js';
import { csrfCookieHeader, issueCsrf } from '../lib/web/csrf.js';
import { htmlPage, messagePage } from '../lib/web/html-response.js';
import { checkReviewLink } from '../lib/web/review-link-check.js';
import { renderReviewPage } from '../lib/web/review-page.js';


/**
 * GET /api/review?token=…: shows the request and the decision form. It never changes state, because
 * mail scanners follow links; it only sets the CSRF cookie the form needs.
 */
export async function showReviewPage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const link = checkReviewLink(app.settings.review.signingKey, request.query.get('token'), app.clock.now());
  if (!link.ok) return link.response;
  try {
    const store = await app.store();
    const stored = await store.get(link.claims.requestId);
    if (!stored) return messagePage(404, 'Request not found', 'This request no longer exists.');
    const signedInAs = signedInUser(request);
    checkApprover(stored.value, link.claims, app.settings.review.fallbackApprovers, signedInAs);
    if (await store.isTokenConsumed(stored.value.id, link.claims.tokenId)) {
      return messagePage(410, 'Link already used', 'A decision was already made with this link.');
    }
    const csrf = issueCsrf(app.settings.review.signingKey, link.claims.tokenId);
    const body = renderReviewPage({
      request: stored.value,
      approver: link.claims.approver,
      token: request.query.get('token')!,
      csrfToken: csrf.formValue,
      formAction: `${app.settings.publicBaseUrl}${REVIEW_PATH}`,
      maxExpiresOn: new Date(app.clock.now().getTime() + app.settings.limits.maxExpiryDays * DAY_MS).toISOString(),
      ...(signedInAs ? { signedInAs } : {}),
    });
    return htmlPage(200, body, { 'set-cookie': csrfCookieHeader(csrf.cookieValue, app.settings.publicBaseUrl.startsWith('https://')) });
  } catch (error) {
    if (error instanceof DecisionRefusedError) return messagePage(error.status, 'Not allowed', error.message);
    context.error('review page failed', error);
    return messagePage(500, 'Something went wrong', 'The error was logged. Try the link again later.');
  }
}

defineHttpFunction({ name: 'reviewPage', route: 'review', methods: ['GET'], authLevel: 'anonymous', handler: showReviewPage });
