import { portalLink } from '../render/portal-link.js';
import { requestFacts, requesterNote, type Fact } from '../render/request-facts.js';
import { isDecidable } from '../requests/lifecycle.js';
import { reviewDigest } from '../requests/write-guard.js';
import { EXEMPTION_CATEGORIES, type ExemptionCategory, type ExemptionRequest, type RequestState } from '../requests/model.js';
import { formatUtc, isoDate, resourceName } from '../render/format.js';
import { html, type SafeHtml } from './html.js';
import { page } from './page-shell.js';

/**
 * The pages an approver sees after following the signed link in the review email. Pure renderers: the
 * HTTP function checks the link, the approver and the CSRF token, and chooses which page to show.
 */

export interface ReviewPageView {
  readonly request: ExemptionRequest;
  /** The address the signed link was issued to. */
  readonly approver: string;
  readonly token: string;
  readonly csrfToken: string;
  readonly formAction: string;
  /** Latest expiry an approver may choose (ISO date or date-time). */
  readonly maxExpiresOn: string;
  readonly signedInAs?: string;
}

export interface DecisionDoneView {
  /** The request as the decision left it; its `decision` says approved or rejected. */
  readonly request: ExemptionRequest;
  readonly by: string;
  /** False when the approval is stored but the exemptions could not be queued for creation yet. */
  readonly applyQueued: boolean;
}

