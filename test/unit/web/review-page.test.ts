import { describe, expect, it } from 'vitest';
import type { ExemptionRequest } from '../../../lib/requests/model.js';
import { escapeHtml } from '../../../lib/web/html.js';
import { renderDecisionDone, renderMessagePage, renderReviewPage, type ReviewPageView } from '../../../lib/web/review-page.js';
import { hostileRequest, LIVE_MARKUP } from '../../support/hostile-request.js';
import { sampleRequest } from '../../support/sample-request.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const RES = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
const ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`;

const request: ExemptionRequest = sampleRequest({
  id: 'req-42',
  state: 'notified',
  recommendation: { assessmentKey: 'k1', displayName: 'Storage accounts should restrict network access', severity: 'High', portalLink: 'portal.azure.com/#blade/Microsoft_Azure_Security/x' },
  targets: [{ resourceId: RES, assignments: [{ policyAssignmentId: ASSIGNMENT, displayName: 'Microsoft cloud security benchmark', policyDefinitionReferenceIds: ['storageAccountsShouldRestrictNetworkAccess', 'secondRef'] }] }],
  category: 'Mitigated',
  justification: 'Protected by a private endpoint',
  expiresOn: '2027-01-15T00:00:00.000Z',
  requestedBy: 'owner@contoso.com',
  ticketRef: 'INC0012345',
});

const view = (r: ExemptionRequest = request): ReviewPageView => ({
  request: r,
  approver: 'secops@contoso.com',
  token: 'tok.en-value',
  csrfToken: 'csrf-value',
  formAction: '/api/review/decision',
  maxExpiresOn: '2027-05-01',
  signedInAs: 'secops@contoso.com',
});

/** The opening tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const match = new RegExp(`<[a-z]+\\s(?:[^>]*\\s)?id="${id}"[^>]*>`).exec(page);
  expect(match, `no element #${id}`).not.toBeNull();
  return match?.[0] ?? '';
}

