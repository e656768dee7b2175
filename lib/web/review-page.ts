import { portalLink } from '../render/portal-link.js';
import {
  EXEMPTIONS_FACT, requestFacts, requesterNote, scopeWideLines, targetExemptions, type ExemptionToWrite, type Fact, type TargetExemptions,
} from '../render/request-facts.js';
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

/** Each scope, with "whole resource group" and its count beside it so that it cannot be read as one resource. */
function resources(request: ExemptionRequest): SafeHtml {
  return html`<ul class="ids">${targetExemptions(request).map((t) => html`<li><span class="mono">${t.scope.id}</span>${t.coverageLine && html` <strong class="wide">${t.scope.label}</strong> <span data-testid="coverage">${t.coverageLine}</span>`}</li>`)}</ul>`;
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
${requestFacts(request).filter((fact) => fact.key !== EXEMPTIONS_FACT).map((fact) => factHtml(fact, request))}
<dt>Submitted</dt><dd>${formatUtc(request.createdAt)}</dd>
<dt>Request</dt><dd class="mono">${request.id}</dd>
</dl>`;
}

function exemptionRow(e: ExemptionToWrite): SafeHtml {
  const detail = e.mechanism === 'standard'
    ? html`<span class="muted">via standard assignment</span> <span class="mono">${e.via}</span>`
    : e.referenceIds.length
      ? html`<span class="muted">policy definition reference ids</span> <span class="mono">${e.referenceIds.map((id, i) => html`${i > 0 && html`<br>`}${id}`)}</span>`
      : html`<span class="muted">whole assignment (not an initiative)</span>`;
  const what = e.mechanism === 'standard' ? 'standard' : 'assignment';
  return html`<tr data-mechanism="${e.mechanism}">
<td>${e.mechanismLabel}</td>
<td><span class="muted">${what}</span> ${e.from.displayName && html`<div>${e.from.displayName}</div>`}<div class="mono">${e.from.id}</div></td>
<td>${detail}</td>
</tr>`;
}

function targetTable(t: TargetExemptions): SafeHtml {
  const wide = t.scope.kind !== 'resource';
  const at = html`At the ${t.scope.label} <span class="mono">${t.scope.id}</span>`;
  const coverage = t.coverageLine && html`<p class="coverage" data-testid="target-coverage"><strong>${t.coverageLine}.</strong></p>`;
  return html`<div class="target${wide ? ' wide' : ''}" data-testid="target" data-scope-kind="${t.scope.kind}">
<h3 class="mono">${resourceName(t.scope.id)}${wide && html` <span class="badge warn">${t.scope.label}</span>`}</h3>
${coverage}
${t.exemptions.length
  ? html`<table class="exemptions"><caption>${at}</caption><thead><tr><th scope="col">Mechanism</th><th scope="col">Exempted from</th><th scope="col">Detail</th></tr></thead><tbody>${t.exemptions.map(exemptionRow)}</tbody></table>`
  : html`<p class="muted">${at}: no exemption resolved yet.</p>`}
</div>`;
}

function exemptions(request: ExemptionRequest): SafeHtml {
  return html`<section aria-labelledby="exemptions-heading" data-testid="exemptions">
<h2 id="exemptions-heading">Exemptions to write</h2>
<p class="muted">Per resource: an Azure Policy exemption for each policy assignment that contains the recommendation's policy, or a Defender standard assignment with effect Exempt for each security standard that contains a Defender-native recommendation.</p>
${targetExemptions(request).map(targetTable)}
</section>`;
}

/** Said before anything else on the page: approving a scope-wide target exempts many resources at once. */
function scopeWideNotice(request: ExemptionRequest): SafeHtml {
  const lines = scopeWideLines(request);
  return html`${lines.length > 0 && html`<div class="notice warn" data-testid="scope-wide"><strong>Scope-wide exemption.</strong> Approving exempts every resource, today's and future ones, under:<ul>${lines.map((l) => html`<li>${l}</li>`)}</ul></div>`}`;
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
${scopeWideNotice(request)}
<section aria-labelledby="request-heading">
<h2 id="request-heading">Request</h2>
${facts(request)}
</section>
${exemptions(request)}
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
