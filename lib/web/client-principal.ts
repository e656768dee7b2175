import type { HttpRequest } from '@azure/functions';

const IDENTITY_CLAIMS = [
  'preferred_username', 'email', 'upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];

/**
 * The signed-in person when App Service authentication fronts the app. The platform strips these
 * headers from incoming requests and sets them itself, but only while its authentication is on; with it
 * off, anyone can send them. So they are read only when `platformAuth` (App Service's own
 * WEBSITE_AUTH_ENABLED flag) says the platform put them there. A principal without an e-mail-like name
 * (a service principal, a managed identity) names no person and yields undefined.
 */
export function signedInUser(request: HttpRequest, platformAuth: boolean): string | undefined {
  if (!platformAuth) return undefined;
  const name = request.headers.get('x-ms-client-principal-name')?.trim();
  if (name) return personName(name);
  const encoded = request.headers.get('x-ms-client-principal');
  if (!encoded) return undefined;
  try {
    const principal = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { claims?: { typ?: string; val?: string }[] };
    const claim = principal.claims?.find((c) => c.typ && IDENTITY_CLAIMS.includes(c.typ) && c.val);
    return claim?.val ? personName(claim.val) : undefined;
  } catch {
    return undefined;
  }
}

function personName(value: string): string | undefined {
  const name = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(name) ? name : undefined;
}
