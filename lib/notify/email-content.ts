import type { ExemptionRequest } from '../requests/model.js';
import { formatUtc, resourceName, singleLine } from '../render/format.js';
import {
  createdExemptionLine, decisionFacts, mechanismsOf, requestFacts, requesterNote, targetExemptions, type Fact,
} from '../render/request-facts.js';
import { html, render, type SafeHtml } from '../web/html.js';

/**
 * The four emails of a request's life. Each is built from one list of facts rendered twice (HTML and
 * plain text) so the two parts never disagree. Everything from the request is user-supplied: it is
 * escaped in HTML and flattened to one line in subjects.
 */
export interface EmailContent {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** An email before rendering; other content modules (sweep notices) build theirs through `buildEmail`. */
export interface Email {
  readonly subject: string;
  readonly heading: string;
  readonly intro: string;
  readonly facts: readonly (Fact | undefined)[];
  readonly action?: { readonly label: string; readonly url: string };
  /** Closing paragraphs: what happens next, what to do. */
  readonly next: readonly string[];
  readonly footer: string;
}

const PREFIX = '[exemption-broker]';

export function subjectFor(kind: string, request: ExemptionRequest): string {
  // A whole resource group or subscription is named first and said as such: the inbox is where it is first seen.
  const scopes = targetExemptions(request).map((t) => t.scope);
  const first = scopes.find((s) => s.kind !== 'resource') ?? scopes[0];
  const more = request.targets.length > 1 ? ` and ${request.targets.length - 1} more` : '';
  const wide = first && first.kind !== 'resource' ? ` (${first.label})` : '';
  const target = first === undefined ? '' : ` on ${singleLine(resourceName(first.id), 80)}${wide}${more}`;
  return `${PREFIX} ${kind}: ${singleLine(request.recommendation.displayName, 120)}${target}`;
}

/** "a resource", "3 resources", "the whole resource group rg-app (12 resources today) and 2 resources". */
function whatIsExempted(request: ExemptionRequest): string {
  const targets = targetExemptions(request);
  const resources = targets.filter((t) => t.scope.kind === 'resource').length;
  const wide = targets.filter((t) => t.scope.kind !== 'resource').map((t) =>
    `the ${t.scope.label} ${resourceName(t.scope.id)} (${t.coverage ? `${t.coverage.resources} resource${t.coverage.resources === 1 ? '' : 's'} today` : 'resources not counted'})`);
  const single = resources === 1 ? 'a resource' : `${resources} resources`;
  return [...wide, ...(resources > 0 ? [single] : [])].join(' and ') || single;
}

/** What approving writes, said once per mechanism the request uses. */
function approvingCreates(request: ExemptionRequest): string {
  const mechanisms = mechanismsOf(request);
  if (!mechanisms.includes('standard')) {
    return 'Approving creates an Azure Policy exemption for each policy assignment that contains the recommendation; it expires on the date you confirm.';
  }
  const standard = 'a Defender standard assignment with effect Exempt for each security standard that contains the recommendation (Defender-native recommendations)';
  const what = mechanisms.includes('policy') ? `an Azure Policy exemption for each policy assignment, or ${standard}, as listed per resource above` : standard;
  return `Approving creates ${what}; they expire on the date you confirm.`;
}

const FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function factRowHtml(fact: Fact): SafeHtml {
  const values = typeof fact.value === 'string' ? [fact.value] : fact.value;
  const body = values.map((value, i) => html`${i > 0 && html`<br>`}${value}`);
  const linked = fact.href ? html`<a href="${fact.href}" style="color:#0b57d0;">${body}</a>` : body;
  const shown = fact.note ? html`${linked}<br><span style="font-size:12px;color:#6b7280;">(${fact.note})</span>` : linked;
  return html`<tr>
<th scope="row" style="text-align:left;vertical-align:top;padding:6px 12px 6px 0;color:#4b5563;font-weight:600;white-space:nowrap;">${fact.label}</th>
<td style="padding:6px 0;white-space:pre-wrap;word-break:break-word;">${shown}</td>
</tr>`;
}

function renderHtml(email: Email): string {
  const facts = email.facts.filter((f): f is Fact => f !== undefined);
  const action = email.action;
  return render(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${email.subject}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<div style="max-width:640px;margin:0 auto;padding:24px 12px;font-family:${FONT};font-size:15px;line-height:1.5;color:#1f2937;">
<div style="background:#ffffff;border:1px solid #e5e7eb;border-radius:8px;padding:24px;">
<p style="margin:0 0 4px;font-size:12px;letter-spacing:.06em;text-transform:uppercase;color:#6b7280;">exemption-broker</p>
<h1 style="margin:0 0 12px;font-size:20px;line-height:1.3;color:#111827;">${email.heading}</h1>
<p style="margin:0 0 16px;">${email.intro}</p>
<table role="presentation" style="border-collapse:collapse;width:100%;font-size:14px;">${facts.map(factRowHtml)}</table>
${action && html`<p style="margin:24px 0 8px;"><a href="${action.url}" style="display:inline-block;background:#0b57d0;color:#ffffff;padding:12px 22px;border-radius:6px;text-decoration:none;font-weight:600;">${action.label}</a></p>
<p style="margin:0 0 8px;font-size:12px;color:#6b7280;word-break:break-all;">Or open this link: ${action.url}</p>`}
${email.next.map((p) => html`<p style="margin:16px 0 0;">${p}</p>`)}
</div>
<p style="margin:16px 4px 0;font-size:12px;color:#6b7280;">${email.footer}</p>
</div>
</body></html>`);
}

function renderText(email: Email): string {
  const facts = email.facts.filter((f): f is Fact => f !== undefined);
  const width = Math.max(...facts.map((f) => f.label.length)) + 2;
  const lines = [email.heading, '', email.intro, ''];
  for (const fact of facts) {
    const values = (typeof fact.value === 'string' ? [fact.value] : fact.value).flatMap((v) => v.split(/\r?\n/));
    values.forEach((value, i) => lines.push(`${i === 0 ? `${fact.label}:`.padEnd(width) : ' '.repeat(width)}${value}`));
    if (fact.href) lines.push(`${' '.repeat(width)}${fact.href}`);
    if (fact.note) lines.push(`${' '.repeat(width)}(${fact.note})`);
  }
  // The URL alone on its line so that every mail client makes it clickable and nothing wraps into it.
  if (email.action) lines.push('', `${email.action.label}:`, email.action.url);
  for (const paragraph of email.next) lines.push('', paragraph);
  lines.push('', '-- ', email.footer);
  return `${lines.join('\n')}\n`;
}

export function buildEmail(email: Email): EmailContent {
  return { subject: email.subject, html: renderHtml(email), text: renderText(email) };
}

export function requestFooter(request: ExemptionRequest): string {
  return `Request ${request.id} · subscription ${request.subscriptionId}`;
}

/** To the approvers: the facts of the request and the signed link to the review page. */
export function reviewRequestEmail(request: ExemptionRequest, reviewUrl: string): EmailContent {
  return buildEmail({
    subject: subjectFor('Review', request),
    heading: 'An exemption request needs your review',
    intro: `${request.requestedBy} (${requesterNote(request)}) asks to exempt ${whatIsExempted(request)} from a Defender for Cloud recommendation.`,
    facts: [...requestFacts(request), { key: 'request', label: 'Request', value: request.id }],
    action: { label: 'Review request', url: reviewUrl },
    next: [
      `${approvingCreates(request)} You cannot approve a request you made yourself.`,
      'The review link is personal and expires. If you did not expect this email, you can ignore it.',
    ],
    footer: `${requestFooter(request)} · You receive this as an approver for the subscription.`,
  });
}

/** To requester and approver: the exemptions exist now. */
export function appliedEmail(request: ExemptionRequest): EmailContent {
  return buildEmail({
    subject: subjectFor('Exemption applied', request),
    heading: 'Exemption applied',
    intro: `The exemption request was approved and ${request.exemptions.length === 1 ? 'one exemption was' : `${request.exemptions.length} exemptions were`} created.`,
    facts: [
      ...requestFacts(request),
      ...decisionFacts(request, 'Approved'),
      { key: 'exemptions', label: 'Exemptions', value: request.exemptions.length ? request.exemptions.map(createdExemptionLine) : ['none'] },
    ],
    next: [
      `The exemptions expire on ${formatUtc(request.expiresOn)}; after that the recommendation applies again.`,
      'Defender for Cloud can take up to 24 hours to show the resource as exempt.',
    ],
    footer: requestFooter(request),
  });
}

/** To requester and approver: the approval stands but the exemptions could not be created. */
export function failedEmail(request: ExemptionRequest): EmailContent {
  const error = request.lastError;
  const scope = `/subscriptions/${request.subscriptionId}`;
  const forbidden = error !== undefined && (error.status === 401 || error.status === 403 || /authoriz|forbidden/i.test(error.code));
  const mechanisms = mechanismsOf(request);
  const policyGrant = `Grant the exemption-broker app's managed identity its "Policy exemption writer" custom role (created by the deployment; see docs/deploy.md) at scope ${scope}, or at the management group where the policy assignment is made, then retry the request.`;
  const standardGrant = `Grant the app's managed identity its "Defender standard exemption writer" custom role (Microsoft.Security/standardAssignments/write only; created by the deployment, see docs/deploy.md) at scope ${scope}, then retry the request.`;
  const grant = mechanisms.includes('standard') ? (mechanisms.includes('policy') ? `${policyGrant} ${standardGrant}` : standardGrant) : policyGrant;
  const kinds = mechanisms.includes('standard') ? (mechanisms.includes('policy') ? 'Azure Policy exemptions and Defender standard assignments' : 'Defender standard assignments (Exempt)') : 'Azure Policy exemptions';
  return buildEmail({
    subject: subjectFor('Exemption failed', request),
    heading: 'Exemption could not be created',
    intro: `The request was approved, but creating the ${kinds} failed. The request is kept in state "failed" and can be retried.`,
    facts: [
      ...requestFacts(request),
      ...decisionFacts(request, 'Approved'),
      ...(request.exemptions.length ? [{ key: 'created', label: 'Created so far', value: request.exemptions.map(createdExemptionLine) }] : []),
      ...(error
        ? [
            { key: 'status', label: 'HTTP status', value: String(error.status) },
            { key: 'code', label: 'Error code', value: error.code },
            { key: 'message', label: 'Error message', value: error.message },
          ]
        : [{ key: 'error', label: 'Error', value: 'not recorded' }]),
    ],
    next: forbidden
      ? [`The app is not allowed to create exemptions. ${grant}`]
      : [
          'This may be a temporary problem: retry the request. If it fails again, check the error above.',
          `If the error is about permissions: ${grant}`,
        ],
    footer: requestFooter(request),
  });
}

/** To the requester: the request was turned down. */
export function rejectedEmail(request: ExemptionRequest): EmailContent {
  const by = request.decision?.by;
  return buildEmail({
    subject: subjectFor('Request rejected', request),
    heading: 'Exemption request rejected',
    intro: by ? `Your exemption request was rejected by ${by}.` : 'Your exemption request was rejected.',
    facts: [...requestFacts(request), ...decisionFacts(request, 'Rejected')],
    next: ['No exemption was created. Remediate the recommendation, or submit a new request that addresses the comment.'],
    footer: requestFooter(request),
  });
}
