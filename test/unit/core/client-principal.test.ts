import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { signedInUser } from '../../../lib/web/client-principal.js';

function request(headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({ method: 'GET', url: 'http://localhost/api/review', headers });
}

function principal(claims: { typ: string; val: string }[]): string {
  return Buffer.from(JSON.stringify({ auth_typ: 'aad', claims, name_typ: 'name', role_typ: 'roles' })).toString('base64');
}

/** With App Service authentication on, as WEBSITE_AUTH_ENABLED says. */
const signedIn = (r: HttpRequest) => signedInUser(r, true);

describe('signedInUser', () => {
  it('ignores every principal header while App Service authentication is off, since anyone can send them then', () => {
    const encoded = principal([{ typ: 'upn', val: 'approver@contoso.com' }]);
    const forged = request({ 'x-ms-client-principal-name': 'approver@contoso.com', 'x-ms-client-principal': encoded });
    expect(signedInUser(forged, false)).toBeUndefined();
    expect(signedInUser(forged, true)).toBe('approver@contoso.com');
  });

  it('names no person for a service principal or managed identity (no e-mail-like name)', () => {
    expect(signedIn(request({ 'x-ms-client-principal-name': '6f1c2b7e-0000-4000-8000-000000000001' }))).toBeUndefined();
    expect(signedIn(request({ 'x-ms-client-principal': principal([{ typ: 'upn', val: 'not an address' }]) }))).toBeUndefined();
  });

  it('reads x-ms-client-principal-name, trimmed and lower-cased', () => {
    expect(signedIn(request({ 'x-ms-client-principal-name': '  Approver@Contoso.com ' }))).toBe('approver@contoso.com');
  });

  it.each([
    'preferred_username',
    'upn',
    'email',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  ])('reads the %s claim of x-ms-client-principal', (typ) => {
    const encoded = principal([{ typ: 'name', val: 'Approver Person' }, { typ, val: 'Approver@Contoso.com' }]);
    expect(signedIn(request({ 'x-ms-client-principal': encoded }))).toBe('approver@contoso.com');
  });

  it('prefers the principal-name header over the encoded principal', () => {
    const encoded = principal([{ typ: 'preferred_username', val: 'other@contoso.com' }]);
    expect(signedIn(request({ 'x-ms-client-principal-name': 'approver@contoso.com', 'x-ms-client-principal': encoded })))
      .toBe('approver@contoso.com');
  });

  it('falls back to the encoded principal when the name header is blank', () => {
    const encoded = principal([{ typ: 'upn', val: 'approver@contoso.com' }]);
    expect(signedIn(request({ 'x-ms-client-principal-name': '   ', 'x-ms-client-principal': encoded }))).toBe('approver@contoso.com');
  });

  it('returns undefined when the principal carries no usable claim', () => {
    expect(signedIn(request({ 'x-ms-client-principal': principal([{ typ: 'name', val: 'Approver Person' }]) }))).toBeUndefined();
    expect(signedIn(request({ 'x-ms-client-principal': principal([{ typ: 'upn', val: '' }]) }))).toBeUndefined();
    expect(signedIn(request({ 'x-ms-client-principal': Buffer.from('{}').toString('base64') }))).toBeUndefined();
  });

  it.each([
    ['text that is not base64 JSON', 'garbage!!'],
    ['base64 of text that is not JSON', Buffer.from('not json').toString('base64')],
    ['base64 of JSON null', Buffer.from('null').toString('base64')],
    ['base64 of claims that are not a list', Buffer.from('{"claims":"upn"}').toString('base64')],
  ])('returns undefined for %s', (_label, value) => {
    expect(signedIn(request({ 'x-ms-client-principal': value }))).toBeUndefined();
  });

  it('returns undefined without authentication headers', () => {
    expect(signedIn(request())).toBeUndefined();
  });
});
