import { checkReportToken } from '../../../lib/web/report-link.js';
import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../lib/notify/mailer.js';
import { SweepEmailNotices } from '../../../lib/notify/sweep-email-notices.js';
import type { SweepFinding, SweepRun } from '../../../lib/sweep/model.js';
import { verifyRenewalToken } from '../../../lib/web/renewal-links.js';
import { hostileRequest, IMG_BREAKOUT, SCRIPT_TAG } from '../../support/hostile-request.js';
import { sampleRequest } from '../../support/sample-request.js';

const NOW = new Date('2026-11-02T10:00:00.000Z');
const LINKS = { publicBaseUrl: 'https://broker.example.com', signingKey: 'notices-test-secret-0123456789abcdef', linkTtlHours: 72 };

function notices() {
  const sent: OutgoingMail[] = [];
  const subject = new SweepEmailNotices({ send: async (mail) => void sent.push(mail) }, LINKS, { now: () => NOW });
  return { subject, sent };
}

const applied = sampleRequest({
  id: 'req-applied-1', state: 'applied', requestedBy: 'dev.owner@contoso.com',
  decision: { outcome: 'approved', by: 'secops@contoso.com', at: '2026-10-01T00:00:00.000Z', channel: 'review-page' },
  exemptions: [{ id: '/subscriptions/x/providers/Microsoft.Authorization/policyExemptions/eb-1', resourceId: '/subscriptions/x', policyAssignmentId: '/subscriptions/x/providers/Microsoft.Authorization/policyAssignments/a' }],
});

function renewUrlIn(text: string): URL {
  const match = /https:\/\/\S+\/api\/renew\?t=[\w.%-]+/.exec(text);
  if (!match) throw new Error('no renewal link');
  return new URL(match[0]);
}

describe('sweep notices by email (renewal links)', () => {
  it('mail each of requester and approver their own renewal link for an expiring exemption', async () => {
    const { subject, sent } = notices();
    await subject.expiring(applied, { expiresOn: '2026-11-09T00:00:00.000Z', thresholdDays: 7 });
    expect(sent.map((m) => m.to)).toEqual([['dev.owner@contoso.com'], ['secops@contoso.com']]);
    for (const mail of sent) {
      expect(mail.subject).toContain('7 days');
      const check = verifyRenewalToken(LINKS.signingKey, renewUrlIn(mail.text).searchParams.get('t')!, NOW);
      expect(check.ok && check.claims).toMatchObject({ requestId: 'req-applied-1', recipient: mail.to[0] });
      expect(mail.html).toContain(renewUrlIn(mail.text).href.replace(/&/g, '&amp;'));
    }
  });

  it('never mail .invalid addresses, and skip a notice with nobody to tell', async () => {
    const { subject, sent } = notices();
    const relayed = { ...applied, requestedBy: 'defender-relay@relay.invalid', decision: { ...applied.decision!, by: 'x@approvers.invalid' } };
    await subject.expiring(relayed, { expiresOn: '2026-11-09T00:00:00.000Z', thresholdDays: 7 });
    await subject.expired(relayed);
    await subject.revoked(relayed, 'deleted');
    await subject.removed(relayed);
    await subject.digest(['ops@example.invalid'], run(), [], 0);
    expect(sent).toEqual([]);
    await subject.expired({ ...relayed, decision: applied.decision! });
    expect(sent.map((m) => m.to)).toEqual([['secops@contoso.com']]);
  });

  it('mail expired, revoked and removed notices to requester and approver together', async () => {
    const { subject, sent } = notices();
    await subject.expired(applied);
    await subject.revoked(applied, 'the exemption was not found at ARM');
    await subject.removed(applied);
    expect(sent.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([
      [['dev.owner@contoso.com', 'secops@contoso.com'], '[exemption-broker] Exemption expired'],
      [['dev.owner@contoso.com', 'secops@contoso.com'], '[exemption-broker] Exemption deleted out of band'],
      [['dev.owner@contoso.com', 'secops@contoso.com'], '[exemption-broker] Expired exemption removed'],
    ]);
    expect(sent[1]!.text).toContain('the exemption was not found at ARM');
    expect(sent.every((m) => !/api\/renew/.test(m.text))).toBe(true);
  });

  it('escape everything a request or ARM supplied', async () => {
    const { subject, sent } = notices();
    const hostile = hostileRequest({ state: 'applied', requestedBy: 'dev.owner@contoso.com', decision: { ...applied.decision!, comment: IMG_BREAKOUT } });
    await subject.expiring(hostile, { expiresOn: '2026-11-09T00:00:00.000Z', thresholdDays: 1 });
    await subject.revoked(hostile, `gone ${SCRIPT_TAG}`);
    await subject.digest(['ops@contoso.com'], run(), [finding({ displayName: SCRIPT_TAG, detail: IMG_BREAKOUT, subject: `/subscriptions/x${SCRIPT_TAG}` })], 1);
    expect(sent).toHaveLength(4);
    for (const mail of sent) {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.subject).not.toMatch(/[\r\n]/);
    }
    expect(sent[0]!.subject).toContain('1 day');
  });

  it('send a digest that says how many new findings it leaves out', async () => {
    const { subject, sent } = notices();
    await subject.digest(['ops@contoso.com', 'OPS@contoso.com'], run(), [finding({})], 3);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual(['ops@contoso.com']);
    expect(sent[0]!.subject).toContain('3 new findings');
    expect(sent[0]!.text).toContain('Expiring soon');
    expect(sent[0]!.text).toMatch(/2 more/);
    // The report link is signed for this run and opens only it.
    const link = /https?:\/\/\S+\/api\/sweeps\/run-1\/report\?t=[\w.%-]+/.exec(sent[0]!.text);
    expect(link).not.toBeNull();
    const token = new URL(link![0]).searchParams.get('t')!;
    expect(checkReportToken(LINKS.signingKey, token, NOW)).toMatchObject({ ok: true, claims: { runId: 'run-1' } });
  });
});

function run(): SweepRun {
  return {
    id: 'run-1', trigger: 'timer', dryRun: false, scope: { managementGroups: [], subscriptions: [] }, status: 'succeeded',
    startedAt: NOW.toISOString(), counts: { exemptions: 10, assessments: 0, subscriptions: 1, findings: 3, newFindings: 3, byKind: {} },
    calls: { resourceGraphQueries: 1, armCalls: 0, throttled: 0, waitedMs: 0 }, expiringPerWeek: [], errors: [],
  };
}

function finding(overrides: Partial<SweepFinding>): SweepFinding {
  return {
    key: 'k', kind: 'expiring', threshold: '7', subject: '/subscriptions/x/providers/Microsoft.Authorization/policyExemptions/eb-1',
    subscriptionId: 'x', scope: '/subscriptions/x', policyAssignmentId: undefined, displayName: 'Exemption: storage', expiresOn: '2026-11-09T00:00:00.000Z',
    requestId: 'req-applied-1', managed: true, detail: 'expires in 7 days', action: 'renewal-offered', firstSeen: NOW.toISOString(), lastSeen: NOW.toISOString(), isNew: true,
    ...overrides,
  };
}