export interface MessagePageView {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

const CATEGORY_HINT: Readonly<Record<ExemptionCategory, string>> = {
  Waiver: 'Waiver: the risk is accepted for now',
  Mitigated: 'Mitigated: the intent is met another way',
};

function stateBadge(state: RequestState): SafeHtml {
  const tone = state === 'applied' || state === 'approved' ? ' ok' : state === 'rejected' || state === 'failed' ? ' bad' : '';
  return html`<span class="badge${tone}">${state}</span>`;
}

function recommendation(request: ExemptionRequest): SafeHtml {
  const rec = request.recommendation;
  const link = portalLink(rec.portalLink);
  return html`${rec.displayName}${link && html` · <a href="${link}" target="_blank" rel="noopener noreferrer">Open in Azure portal</a>`}`;
}

function resources(request: ExemptionRequest): SafeHtml {
  return html`<ul class="ids">${request.targets.map((t) => html`<li class="mono">${t.resourceId}</li>`)}</ul>`;
}

/** One fact as the page shows it; the same facts make the e-mails and the card. */
function factHtml(fact: Fact, request: ExemptionRequest): SafeHtml {
  const value = fact.key === 'resources' ? resources(request)
    : fact.key === 'recommendation' ? recommendation(request)
      : typeof fact.value === 'string' ? html`${fact.value}` : html`${fact.value.join(', ')}`;
  const note = fact.note && html` <span class="muted" data-testid="${fact.key}-note">(${fact.note})</span>`;
  const prewrap = fact.key === 'justification';
  return html`<dt>${fact.label}</dt><dd${prewrap && html` class="prewrap"`}><span data-testid="${fact.key}">${value}</span>${note}</dd>`;
}

function facts(request: ExemptionRequest): SafeHtml {
  return html`<dl class="facts">
${requestFacts(request).map((fact) => factHtml(fact, request))}
<dt>Submitted</dt><dd>${formatUtc(request.createdAt)}</dd>
<dt>Request</dt><dd class="mono">${request.id}</dd>
</dl>`;
}

function assignments(request: ExemptionRequest): SafeHtml {
  const perTarget = request.targets.map((target) => {
    const rows = target.assignments.map(
      (a) => html`<tr>
<td>${a.displayName && html`<div>${a.displayName}</div>`}<div class="mono">${a.policyAssignmentId}</div></td>
<td class="mono">${a.policyDefinitionReferenceIds.length ? a.policyDefinitionReferenceIds.map((id, i) => html`${i > 0 && html`<br>`}${id}`) : html`<span class="muted">whole assignment (not an initiative)</span>`}</td>
</tr>`,
    );
    return html`<h3 class="mono">${resourceName(target.resourceId)}</h3>
${rows.length
  ? html`<table><thead><tr><th scope="col">Policy assignment</th><th scope="col">Policy definition reference ids</th></tr></thead><tbody>${rows}</tbody></table>`
  : html`<p class="muted">No assignment resolved yet.</p>`}`;
  });
  return html`<section aria-labelledby="assignments-heading" data-testid="assignments">
<h2 id="assignments-heading">Policy assignments to exempt</h2>
<p class="muted">One exemption is created per assignment that contains the recommendation's policy.</p>
${perTarget}
</section>`;
}

function decisionForm(view: ReviewPageView): SafeHtml {
  const { request } = view;
  const options = EXEMPTION_CATEGORIES.map(
    (c) => html`<option value="${c}"${c === request.category && html` selected`}>${CATEGORY_HINT[c]}</option>`,
  );
  const max = isoDate(view.maxExpiresOn);
  return html`<form method="post" action="${view.formAction}">
<input type="hidden" name="token" value="${view.token}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<input type="hidden" name="reviewed" value="${reviewDigest(request.targets)}">
<div class="field">
<label for="category">Exemption category</label>
<select id="category" name="category">${options}</select>
</div>
<div class="field">
<label for="expiresOn">Expires on (UTC)</label>
<input type="date" id="expiresOn" name="expiresOn" value="${isoDate(request.expiresOn)}" max="${max}" required aria-describedby="expiresOn-hint">
<p class="hint" id="expiresOn-hint">Requested ${isoDate(request.expiresOn)}; at most ${max}.</p>
</div>
<div class="field">
<label for="comment">Comment</label>
<textarea id="comment" name="comment" maxlength="512" rows="3" aria-describedby="comment-hint"></textarea>
<p class="hint" id="comment-hint">Optional, up to 512 characters; sent to the requester and kept in the audit log.</p>
</div>
<div class="actions">
<button type="submit" id="approve" class="approve" name="decision" value="approve">Approve</button>
<button type="submit" id="reject" class="reject" name="decision" value="reject" formnovalidate>Reject</button>
</div>
</form>`;
}

export function renderReviewPage(view: ReviewPageView): string {
  const { request } = view;
  const decidable = isDecidable(request.state);
  const body = html`<main class="card">
<h1>${request.recommendation.displayName}</h1>
<p class="muted" data-testid="state">Exemption request · state ${stateBadge(request.state)}</p>
<section aria-labelledby="request-heading">
<h2 id="request-heading">Request</h2>
${facts(request)}
</section>
${assignments(request)}
<section aria-labelledby="decision-heading">
<h2 id="decision-heading">Your decision</h2>
<p>Reviewing as <strong data-testid="approver">${view.approver}</strong>${view.signedInAs && html` <span class="muted">(signed in as ${view.signedInAs})</span>`}.</p>
${decidable
  ? decisionForm(view)
  : html`<p class="notice" data-testid="not-decidable">This request is ${request.state}; it can no longer be decided here.</p>`}
</section>
</main>`;
  return page({ title: `Review: ${request.recommendation.displayName}`, body });
}

export function renderDecisionDone(view: DecisionDoneView): string {
  const { request } = view;
  const approved = request.decision?.outcome === 'approved';
  const outcome = approved ? 'approved' : 'rejected';
  const next = !approved
    ? 'No exemption will be created. The requester is notified by email.'
    : view.applyQueued
      ? 'The exemptions are being created now. The requester and you will get an email when they exist, or if creating them fails.'
      : 'Your approval is recorded, but creating the exemptions could not be started just now. It will be retried automatically within minutes; the requester and you will get an email when they exist.';
  const body = html`<main class="card">
<h1>Request ${outcome}</h1>
<p class="notice ${approved ? 'ok' : 'bad'}" data-testid="confirmation">You ${outcome} the exemption request as ${view.by}. ${next}</p>
<h2>Request</h2>
<dl class="facts">
<dt>Recommendation</dt><dd>${recommendation(request)}</dd>
<dt>${request.targets.length > 1 ? 'Resources' : 'Resource'}</dt><dd>${resources(request)}</dd>
<dt>Requested by</dt><dd>${request.requestedBy} <span class="muted">(${requesterNote(request)})</span></dd>
<dt>Request</dt><dd class="mono">${request.id}</dd>
</dl>
<p class="muted">You can close this page.</p>
</main>`;
  return page({ title: `Request ${outcome}`, body });
}

export function renderMessagePage(view: MessagePageView): string {
  const body = html`<main class="card">
<h1>${view.title}</h1>
<p class="notice${view.status >= 400 ? ' bad' : ''}" data-testid="message">${view.detail}</p>
<p class="muted">HTTP ${view.status}</p>
</main>`;
  return page({ title: view.title, body });
}
