import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { decide } from '../lib/requests/decision-service.js';
import { signedInUser } from '../lib/web/client-principal.js';
import { htmlPage, messagePage } from '../lib/web/html-response.js';
import { linkHolderRefusal, refusalPage } from '../lib/web/review-access.js';
import { readReviewForm } from '../lib/web/review-form.js';
import { renderDecisionDone } from '../lib/web/review-page.js';

/** POST /api/review: the review form's approve or reject, guarded by the signed token and CSRF. */
export async function submitReviewDecision(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const read = await readReviewForm(request, { publicBaseUrl: app.settings.publicBaseUrl, signingKey: app.settings.review.signingKey }, app.clock.now());
  if (!read.ok) return read.response;
  const { claims, ...choice } = read.form;
  const holder = linkHolderRefusal(claims, signedInUser(request, app.settings.platformAuth));
  if (holder) return refusalPage(holder);
  try {
    const ports = { ...(await app.ports()), warn: (m: string) => context.warn(m) };
    const result = await decide(ports, { fallbackApprovers: app.settings.review.fallbackApprovers, maxExpiryDays: app.settings.limits.maxExpiryDays }, {
      requestId: claims.requestId, approver: claims.approver, channel: 'review-page', credentialId: claims.tokenId, ...choice,
    });
    if (result.kind === 'refused') return refusalPage(result.reason);
    return htmlPage(200, renderDecisionDone({ request: result.request, by: claims.approver, applyQueued: result.applyQueued }));
  } catch (error) {
    context.error('review decision failed', error);
    return messagePage(500, 'Something went wrong', 'The error was logged; nothing was decided. Try again later.');
  }
}

defineHttpFunction({ name: 'reviewDecision', route: 'review', methods: ['POST'], authLevel: 'anonymous', handler: submitReviewDecision });
