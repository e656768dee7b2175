import {
  createdExemptionLine, decisionFacts, EXEMPTIONS_FACT, mechanismsOf, requestFacts, type Fact,
} from '../render/request-facts.js';
import { formatUtc } from '../render/format.js';
import type { ExemptionRequest } from '../requests/model.js';
import type { RequestEventMessage } from '../notify/request-event.js';

/** The state change a note reports; also the key of the mapping's optional ticket transition. */
export const NOTE_KINDS = ['notified', 'approved', 'rejected', 'applied', 'failed', 'expiring', 'expired', 'revoked', 'removed'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export interface TicketNote {
  readonly kind: NoteKind;
  /** Which note this is, for "write each note once": a repeated event maps to the same marker. */
  readonly marker: string;
  readonly heading: string;
  readonly lines: readonly string[];
}

/**
 * The note for an event, from the request as it is now; undefined when the event no longer describes
 * the request (a `decided` event for a request that is not decided).
 */
export function noteFor(request: ExemptionRequest, message: RequestEventMessage, publicBaseUrl: string): TicketNote | undefined {
  const status = `${publicBaseUrl}/api/exemption-requests/${request.id}`;
  // Each exemption on its own line (a bullet in Jira): joined with commas they would run into their reference ids.
  const facts = (list: readonly Fact[]) => list.flatMap((f) => (typeof f.value === 'string' ? [`${f.label}: ${f.value}`]
    : f.key === EXEMPTIONS_FACT ? f.value.map((v) => `${f.label}: ${v}`) : [`${f.label}: ${f.value.join(', ')}`]));
  switch (message.event) {
    case 'notified':
      return {
        kind: 'notified', marker: 'notified', heading: `Exemption request ${request.id} is waiting for a security approver.`,
        lines: [...facts(requestFacts(request)), `Approvers: ${request.approvers.join(', ') || '(fallback approvers)'}`, `Status: ${status}`],
      };
    case 'decided': {
      const outcome = request.decision?.outcome;
      if (!outcome) return undefined;
      const verb = outcome === 'approved' ? 'Approved' : 'Rejected';
      return { kind: outcome, marker: 'decided', heading: `Exemption request ${request.id} was ${outcome}.`, lines: facts(decisionFacts(request, verb)) };
    }
    case 'applied':
      return {
        kind: 'applied', marker: 'applied', heading: `The ${kindsOf(request)} for request ${request.id} were created; they expire ${formatUtc(request.expiresOn)}.`,
        lines: request.exemptions.map((e) => `Exemption: ${createdExemptionLine(e)}`),
      };
    case 'failed': {
      const error = request.lastError;
      return {
        kind: 'failed', marker: `failed-${request.updatedAt}`, heading: `Creating the exemptions for request ${request.id} failed; the approval stands and the app retries.`,
        lines: error ? [`Azure answered ${error.status} ${error.code}: ${error.message}`] : [],
      };
    }
    case 'expiring':
      return {
        kind: 'expiring', marker: `expiring-${message.thresholdDays ?? 0}`, heading: `The exemptions of request ${request.id} expire ${formatUtc(request.expiresOn)} (in ${message.thresholdDays ?? '?'} days or less).`,
        lines: ['The requester was sent a renewal link.'],
      };
    case 'expired':
      return { kind: 'expired', marker: 'expired', heading: `The exemptions of request ${request.id} expired ${formatUtc(request.expiresOn)}.`, lines: [] };
    case 'revoked':
      return { kind: 'revoked', marker: 'revoked', heading: `The exemptions of request ${request.id} were changed or removed outside the app.`, lines: message.detail ? [message.detail] : [] };
    case 'removed':
      return { kind: 'removed', marker: 'removed', heading: `The expired exemptions of request ${request.id} were deleted.`, lines: [] };
  }
}

/** Requests without standards keep the wording they always had. */
function kindsOf(request: ExemptionRequest): string {
  const mechanisms = mechanismsOf(request);
  if (!mechanisms.includes('standard')) return 'policy exemptions';
  return mechanisms.includes('policy') ? 'policy exemptions and Defender standard-assignment exemptions' : 'Defender standard-assignment exemptions';
}
