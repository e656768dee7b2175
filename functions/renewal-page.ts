import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { latestRenewalDate, renewalAccess, suggestedRenewalDate } from '../lib/requests/renewal-service.js';
import { signedInUser } from '../lib/web/client-principal.js';
import { csrfCookieHeader, issueCsrf } from '../lib/web/csrf.js';
import { htmlPage, messagePage } from '../lib/web/html-response.js';
import { renewalHolderRefusal } from '../lib/web/renewal-form.js';
import { checkRenewalLink, RENEWAL_PATH, RENEWAL_TOKEN_PARAM } from '../lib/web/renewal-links.js';
import { renderRenewalDone, renderRenewalPage, renewalRefusalPage } from '../lib/web/renewal-page.js';

/** GET /api/renew?t=…: the request to renew and the renewal form. Changes no state: mail scanners follow links. */
export async function showRenewalPage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const { signingKey } = app.settings.review;
  const now = app.clock.now();
  const link = checkRenewalLink(signingKey, request.query.getAll(RENEWAL_TOKEN_PARAM), now);
  if (!link.ok) return link.response;
  const { claims } = link;
  const holder = renewalHolderRefusal(claims, signedInUser(request, app.settings.platformAuth));
  if (holder) return holder;
  try {
    const access = await renewalAccess(await app.store(), { requestId: claims.requestId, requestedBy: claims.recipient, credentialId: claims.tokenId });
    if (access.kind === 'refused') return renewalRefusalPage(access.reason);
    if (access.kind === 'pending') return htmlPage(200, renderRenewalDone({ renewal: access.renewal, renews: access.request, created: false }));
    const csrf = issueCsrf(signingKey, claims.tokenId);
    const body = renderRenewalPage({
      request: access.request, recipient: claims.recipient, token: link.token, csrfToken: csrf.formValue,
      formAction: `${app.settings.publicBaseUrl}${RENEWAL_PATH}`, maxJustificationLength: app.settings.limits.maxJustificationLength,
      suggestedExpiresOn: suggestedRenewalDate(access.request, now, app.settings.limits),
      minExpiresOn: now.toISOString().slice(0, 10), maxExpiresOn: latestRenewalDate(now, app.settings.limits.maxExpiryDays),
    });
    return htmlPage(200, body, { 'set-cookie': csrfCookieHeader(csrf.cookieValue, app.settings.publicBaseUrl.startsWith('https://'), RENEWAL_PATH) });
  } catch (error) {
    context.error('renewal page failed', error);
    return messagePage(500, 'Something went wrong', 'The error was logged. Try the link again later.');
  }
}

defineHttpFunction({ name: 'renewalPage', route: 'renew', methods: ['GET'], authLevel: 'anonymous', handler: showRenewalPage });
