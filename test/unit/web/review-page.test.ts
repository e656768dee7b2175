import { describe, expect, it } from 'vitest';
import type { ExemptionRequest } from '../../../lib/requests/model.js';
import { escapeHtml } from '../../../lib/web/html.js';
import { renderDecisionDone, renderMessagePage, renderReviewPage, type ReviewPageView } from '../../../lib/web/review-page.js';
import { hostileRequest, IMG_BREAKOUT, LIVE_MARKUP, SCRIPT_TAG } from '../../support/hostile-request.js';
import {
  AWS_EC2, AWS_STANDARD_ASSIGNMENT, awsTarget, oldAndNowPolicyRequests, POLICY_ASSIGNMENT, policyTarget, resourceGroupTarget, RG, STANDARD_ASSIGNMENT,
  STANDARD_ID, standardTarget, STORAGE, subscriptionTarget, targetsRequest, VM,
} from '../../support/mechanism-requests.js';
import { sampleRequest } from '../../support/sample-request.js';

import { SUB } from '../../support/mechanism-requests.js';

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

describe('renderReviewPage: the exemptions to write, per target', () => {
  const pageFor = (targets: Parameters<typeof targetsRequest>[0]) => renderReviewPage(view(targetsRequest(targets)));
  /** Each target block: its scope kind, and its rows as [mechanism, exempted from, detail] text. */
  function targetsIn(page: string) {
    const section = /<section aria-labelledby="exemptions-heading"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    return [...section.matchAll(/<div class="target[^"]*" data-testid="target" data-scope-kind="([a-zA-Z]+)">([\s\S]*?)<\/div>\s*(?=<div class="target|<\/section>)/g)].map(([, kind, body]) => ({
      kind,
      heading: /<h3[^>]*>([\s\S]*?)<\/h3>/.exec(body!)?.[1]?.replace(/<[^>]+>/g, '').trim(),
      caption: /<caption>([\s\S]*?)<\/caption>/.exec(body!)?.[1]?.replace(/<[^>]+>/g, ''),
      coverage: /data-testid="target-coverage">([\s\S]*?)<\/p>/.exec(body!)?.[1]?.replace(/<[^>]+>/g, ''),
      rows: [...body!.matchAll(/<tr data-mechanism="(\w+)">([\s\S]*?)<\/tr>/g)].map(([, mechanism, row]) => [
        mechanism, ...[...row!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, cell]) => cell!.replace(/<br>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()),
      ]),
    }));
  }

  it('a mixed request shows, per target, the mechanism, where, and what it is exempted from', () => {
    const page = pageFor([policyTarget, standardTarget, awsTarget]);
    expect(page).toContain('<h2 id="exemptions-heading">Exemptions to write</h2>');
    expect(page).toContain('<th scope="col">Mechanism</th><th scope="col">Exempted from</th><th scope="col">Detail</th>');
    expect(targetsIn(page)).toEqual([
      {
        kind: 'resource', heading: 'stappprod01', caption: `At the resource ${STORAGE}`, coverage: undefined,
        rows: [['policy', 'Azure Policy exemption', `assignment Microsoft cloud security benchmark ${POLICY_ASSIGNMENT}`, 'policy definition reference ids storageAccountsShouldRestrictNetworkAccess secondRef']],
      },
      {
        kind: 'resource', heading: 'vm-app-prod-01', caption: `At the resource ${VM}`, coverage: undefined,
        rows: [['standard', 'Defender standard assignment (Exempt)', `standard Microsoft cloud security benchmark (Defender) ${STANDARD_ID}`, `via standard assignment ${STANDARD_ASSIGNMENT}`]],
      },
      {
        kind: 'resource', heading: 'aws-ec2-instance-i-0a1b2c3d4e5f67890', caption: `At the resource ${AWS_EC2}`, coverage: undefined,
        rows: [['standard', 'Defender standard assignment (Exempt)', `standard ${STANDARD_ID}`, `via standard assignment ${AWS_STANDARD_ASSIGNMENT}`]],
      },
    ]);
    expect(page).not.toContain('data-testid="scope-wide"');
    expect(page).not.toContain('whole resource group');
  });

  it('a resource group target is unmistakable: named whole, counted in the summary, in the resources and in its table', () => {
    const page = pageFor([policyTarget, resourceGroupTarget]);
    const count = 'Covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC';
    const summary = /<div class="notice warn" data-testid="scope-wide">([\s\S]*?)<\/div>/.exec(page)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    expect(summary).toBe(`Scope-wide exemption. Approving exempts every resource, today's and future ones, under: The whole resource group ${RG}. ${count}.`);
    // Before the request's facts and the form: the first thing an approver reads after the title.
    expect(page.indexOf('data-testid="scope-wide"')).toBeLessThan(page.indexOf('id="request-heading"'));
    expect(page).toMatch(new RegExp(`<li><span class="mono">${RG}</span> <strong class="wide">whole resource group</strong> <span data-testid="coverage">${count.replace(/[()]/g, '\\$&')}</span></li>`));
    const [, group] = targetsIn(page);
    expect(group).toEqual({
      kind: 'resourceGroup', heading: 'rg-app-prod whole resource group', caption: `At the whole resource group ${RG}`, coverage: `${count}.`,
      rows: [['standard', 'Defender standard assignment (Exempt)', `standard Microsoft cloud security benchmark (Defender) ${STANDARD_ID}`, `via standard assignment ${STANDARD_ASSIGNMENT}`]],
    });
    expect(page).toContain('<div class="target wide" data-testid="target" data-scope-kind="resourceGroup">');
  });

  it('a subscription target says "whole subscription" with its count, in the singular when it is one', () => {
    const page = pageFor([subscriptionTarget]);
    expect(page).toMatch(/data-testid="scope-wide">[\s\S]*The whole subscription \/subscriptions\/[0-9a-f-]+\. Covers 1 resource today \(0 currently unhealthy\)/);
    expect(targetsIn(page)[0]).toMatchObject({
      kind: 'subscription', heading: `${SUB} whole subscription`,
      rows: [['policy', 'Azure Policy exemption', `assignment ${POLICY_ASSIGNMENT}`, 'whole assignment (not an initiative)']],
    });
  });

  it('the decision page names a scope-wide target as such too', () => {
    const page = renderDecisionDone({ request: targetsRequest([resourceGroupTarget], { state: 'approved' }), by: 'secops@contoso.com', applyQueued: true });
    expect(page).toContain('<strong class="wide">whole resource group</strong>');
  });

  it('a target with nothing resolved says so in place of a table', () => {
    expect(targetsIn(pageFor([{ resourceId: VM, assignments: [] }]))[0]).toMatchObject({ rows: [] });
    expect(pageFor([{ resourceId: VM, assignments: [] }])).toContain(`At the resource <span class="mono">${VM}</span>: no exemption resolved yet.`);
  });

  it('renders a request stored before standards existed exactly like one with none', () => {
    const [old, now] = oldAndNowPolicyRequests();
    const pageOld = renderReviewPage(view({ ...old, state: 'notified' }));
    expect(pageOld).toBe(renderReviewPage(view({ ...now, state: 'notified' })));
    expect(pageOld).not.toMatch(/data-mechanism="standard"|scope-wide|whole resource group|undefined/);
    expect(targetsIn(pageOld).map((t) => t.rows.map((r) => r[0]))).toEqual([['policy']]);
  });

  it('escapes hostile names and ids of standards and scopes', () => {
    const hostileStandard = {
      resourceId: `${RG}${IMG_BREAKOUT}`, assignments: [],
      standards: [{ assignedStandardId: `${STANDARD_ID}${SCRIPT_TAG}`, displayName: `MCSB ${IMG_BREAKOUT}`, standardAssignmentId: `${STANDARD_ASSIGNMENT}${SCRIPT_TAG}` }],
      coverage: { resources: 2, unhealthy: 1, countedAt: `2026-12-01${SCRIPT_TAG}` },
    };
    const page = renderReviewPage(view(targetsRequest([hostileStandard])));
    for (const markup of LIVE_MARKUP) expect(page).not.toContain(markup);
    expect(page).toContain(escapeHtml(`MCSB ${IMG_BREAKOUT}`));
    expect(page).toContain(escapeHtml(`${STANDARD_ASSIGNMENT}${SCRIPT_TAG}`));
  });
});
