import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { CSRF_COOKIE, readCookie, verifyCsrf } from './csrf.js';
import { messagePage } from './html-response.js';
import { readFormBody } from './read-form-body.js';

const MAX_FORM_BYTES = 16_384;

type LinkCheck<C> = { ok: true; claims: C } | { ok: false; response: HttpResponseInit };

export interface SignedFormPage<C extends { readonly tokenId: string }> {
  /** Which mailed link the form belongs to, as the refusals name it: "review", "renewal". */
  readonly link: string;
  /** The refusal for a post from another origin. */
  readonly elsewhere: string;
  /** Checks the signed link the form carries. */
  readonly check: (fields: URLSearchParams, now: Date) => LinkCheck<C>;
}

/**
 * A form posted from one of our signed pages: from our own origin, small, carrying a valid signed link,
 * and the CSRF value bound to that link's token. Each page then reads its own fields from `fields`.
 */
export async function readSignedForm<C extends { readonly tokenId: string }>(
  request: HttpRequest,
  settings: { publicBaseUrl: string; signingKey: string },
  now: Date,
  page: SignedFormPage<C>,
): Promise<{ ok: true; fields: URLSearchParams; claims: C } | { ok: false; response: HttpResponseInit }> {
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null' && origin !== new URL(settings.publicBaseUrl).origin) {
    return { ok: false, response: messagePage(403, 'Not allowed', page.elsewhere) };
  }
  const body = await readFormBody(request, MAX_FORM_BYTES);
  if (!body.ok) return body;
  const fields = body.form;
  const link = page.check(fields, now);
  if (!link.ok) return link;
  const cookie = readCookie(request.headers.get('cookie'), CSRF_COOKIE);
  if (!verifyCsrf(settings.signingKey, link.claims.tokenId, cookie, fields.get('csrf') ?? undefined)) {
    return { ok: false, response: messagePage(403, 'Form expired', `Open the ${page.link} link from the email again and resubmit the form.`) };
  }
  return { ok: true, fields, claims: link.claims };
}
