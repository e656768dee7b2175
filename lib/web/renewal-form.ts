import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { sameIdentity } from '../requests/identity.js';
import { messagePage } from './html-response.js';
import { checkRenewalLink, RENEWAL_TOKEN_PARAM, type RenewalClaims } from './renewal-links.js';
import { renewalRefusalPage } from './renewal-page.js';
import { readSignedForm } from './signed-form.js';

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
  const signed = await readSignedForm(request, settings, now, {
    link: 'renewal',
    elsewhere: 'A renewal can only be asked for from the renewal page itself.',
    check: (fields, at) => checkRenewalLink(settings.signingKey, fields.getAll(RENEWAL_TOKEN_PARAM), at),
  });
  if (!signed.ok) return signed;
  const { fields, claims } = signed;
  if (fields.getAll('expiresOn').length > 1 || fields.getAll('justification').length > 1) {
    return { ok: false, response: messagePage(400, 'Form damaged', 'Each field may be sent once.') };
  }
  return { ok: true, form: { claims, expiresOn: fields.get('expiresOn') ?? '', justification: fields.get('justification') ?? '' } };
}
