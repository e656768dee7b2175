import { describe, expect, it } from 'vitest';
import { appliedEmail, failedEmail, rejectedEmail, reviewRequestEmail, type EmailContent } from '../../../lib/notify/email-content.js';
import type { ExemptionRequest } from '../../../lib/requests/model.js';
import { escapeHtml } from '../../../lib/web/html.js';
import { createdExemptionLine, targetExemptions } from '../../../lib/render/request-facts.js';
import { hostileRequest, IMG_BREAKOUT, LIVE_MARKUP, SCRIPT_TAG } from '../../support/hostile-request.js';
import {
  appliedMixedRequest, oldAndNowPolicyRequests, policyTarget, resourceGroupTarget, RG, STANDARD_ID, standardTarget, targetsRequest,
} from '../../support/mechanism-requests.js';
import { sampleRequest } from '../../support/sample-request.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const RES1 = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
const RES2 = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st2`;
const PORTAL = 'https://portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/k1';
const REVIEW_URL = 'https://broker.example.net/api/review?token=abc.def&x=1';

const request: ExemptionRequest = sampleRequest({
  id: 'req-42',
  state: 'applied',
  recommendation: { assessmentKey: 'k1', displayName: 'Storage accounts should restrict network access', severity: 'Medium', portalLink: 'portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/k1' },
  targets: [{ resourceId: RES1, assignments: [] }, { resourceId: RES2, assignments: [] }],
  category: 'Mitigated',
  justification: 'Protected by a private endpoint\nand a firewall',
  expiresOn: '2027-01-01T00:00:00.000Z',
  requestedBy: 'owner@contoso.com',
  ticketRef: 'INC0012345',
  decision: { outcome: 'approved', by: 'secops@contoso.com', at: '2026-11-02T09:30:00.000Z', channel: 'review-page', comment: 'OK until the migration' },
  exemptions: [
    { id: `${RES1}/providers/Microsoft.Authorization/policyExemptions/eb-1`, resourceId: RES1, policyAssignmentId: '/a1' },
    { id: `${RES2}/providers/Microsoft.Authorization/policyExemptions/eb-2`, resourceId: RES2, policyAssignmentId: '/a1' },
  ],
  lastError: { status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action policyExemptions/write' },
});

/** Every fact must be in both parts; the HTML carries it escaped. */
function expectFacts(mail: EmailContent, facts: readonly string[]): void {
  for (const fact of facts) {
    expect(mail.text, `text part lacks ${fact}`).toContain(fact);
    expect(mail.html, `html part lacks ${fact}`).toContain(escapeHtml(fact));
  }
}

const all = (r: ExemptionRequest): [string, EmailContent][] => [
  ['review', reviewRequestEmail(r, REVIEW_URL)],
  ['applied', appliedEmail(r)],
  ['failed', failedEmail(r)],
  ['rejected', rejectedEmail(r)],
];

describe('reviewRequestEmail', () => {
  const mail = reviewRequestEmail(request, REVIEW_URL);

  it('names the recommendation and the resource in the subject', () => {
    expect(mail.subject).toBe('[exemption-broker] Review: Storage accounts should restrict network access on st1 and 1 more');
  });

  it('carries every fact of the request in both parts', () => {
    expectFacts(mail, [RES1, RES2, 'Storage accounts should restrict network access', 'Medium', 'owner@contoso.com',
      'Protected by a private endpoint', 'and a firewall', 'Mitigated', '2027-01-01 00:00 UTC', 'INC0012345', 'req-42']);
  });

  it('links the recommendation to the portal, with the missing scheme added', () => {
    expect(mail.html).toContain(`href="${escapeHtml(PORTAL)}"`);
    expect(mail.text).toContain(PORTAL);
  });

  it('has a prominent review link and puts the URL on its own line in the text part', () => {
    expect(mail.html).toMatch(new RegExp(`<a href="${escapeHtml(REVIEW_URL).replace(/[.?]/g, '\\$&')}"[^>]*>Review request</a>`));
    expect(mail.text.split('\n')).toContain(REVIEW_URL);
  });
});

describe('result emails', () => {
  it('appliedEmail lists the created exemptions, the expiry and the approver', () => {
    const mail = appliedEmail(request);
    expect(mail.subject).toContain('Exemption applied: Storage accounts should restrict network access on st1');
    expectFacts(mail, [...request.exemptions.map((e) => e.id), '2027-01-01 00:00 UTC', 'secops@contoso.com', 'OK until the migration']);
  });

  it('failedEmail shows the ARM error and, on 403, which role to grant at which scope', () => {
    const mail = failedEmail(request);
    expect(mail.subject).toContain('Exemption failed:');
    expectFacts(mail, ['403', 'AuthorizationFailed', 'The client does not have authorization to perform action policyExemptions/write',
      '"Policy exemption writer" custom role', `/subscriptions/${SUB}`]);
  });

  it('failedEmail advises a retry for a transient error', () => {
    const mail = failedEmail({ ...request, lastError: { status: 503, code: 'ServiceUnavailable', message: 'try later' } });
    expectFacts(mail, ['503', 'ServiceUnavailable', 'try later', 'retry the request']);
  });

  it('rejectedEmail tells the requester who rejected it and why', () => {
    const rejected = { ...request, state: 'rejected' as const, decision: { outcome: 'rejected' as const, by: 'secops@contoso.com', at: '2026-11-02T09:30:00.000Z', channel: 'review-page' as const, comment: 'Fix it instead' } };
    const mail = rejectedEmail(rejected);
    expect(mail.subject).toContain('Request rejected:');
    expectFacts(mail, ['rejected by secops@contoso.com', 'Fix it instead', RES1]);
  });
});

describe('hostile request text', () => {
  const hostile = hostileRequest({ decision: { outcome: 'approved', by: 'eve<script>x</script>@example.com', at: '2026-11-02T10:00:00.000Z', channel: 'review-page', comment: '"><img src=x onerror="window.__pwned=1">' } });

  it.each(all(hostile))('%s email escapes every user-supplied field in HTML', (_name, mail) => {
    for (const markup of LIVE_MARKUP) expect(mail.html).not.toContain(markup);
    expect(mail.html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(mail.html).toContain('&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
  });

  it.each(all(hostile))('%s email drops a javascript: portal link', (_name, mail) => {
    expect(mail.html).not.toContain('javascript:');
    expect(mail.text).not.toContain('javascript:');
  });

  it.each(all(hostile))('%s email keeps CR, LF and other control characters out of the subject', (_name, mail) => {
    expect(mail.subject).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(mail.subject).toMatch(/^\[exemption-broker\] /);
    expect(mail.subject).toContain('Bcc: victim@example.com');
  });

  it('flattens bidi overrides and cuts very long names in the subject', () => {
    const mail = reviewRequestEmail(sampleRequest({ recommendation: { displayName: `a\u202Eb\tc${'x'.repeat(500)}` } }), REVIEW_URL);
    expect(mail.subject).not.toMatch(/[\u202a-\u202e\t]/);
    expect(mail.subject.length).toBeLessThan(250);
  });
});

describe('a request with both mechanisms and a scope-wide target', () => {
  const mixed = targetsRequest([policyTarget, standardTarget, resourceGroupTarget]);
  const lines = targetExemptions(mixed).flatMap((t) => t.exemptions.map((e) => e.line));
  const count = 'covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC';

  it.each(all(mixed))('the %s email shows per target which mechanism and where, in both parts', (_name, mail) => {
    expect(lines).toHaveLength(3);
    expectFacts(mail, [...lines, `The whole resource group ${RG}: ${count}`, `${RG}: whole resource group, ${count}`]);
    expect(mail.text).toMatch(/^Exempted through: +Azure Policy exemption at /m);
  });

  it('the review email names the scope-wide target first in the subject and with its count in the opening line', () => {
    const mail = reviewRequestEmail(mixed, REVIEW_URL);
    expect(mail.subject).toBe('[exemption-broker] Review: Machines should have secrets findings resolved on rg-app-prod (whole resource group) and 2 more');
    expectFacts(mail, ['asks to exempt the whole resource group rg-app-prod (12 resources today) and 2 resources from a Defender for Cloud recommendation.']);
  });

  it('the review email says what approving creates for each mechanism', () => {
    expectFacts(reviewRequestEmail(mixed, REVIEW_URL), ['Approving creates an Azure Policy exemption for each policy assignment, or a Defender standard assignment with effect Exempt for each security standard']);
    expectFacts(reviewRequestEmail(targetsRequest([standardTarget]), REVIEW_URL), ['Approving creates a Defender standard assignment with effect Exempt for each security standard']);
    expect(reviewRequestEmail(targetsRequest([standardTarget]), REVIEW_URL).text).not.toContain('Azure Policy exemption for each');
  });

  it('the applied email names the mechanism of each created exemption', () => {
    const applied = appliedMixedRequest();
    expectFacts(appliedEmail(applied), applied.exemptions.map(createdExemptionLine));
    expectFacts(appliedEmail(applied), ['(Defender standard assignment (Exempt), standard /providers/Microsoft.Security/Standards/', '(Azure Policy exemption, assignment ']);
  });

  it('the failed email names both mechanisms and the permission each needs', () => {
    const failed = { ...appliedMixedRequest(), state: 'failed' as const, exemptions: appliedMixedRequest().exemptions.slice(0, 1), lastError: { status: 403, code: 'AuthorizationFailed', message: 'no standardAssignments/write' } };
    const mail = failedEmail(failed);
    expectFacts(mail, ['creating the Azure Policy exemptions and Defender standard assignments failed', '"Policy exemption writer" custom role',
      'Microsoft.Security/standardAssignments/write', 'Defender standard exemption writer', createdExemptionLine(failed.exemptions[0]!)]);
    const standardOnly = failedEmail({ ...failed, targets: [standardTarget], exemptions: [] });
    expect(standardOnly.text).not.toContain('Policy exemption writer');
    expectFacts(standardOnly, ['creating the Defender standard assignments (Exempt) failed', 'Defender standard exemption writer']);
  });

  it.each(all(hostileRequest({ targets: [{ resourceId: `${RG}${IMG_BREAKOUT}`, assignments: [], standards: [{ assignedStandardId: `${STANDARD_ID}${SCRIPT_TAG}`, displayName: IMG_BREAKOUT, standardAssignmentId: SCRIPT_TAG }] }] })))(
    '%s email escapes a standard\'s names and ids', (_name, mail) => {
      for (const markup of LIVE_MARKUP) expect(mail.html).not.toContain(markup);
      expect(mail.text).toContain(`for standard ${IMG_BREAKOUT} (${STANDARD_ID}${SCRIPT_TAG}), via ${SCRIPT_TAG}`);
    });
});

describe('a request stored before standards existed', () => {
  const [old, now] = oldAndNowPolicyRequests();

  it.each(all(old).map(([name, mail], i) => [name, mail, all(now)[i]![1]] as const))('renders the %s email exactly like one with none', (_name, mailOld, mailNow) => {
    expect(mailOld).toEqual(mailNow);
    expect(mailOld.text).not.toMatch(/standard|whole resource group|undefined/i);
  });

  it('keeps the review email\'s wording for policy exemptions', () => {
    expectFacts(reviewRequestEmail(old, REVIEW_URL), ['asks to exempt a resource from', 'Approving creates an Azure Policy exemption for each policy assignment that contains the recommendation; it expires on the date you confirm.']);
    expect(reviewRequestEmail(old, REVIEW_URL).subject).toBe('[exemption-broker] Review: Machines should have secrets findings resolved on stappprod01');
  });
});
