import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { requestRenewal } from '../lib/requests/renewal-service.js';
import { signedInUser } from '../lib/web/client-principal.js';
import { htmlPage, messagePage } from '../lib/web/html-response.js';
import { readRenewalForm, renewalHolderRefusal } from '../lib/web/renewal-form.js';
import { renderRenewalDone, renewalRefusalPage } from '../lib/web/renewal-page.js';

/** POST /api/renew: the renewal form, guarded by the signed link and CSRF; creates the renewal request. */
export async function submitRenewalRequest(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const read = await readRenewalForm(request, { publicBaseUrl: app.settings.publicBaseUrl, signingKey: app.settings.review.signingKey }, app.clock.now());
  if (!read.ok) return read.response;
  const { claims, expiresOn, justification } = read.form;
  const holder = renewalHolderRefusal(claims, signedInUser(request, app.settings.platformAuth));
  if (holder) return holder;
  try {
    const ports = { ...(await app.ports()), warn: (m: string) => context.warn(m) };
    const result = await requestRenewal(ports, app.settings.limits, {
      requestId: claims.requestId, requestedBy: claims.recipient, credentialId: claims.tokenId, expiresOn, justification,
    });
    if (result.kind === 'refused') return renewalRefusalPage(result.reason);
    return htmlPage(200, renderRenewalDone({ renewal: result.request, renews: result.renews, created: result.kind === 'created' }));
  } catch (error) {
    context.error('renewal request failed', error);
    return messagePage(500, 'Something went wrong', 'The error was logged. Try the link again later.');
  }
}

defineHttpFunction({ name: 'renewalRequest', route: 'renew', methods: ['POST'], authLevel: 'anonymous', handler: submitRenewalRequest });
