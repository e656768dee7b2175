import type { ExemptionRequest } from '../requests/model.js';
import { formatUtc } from '../render/format.js';
import { decisionFacts, requestFacts, type Fact } from '../render/request-facts.js';
import { buildEmail, requestFooter, subjectFor, type EmailContent } from './email-content.js';

/**
 * The sweep's emails about one request (expiring, expired, revoked, removed) and a plain run digest.
 * Same discipline as email-content.ts: everything from a request or from ARM is user-supplied, so it is
 * escaped in HTML and flattened to one line in subjects.
 */

function exemptionFacts(request: ExemptionRequest): Fact[] {
  return [
    ...requestFacts(request),
    ...decisionFacts(request, 'Approved'),
    { key: 'exemptions', label: 'Exemptions', value: request.exemptions.length ? request.exemptions.map((e) => e.id) : ['none'] },
    { key: 'request', label: 'Request', value: request.id },
  ];
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/** To the requester or the approver: the exemption expires soon, with their own renewal link. */
export function expiringEmail(request: ExemptionRequest, notice: { readonly expiresOn: string; readonly thresholdDays: number }, renewUrl: string): EmailContent {
  return buildEmail({
    subject: subjectFor(`Exemption expires within ${days(notice.thresholdDays)}`, request),
    heading: 'An exemption expires soon',
    intro: `The exemption expires on ${formatUtc(notice.expiresOn)}. After that the recommendation applies again and the resource shows as unhealthy.`,
    facts: exemptionFacts(request),
    action: { label: 'Ask for a renewal', url: renewUrl },
    next: [
      'A renewal is a new request for the same resources: the approvers review it like any other, and on approval the existing exemptions are extended. Nobody approves a renewal they asked for.',
      'If the exemption is no longer needed, do nothing: it simply expires. The link is personal, single-use and expires.',
    ],
    footer: requestFooter(request),
  });
}

/** To requester and approver: Azure no longer honours the exemption. */
export function expiredEmail(request: ExemptionRequest): EmailContent {
  return buildEmail({
    subject: subjectFor('Exemption expired', request),
    heading: 'An exemption has expired',
    intro: `The exemption expired on ${formatUtc(request.expiresOn)}. Azure Policy no longer honours it, so the recommendation applies again.`,
    facts: exemptionFacts(request),
    next: ['Remediate the recommendation, or submit a new exemption request if it is still needed.'],
    footer: requestFooter(request),
  });
}

/** To requester and approver: the exemption was deleted outside the workflow. */
export function revokedEmail(request: ExemptionRequest, detail: string): EmailContent {
  return buildEmail({
    subject: subjectFor('Exemption deleted out of band', request),
    heading: 'An exemption was deleted outside exemption-broker',
    intro: 'The nightly sweep found that an exemption created through this request no longer exists in Azure. The request is now "revoked".',
    facts: [...exemptionFacts(request), { key: 'detail', label: 'What the sweep found', value: detail }],
    next: ['If the exemption is still needed, submit a new request. If nobody on your side deleted it, check the activity log of the resource.'],
    footer: requestFooter(request),
  });
}

/** To requester and approver: the sweep deleted an exemption that expired long ago. */
export function removedEmail(request: ExemptionRequest): EmailContent {
  return buildEmail({
    subject: subjectFor('Expired exemption removed', request),
    heading: 'An expired exemption was removed',
    intro: `The exemption expired on ${formatUtc(request.expiresOn)} and has now been deleted by the sweep, as the app's settings ask.`,
    facts: exemptionFacts(request),
    next: ['Nothing changes for the resource: the exemption was no longer honoured. The request and its audit trail are kept.'],
    footer: requestFooter(request),
  });
}

