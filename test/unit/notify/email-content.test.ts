import { describe, expect, it } from 'vitest';
import { appliedEmail, failedEmail, rejectedEmail, reviewRequestEmail, type EmailContent } from '../../../lib/notify/email-content.js';
import type { ExemptionRequest } from '../../../lib/requests/model.js';
import { escapeHtml } from '../../../lib/web/html.js';
import { hostileRequest, LIVE_MARKUP } from '../../support/hostile-request.js';
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
