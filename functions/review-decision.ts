import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { decide, DecisionRefusedError } from '../lib/requests/decision-service.js';
import { EXEMPTION_CATEGORIES, type ExemptionCategory } from '../lib/requests/model.js';
import { signedInUser } from '../lib/web/client-principal.js';
import { CSRF_COOKIE, readCookie, verifyCsrf } from '../lib/web/csrf.js';
import { htmlPage, messagePage } from '../lib/web/html-response.js';
import { readFormBody } from '../lib/web/read-form-body.js';
import { checkReviewLink } from '../lib/web/review-link-check.js';
import { renderDecisionDone } from '../lib/web/review-page.js';

const MAX_FORM_BYTES = 16_384;

/** POST /api/review: the review form's approve or reject, guarded by the signed token and CSRF. */
export async function submitReviewDecision(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null' && origin !== new URL(app.settings.publicBaseUrl).origin) {
    return messagePage(403, 'Not allowed', 'Decisions can only be sent from the review page itself.');
  }
  const body = await readFormBody(request, MAX_FORM_BYTES);
  if (!body.ok) return body.response;
  const form = body.form;
  const link = checkReviewLink(app.settings.review.signingKey, form.get('token'), app.clock.now());
  if (!link.ok) return link.response;
  const cookie = readCookie(request.headers.get('cookie'), CSRF_COOKIE);
  if (!verifyCsrf(app.settings.review.signingKey, link.claims.tokenId, cookie, form.get('csrf') ?? undefined)) {
    return messagePage(403, 'Form expired', 'Open the review link from the email again and resubmit the form.');
  }
  const decision = form.get('decision');
  if (decision !== 'approve' && decision !== 'reject') return messagePage(400, 'No decision', 'Choose Approve or Reject.');
  const category = form.get('category') ?? undefined;
  if (category !== undefined && !EXEMPTION_CATEGORIES.includes(category as ExemptionCategory)) {
    return messagePage(400, 'Unknown category', 'The category must be Waiver or Mitigated.');
  }
  const signedInAs = signedInUser(request);
  try {
    const ports = { clock: app.clock, store: await app.store(), mailer: await app.mailer(), applyQueue: await app.applyQueue(), warn: (m: string) => context.warn(m) };
    const decided = await decide(ports, { fallbackApprovers: app.settings.review.fallbackApprovers, maxExpiryDays: app.settings.limits.maxExpiryDays }, {
      claims: link.claims,
      outcome: decision,
      ...(category ? { category: category as ExemptionCategory } : {}),
      ...(form.get('expiresOn') ? { expiresOn: form.get('expiresOn')! } : {}),
      ...(form.get('comment') ? { comment: form.get('comment')! } : {}),
      ...(signedInAs ? { signedInAs } : {}),
    });
    return htmlPage(200, renderDecisionDone({ request: decided, outcome: decision === 'approve' ? 'approved' : 'rejected', by: link.claims.approver }));
  } catch (error) {
    if (error instanceof DecisionRefusedError) return messagePage(error.status, 'Decision not recorded', error.message);
    context.error('review decision failed', error);
    return messagePage(500, 'Something went wrong', 'The error was logged; nothing was decided. Try again later.');
  }
}

defineHttpFunction({ name: 'reviewDecision', route: 'review', methods: ['POST'], authLevel: 'anonymous', handler: submitReviewDecision });
