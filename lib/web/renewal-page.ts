import type { HttpResponseInit } from '@azure/functions';
import { formatUtc, isoDate } from '../render/format.js';
import { requestFacts, type Fact } from '../render/request-facts.js';
import type { ExemptionRequest } from '../requests/model.js';
import type { RenewalRefusal } from '../requests/renewal-service.js';
import { messagePage } from './html-response.js';
import { html, type SafeHtml } from './html.js';
import { page } from './page-shell.js';
import { RENEWAL_TOKEN_PARAM } from './renewal-links.js';

/**
 * The pages the holder of a renewal link sees. Pure renderers: the HTTP functions check the link, the
 * holder and the CSRF value, and choose which page to show. Everything from the request is escaped.
 */

export interface RenewalPageView {
  /** The request whose exemptions would be renewed. */
  readonly request: ExemptionRequest;
  /** The address the link was mailed to, who becomes the renewal's requester. */
  readonly recipient: string;
  readonly token: string;
  readonly csrfToken: string;
  readonly formAction: string;
  /** YYYY-MM-DD: what the form suggests, the earliest and the latest it accepts. */
  readonly suggestedExpiresOn: string;
  readonly minExpiresOn: string;
  readonly maxExpiresOn: string;
  readonly maxJustificationLength: number;
}

export interface RenewalDoneView {
  readonly renewal: ExemptionRequest;
  readonly renews: ExemptionRequest;
  /** False when this ask found a renewal already open and stored nothing new. */
  readonly created: boolean;
}

function factHtml(fact: Fact): SafeHtml {
  const value = typeof fact.value === 'string' ? html`${fact.value}` : html`<ul class="ids">${fact.value.map((v) => html`<li class="mono">${v}</li>`)}</ul>`;
  const note = fact.note && html` <span class="muted" data-testid="${fact.key}-note">(${fact.note})</span>`;
  return html`<dt>${fact.label}</dt><dd${fact.key === 'justification' && html` class="prewrap"`}><span data-testid="${fact.key}">${value}</span>${note}</dd>`;
}

function facts(request: ExemptionRequest): SafeHtml {
  return html`<dl class="facts">
${requestFacts(request).map(factHtml)}
${request.decision && html`<dt>Approved by</dt><dd data-testid="approvedBy">${request.decision.by}</dd>`}
<dt>Exemptions</dt><dd><ul class="ids" data-testid="exemptions">${request.exemptions.map((e) => html`<li class="mono">${e.id}</li>`)}</ul></dd>
<dt>Request</dt><dd class="mono">${request.id} <span class="muted">(${request.state})</span></dd>
</dl>`;
}

function renewalForm(view: RenewalPageView): SafeHtml {
  return html`<form method="post" action="${view.formAction}">
<input type="hidden" name="${RENEWAL_TOKEN_PARAM}" value="${view.token}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<div class="field">
<label for="expiresOn">New expiry date (UTC)</label>
<input type="date" id="expiresOn" name="expiresOn" value="${view.suggestedExpiresOn}" min="${view.minExpiresOn}" max="${view.maxExpiresOn}" required aria-describedby="expiresOn-hint">
<p class="hint" id="expiresOn-hint">Currently ${formatUtc(view.request.expiresOn)}; at most ${view.maxExpiresOn}.</p>
</div>
<div class="field">
<label for="justification">Justification</label>
<textarea id="justification" name="justification" maxlength="${view.maxJustificationLength}" rows="4" required aria-describedby="justification-hint">${view.request.justification}</textarea>
<p class="hint" id="justification-hint">Why the exemption is still needed; up to ${view.maxJustificationLength} characters. The approvers see it.</p>
</div>
<div class="actions">
<button type="submit" id="renew" class="approve">Ask for renewal</button>
</div>
</form>`;
}

export function renderRenewalPage(view: RenewalPageView): string {
  const { request } = view;
  const body = html`<main class="card">
<h1>Renew: ${request.recommendation.displayName}</h1>
<p class="muted">The exemption expires ${formatUtc(request.expiresOn)}. A renewal is a new request for the same resources and policy assignments; the approvers review it like any other, and on approval the existing exemptions are extended.</p>
<section aria-labelledby="request-heading">
<h2 id="request-heading">Current exemption</h2>
${facts(request)}
</section>
<section aria-labelledby="renewal-heading">
<h2 id="renewal-heading">Ask for a renewal</h2>
<p>Asking as <strong data-testid="recipient">${view.recipient}</strong>. You cannot approve a renewal you ask for.</p>
${renewalForm(view)}
</section>
</main>`;
  return page({ title: `Renew: ${request.recommendation.displayName}`, body });
}

export function renderRenewalDone(view: RenewalDoneView): string {
  const { renewal, renews } = view;
  const said = view.created
    ? 'Your renewal request is recorded. The approvers are asked to review it by email; you will get an email when the exemptions are extended.'
    : 'A renewal of this exemption was already asked for and is still open; nothing new was recorded.';
  const body = html`<main class="card">
<h1>Renewal requested</h1>
<p class="notice ok" data-testid="confirmation">${said}</p>
<dl class="facts">
<dt>Renewal request</dt><dd class="mono" data-testid="renewal-id">${renewal.id}</dd>
<dt>State</dt><dd data-testid="renewal-state">${renewal.state}</dd>
<dt>Requested by</dt><dd>${renewal.requestedBy}</dd>
<dt>New expiry</dt><dd data-testid="renewal-expiresOn">${formatUtc(renewal.expiresOn)} <span class="muted">(${isoDate(renewal.expiresOn)})</span></dd>
<dt>Renews</dt><dd class="mono">${renews.id}</dd>
</dl>
<p class="muted">You can close this page.</p>
</main>`;
  return page({ title: 'Renewal requested', body });
}

/** The page that explains a refusal, with the status that says what kind it is. */
export function renewalRefusalPage(refusal: RenewalRefusal | { readonly code: 'someone-elses-link'; readonly signedInAs: string; readonly recipient: string }): HttpResponseInit {
  const title = 'Renewal not requested';
  switch (refusal.code) {
    case 'not-found':
      return messagePage(404, 'Request not found', 'This request no longer exists.');
    case 'not-a-party':
      return messagePage(403, title, `${refusal.recipient} is neither the requester nor the approver of this request.`);
    case 'someone-elses-link':
      return messagePage(403, title, `You are signed in as ${refusal.signedInAs}, but this link was issued to ${refusal.recipient}. Only they can use it.`);
    case 'not-renewable':
      return messagePage(409, title, `This request is ${refusal.state}; only an exemption that exists can be renewed. Submit a new request instead.`);
    case 'no-exemptions':
      return messagePage(409, title, 'This request has no exemptions to renew. Submit a new request instead.');
    case 'credential-used':
      return messagePage(410, 'Link already used', 'This renewal link has already been used.');
    case 'invalid':
      return messagePage(400, title, refusal.message);
  }
}
