import type { AuditEntry, ExemptionRequest } from './model.js';

export const REQUESTS_ROUTE = 'exemption-requests';

export function statusUrl(publicBaseUrl: string, id: string): string {
  return `${publicBaseUrl}/api/${REQUESTS_ROUTE}/${encodeURIComponent(id)}`;
}

/** The API's view of a request: internal bookkeeping (the dedupe and burst keys) stays inside. */
export function requestView(request: ExemptionRequest, publicBaseUrl: string, auditTrail?: readonly AuditEntry[]) {
  const { dedupeKey: _internal, burst, ...visible } = request;
  return {
    ...visible,
    ...(burst ? { burst: { closesAt: burst.closesAt, ...(burst.sealedAt === undefined ? {} : { sealedAt: burst.sealedAt }) } } : {}),
    statusUrl: statusUrl(publicBaseUrl, request.id),
    ...(auditTrail ? { auditTrail } : {}),
  };
}
