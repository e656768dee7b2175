/**
 * The recommendation's portal link comes from the event payload, i.e. from whoever can post to our intake,
 * so it is only put in an email or on the review page when it points at the Azure portal over https.
 * Defender's `azurePortalUri` is often host-first (`portal.azure.com/#blade/…`), hence the scheme repair.
 */

const PORTAL_HOST = 'portal.azure.com';

/** A scheme such as `javascript:` or `data:`; a host followed by a port (`host:443/…`) is not one. */
const FOREIGN_SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d)/i;

export function portalLink(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  let candidate: string;
  if (/^https:\/\//i.test(trimmed)) candidate = trimmed;
  else if (trimmed.startsWith('//')) candidate = `https:${trimmed}`;
  else if (FOREIGN_SCHEME.test(trimmed) || trimmed.startsWith('/')) return undefined;
  else candidate = `https://${trimmed}`;

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const isPortal = host === PORTAL_HOST || host.endsWith(`.${PORTAL_HOST}`);
  // Credentials or an explicit port have no business in a portal link and are classic phishing disguises.
  if (url.protocol !== 'https:' || !isPortal || url.username || url.password || url.port) return undefined;
  return url.href;
}
