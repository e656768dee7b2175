import type { RequesterAssurance } from '../requests/identity.js';
import type { ExemptionRequest } from '../requests/model.js';
import { formatUtc } from './format.js';
import { portalLink } from './portal-link.js';

/**
 * The facts of a request, built once for every place a person reads them: the review page, the
 * e-mails and, next, the Teams card. Values are the request's own (user-supplied) text; each renderer
 * escapes them for its medium.
 */
export interface Fact {
  /** Stable name of the fact, for test ids and card fields. */
  readonly key: string;
  readonly label: string;
  /** Several values are shown one per line. */
  readonly value: string | readonly string[];
  /** Only ever a checked portal link or a URL we built. */
  readonly href?: string;
  /** A qualifier shown beside the value, such as how far the requester's identity was checked. */
  readonly note?: string;
}

const ASSURANCE_NOTE: Readonly<Record<RequesterAssurance, string>> = {
  authenticated: 'signed in: App Service authentication vouched for this identity',
  asserted: 'asserted by the caller: nothing verified this address',
  relay: 'forwarded by the Defender relay: the portal does not say who asked',
};

/** Requests stored before the assurance was recorded came from callers that were never verified. */
export function requesterAssurance(request: ExemptionRequest): RequesterAssurance {
  return request.requesterAssurance ?? 'asserted';
}

export function requesterNote(request: ExemptionRequest): string {
  return ASSURANCE_NOTE[requesterAssurance(request)];
}

export function requestFacts(request: ExemptionRequest): Fact[] {
  const rec = request.recommendation;
  const link = portalLink(rec.portalLink);
  return [
    { key: 'resources', label: request.targets.length > 1 ? 'Resources' : 'Resource', value: request.targets.map((t) => t.resourceId) },
    { key: 'recommendation', label: 'Recommendation', value: rec.displayName, ...(link ? { href: link } : {}) },
    ...(rec.severity ? [{ key: 'severity', label: 'Severity', value: rec.severity }] : []),
    { key: 'requestedBy', label: 'Requested by', value: request.requestedBy, note: requesterNote(request) },
    { key: 'justification', label: 'Justification', value: request.justification },
    { key: 'requested-category', label: 'Category', value: request.category },
    { key: 'requested-expiresOn', label: 'Expires', value: formatUtc(request.expiresOn) },
    ...(request.ticketRef ? [{ key: 'ticketRef', label: 'Ticket', value: request.ticketRef }] : []),
    ...(request.renewalOf ? [{ key: 'renewalOf', label: 'Renews', value: `request ${request.renewalOf.requestId} (its exemptions are extended in place)` }] : []),
  ];
}

export function decisionFacts(request: ExemptionRequest, verb: string): Fact[] {
  const decision = request.decision;
  if (!decision) return [];
  return [
    { key: 'decidedBy', label: `${verb} by`, value: decision.by },
    { key: 'decidedOn', label: `${verb} on`, value: formatUtc(decision.at) },
    ...(decision.comment ? [{ key: 'comment', label: 'Comment', value: decision.comment }] : []),
  ];
}