describe('renderReviewPage', () => {
  const page = renderReviewPage(view());

  it('is a complete document with no script and no external resource', () => {
    expect(page).toMatch(/^<!doctype html>\s*<html lang="en">/);
    expect(page).not.toMatch(/<script|<link |<img |src=|@import|url\(/i);
    expect(page).toContain('name="viewport"');
    expect(page).toContain('Content-Security-Policy');
  });

  it('shows every fact of the request', () => {
    for (const fact of [RES, 'Storage accounts should restrict network access', 'High', 'owner@contoso.com', 'Protected by a private endpoint',
      'INC0012345', 'Mitigated', '2027-01-15 00:00 UTC', 'req-42', ASSIGNMENT, 'Microsoft cloud security benchmark',
      'storageAccountsShouldRestrictNetworkAccess', 'secondRef', 'secops@contoso.com']) {
      expect(page, fact).toContain(fact);
    }
    expect(page).toMatch(/data-testid="state"[^>]*>[^<]*<span class="badge">notified<\/span>/);
    expect(page).toContain('href="https://portal.azure.com/#blade/Microsoft_Azure_Security/x"');
  });

  it('has a post form back to the broker with the token, the CSRF token and every decision field', () => {
    expect(page).toContain('<form method="post" action="/api/review/decision">');
    expect(page).toContain('<input type="hidden" name="token" value="tok.en-value">');
    expect(page).toContain('<input type="hidden" name="csrf" value="csrf-value">');
    expect(tagWithId(page, 'category')).toContain('name="category"');
    expect(page).toMatch(/<option value="Mitigated" selected>/);
    expect(page).not.toMatch(/<option value="Waiver" selected>/);
    const expires = tagWithId(page, 'expiresOn');
    expect(expires).toContain('type="date"');
    expect(expires).toContain('name="expiresOn"');
    expect(expires).toContain('value="2027-01-15"');
    expect(expires).toContain('max="2027-05-01"');
    const comment = tagWithId(page, 'comment');
    expect(comment).toContain('name="comment"');
    expect(comment).toContain('maxlength="512"');
    expect(tagWithId(page, 'approve')).toMatch(/type="submit".*name="decision" value="approve"/);
    expect(tagWithId(page, 'reject')).toMatch(/type="submit".*name="decision" value="reject"/);
    for (const id of ['category', 'expiresOn', 'comment']) expect(page).toContain(`<label for="${id}">`);
  });

  it('preselects Waiver when the request asks for it and accepts a date-time as the maximum', () => {
    const waiver = renderReviewPage({ ...view({ ...request, category: 'Waiver' }), maxExpiresOn: '2027-03-01T12:00:00.000Z' });
    expect(waiver).toMatch(/<option value="Waiver" selected>/);
    expect(tagWithId(waiver, 'expiresOn')).toContain('max="2027-03-01"');
  });

  it('offers no form once the request is decided', () => {
    const decided = renderReviewPage(view({ ...request, state: 'approved' }));
    expect(decided).not.toContain('<form');
    expect(decided).toContain('data-testid="not-decidable"');
  });

  it('escapes hostile text in every field and drops a javascript: portal link', () => {
    const hostile = renderReviewPage({ ...view(hostileRequest()), approver: '<script>x</script>', signedInAs: '"><img src=x onerror="window.__pwned=1">', token: '"><script>t</script>', csrfToken: "'><script>c</script>" });
    for (const markup of LIVE_MARKUP) expect(hostile).not.toContain(markup);
    expect(hostile).not.toContain('javascript:');
    expect(hostile).toContain(`data-testid="justification">${escapeHtml(hostileRequest().justification)}</span>`);
    expect(hostile).toContain('value="&quot;&gt;&lt;script&gt;t&lt;/script&gt;"');
  });
});

describe('renderDecisionDone', () => {
  const decided = (outcome: 'approved' | 'rejected', base = request) =>
    ({ ...base, state: outcome, decision: { outcome, by: 'secops@contoso.com', at: '2026-11-02T10:00:00.000Z', channel: 'review-page' as const } });

  it('confirms an approval and says the exemptions are being created', () => {
    const page = renderDecisionDone({ request: decided('approved'), by: 'secops@contoso.com', applyQueued: true });
    expect(page).toMatch(/data-testid="confirmation">[^<]*approved[^<]*exemptions are being created/);
    expect(page).toContain('secops@contoso.com');
    expect(page).not.toContain('<form');
  });

  it('confirms a rejection and says the requester is notified', () => {
    const page = renderDecisionDone({ request: decided('rejected'), by: 'secops@contoso.com', applyQueued: true });
    expect(page).toMatch(/data-testid="confirmation">[^<]*rejected[^<]*requester is notified/);
  });

  it('tells the truth when the approval is stored but creating the exemptions could not be started', () => {
    const page = renderDecisionDone({ request: decided('approved'), by: 'secops@contoso.com', applyQueued: false });
    expect(page).toMatch(/data-testid="confirmation">[^<]*approved[^<]*could not be started just now[^<]*retried automatically/);
    expect(page).not.toContain('being created now');
  });

  it('escapes hostile text', () => {
    const page = renderDecisionDone({ request: decided('approved', hostileRequest()), by: '<script>x</script>', applyQueued: true });
    for (const markup of LIVE_MARKUP) expect(page).not.toContain(markup);
  });
});

describe('renderMessagePage', () => {
  it('shows the title, the detail and the status, escaped', () => {
    const page = renderMessagePage({ status: 410, title: 'Link expired <b>', detail: 'Ask for a new link "><img src=x onerror="window.__pwned=1">' });
    expect(page).toContain('<h1>Link expired &lt;b&gt;</h1>');
    expect(page).toMatch(/data-testid="message">Ask for a new link &quot;&gt;&lt;img/);
    expect(page).toContain('410');
    for (const markup of LIVE_MARKUP) expect(page).not.toContain(markup);
  });
});
