import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { sameIdentity } from '../requests/identity.js';
import { CSRF_COOKIE, readCookie, verifyCsrf } from './csrf.js';
import { messagePage } from './html-response.js';
import { readFormBody } from './read-form-body.js';
import { checkRenewalLink, RENEWAL_TOKEN_PARAM, type RenewalClaims } from './renewal-links.js';
import { renewalRefusalPage } from './renewal-page.js';

const MAX_FORM_BYTES = 16_384;

export interface RenewalForm {
  readonly claims: RenewalClaims;
  readonly expiresOn: string;
  readonly justification: string;
}

/**
 * A renewal link is personal: when App Service authentication says who is at the keyboard, that person
 * must be the one the link was mailed to.
 */
export function renewalHolderRefusal(claims: RenewalClaims, signedInAs: string | undefined): HttpResponseInit | undefined {
  if (signedInAs === undefined || sameIdentity(signedInAs, claims.recipient)) return undefined;
  return renewalRefusalPage({ code: 'someone-elses-link', signedInAs, recipient: claims.recipient });
}

/**
 * The renewal form as posted: from our own page (Origin), small, with a valid signed link and the CSRF
 * value bound to it. The fields themselves are checked by the use case, like intake's.
 */
export async function readRenewalForm(
  request: HttpRequest,
  settings: { publicBaseUrl: string; signingKey: string },
  now: Date,
): Promise<{ ok: true; form: RenewalForm } | { ok: false; response: HttpResponseInit }> {
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null' && origin !== new URL(settings.publicBaseUrl).origin) {
    return { ok: false, response: messagePage(403, 'Not allowed', 'A renewal can only be asked for from the renewal page itself.') };
  }
  const body = await readFormBody(request, MAX_FORM_BYTES);
  if (!body.ok) return body;
  const fields = body.form;
  const link = checkRenewalLink(settings.signingKey, fields.getAll(RENEWAL_TOKEN_PARAM), now);
  if (!link.ok) return link;
  const cookie = readCookie(request.headers.get('cookie'), CSRF_COOKIE);
  if (!verifyCsrf(settings.signingKey, link.claims.tokenId, cookie, fields.get('csrf') ?? undefined)) {
    return { ok: false, response: messagePage(403, 'Form expired', 'Open the renewal link from the email again and resubmit the form.') };
  }
  if (fields.getAll('expiresOn').length > 1 || fields.getAll('justification').length > 1) {
    return { ok: false, response: messagePage(400, 'Form damaged', 'Each field may be sent once.') };
  }
  return { ok: true, form: { claims: link.claims, expiresOn: fields.get('expiresOn') ?? '', justification: fields.get('justification') ?? '' } };
}
