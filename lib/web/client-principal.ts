import type { HttpRequest } from '@azure/functions';

/**
 * The signed-in user when App Service authentication fronts the app. The platform strips these headers
 * from incoming requests and sets them itself, so they can be trusted when authentication is enabled.
 */
export function signedInUser(request: HttpRequest): string | undefined {
  const name = request.headers.get('x-ms-client-principal-name');
  if (name?.trim()) return name.trim().toLowerCase();
  const encoded = request.headers.get('x-ms-client-principal');
  if (!encoded) return undefined;
  try {
    const principal = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { claims?: { typ?: string; val?: string }[] };
    const wanted = ['preferred_username', 'email', 'upn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];
    const claim = principal.claims?.find((c) => c.typ && wanted.includes(c.typ) && c.val);
    return claim?.val?.trim().toLowerCase();
  } catch {
    return undefined;
  }
}
