import { describe, expect, it } from 'vitest';
import { expiryStanding } from '../../../lib/sweep/findings/expiry.js';
import { driftFrom, exemptionFindings } from '../../../lib/sweep/findings/exemption-rules.js';
import { findingKey } from '../../../lib/sweep/findings/finding-key.js';
import type { ManagedExemption } from '../../../lib/sweep/findings/managed-index.js';
import { ResourceLedger } from '../../../lib/sweep/findings/resource-ledger.js';
import type { InventoryAssessment, InventoryExemption } from '../../../lib/sweep/inventory.js';
import { readExemptionRow } from '../../../lib/sweep/sources/exemption-rows.js';
import { readSweepMessage } from '../../../lib/sweep/sweep-queue.js';

const NOW = new Date('2026-12-02T00:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const RESOURCE = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
const ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/asc`;

function exemption(properties: Record<string, unknown> = {}, name = 'ex1'): InventoryExemption {
  const read = readExemptionRow({
    id: `${RESOURCE}/providers/Microsoft.Authorization/policyExemptions/${name}`,
    properties: { policyAssignmentId: ASSIGNMENT, exemptionCategory: 'Waiver', policyDefinitionReferenceIds: ['ref1'], expiresOn: at(60), ...properties },
  });
  if (!read.ok) throw new Error(read.reason);
  return read.value;
}

const managed = (overrides: Partial<ManagedExemption> = {}): ManagedExemption => ({
  exemptionId: exemption().id, resourceId: RESOURCE, requestId: 'req1', requestState: 'applied', subscriptionId: SUB,
  policyAssignmentId: ASSIGNMENT, policyDefinitionReferenceIds: ['ref1'], category: 'Waiver', expiresOn: at(60), displayName: 'x',
  changedAt: at(-30), ...overrides,
});

describe('expiry standing', () => {
  it.each([
    [45, { kind: 'ok' }],
    [30, { kind: 'expiring', threshold: 30 }],
    [29.9, { kind: 'expiring', threshold: 30 }],
    [7, { kind: 'expiring', threshold: 7 }],
    [5, { kind: 'expiring', threshold: 7 }],
    [0.5, { kind: 'expiring', threshold: 1 }],
    [0, { kind: 'expired' }],
    [-3, { kind: 'expired' }],
  ])('%s days left → %o (the tightest threshold reached)', (days, expected) => {
    expect(expiryStanding(at(days), NOW, [30, 7, 1])).toMatchObject(expected);
  });

  it('no expiry is a standing of its own', () => {
    expect(expiryStanding(undefined, NOW, [30])).toEqual({ kind: 'noExpiry' });
  });
});

describe('exemption findings', () => {
  const kinds = (e: InventoryExemption, context: Partial<Parameters<typeof exemptionFindings>[1]> = {}) =>
    exemptionFindings(e, { now: NOW, warnDays: [30, 7, 1], managed: undefined, assignment: 'exists', ...context }).map((d) => `${d.kind}${d.threshold ? `:${d.threshold}` : ''}`);

  it('a managed exemption as approved has no finding; one made elsewhere is unmanaged, even when its metadata claims us', () => {
    expect(kinds(exemption(), { managed: managed() })).toEqual([]);
    expect(kinds(exemption())).toEqual(['unmanaged']);
    const claimed = exemptionFindings(exemption({ metadata: { managedBy: 'exemption-broker', requestId: 'req9' } }), { now: NOW, warnDays: [30], managed: undefined, assignment: 'exists' });
    expect(claimed.map((d) => [d.kind, d.managed])).toEqual([['unmanaged', false]]);
    expect(claimed[0]!.detail).toContain('no stored request created it');
  });

  it('self-serve exemptions are reported as unreviewed, not as unmanaged', () => {
    expect(kinds(exemption({ exemptionManagementMode: 'UserSelfServe' }))).toEqual(['selfServe']);
  });

  it('expiry, orphaned assignment and drift are reported together', () => {
    expect(kinds(exemption({ expiresOn: at(5), exemptionCategory: 'Mitigated' }), { managed: managed(), assignment: 'gone' }))
      .toEqual(['expiring:7', 'changedOutOfBand', 'orphanedAssignment']);
    expect(kinds(exemption({ expiresOn: undefined }), { assignment: 'unknown' })).toEqual(['noExpiry', 'unmanaged']);
  });

  it('drift names each field that differs from the approval, and nothing else', () => {
    expect(driftFrom(exemption(), managed())).toEqual([]);
    expect(driftFrom(exemption({ expiresOn: at(60).replace('.000Z', 'Z') }), managed())).toEqual([]);
    const changes = driftFrom(exemption({ expiresOn: at(400), exemptionCategory: 'Mitigated', policyDefinitionReferenceIds: ['ref1', 'ref2'] }), managed());
    expect(changes.map((c) => c.split(' ')[0])).toEqual(['expiry', 'category', 'policies']);
    expect(driftFrom(exemption({ policyAssignmentId: `${ASSIGNMENT}2` }), managed())[0]).toMatch(/^assignment /);
  });

  it('finding keys are stable, case-insensitive on the subject, and distinct per kind and threshold', () => {
    expect(findingKey('expiring', 'A/B', '7')).toBe(findingKey('expiring', 'a/b', '7'));
    expect(findingKey('expiring', 'a/b', '7')).not.toBe(findingKey('expiring', 'a/b', '30'));
    expect(findingKey('expired', 'a/b', '')).not.toBe(findingKey('noExpiry', 'a/b', ''));
    expect(findingKey('expired', 'a/b', '')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('Defender reconciliation', () => {
  const POLICY = '/providers/microsoft.authorization/policydefinitions/p1';
  const assessment = (statusCode: InventoryAssessment['statusCode'], cause?: string, policyDefinitionId = POLICY): InventoryAssessment => ({
    resourceId: RESOURCE, resource: exemption().scope, assessmentKey: 'k1', statusCode, cause, policyDefinitionId,
  });
  const coverage = (active: boolean, name: string) => ({
    facts: { id: `${RESOURCE}/providers/Microsoft.Authorization/policyExemptions/${name}`, subscriptionId: SUB, scope: RESOURCE, policyAssignmentId: ASSIGNMENT, displayName: undefined, expiresOn: undefined, requestId: undefined, managed: false },
    definitions: [POLICY], active, changedAt: 0,
  });

  it('an active exemption expects NotApplicable / Exempt; an ended one expects anything else', () => {
    const ledger = new ResourceLedger();
    ledger.add(RESOURCE, 'microsoft.storage/storageaccounts', coverage(true, 'a'));
    expect(ledger.judge(assessment('NotApplicable', 'Exempt'))).toEqual([]);
    expect(ledger.judge(assessment('Unhealthy')).map((v) => v.expected)).toEqual(['Exempt']);
    expect(ledger.judge(assessment('Unhealthy', undefined, '/providers/microsoft.authorization/policydefinitions/other'))).toEqual([]);
    const ended = new ResourceLedger();
    ended.add(RESOURCE, 'microsoft.storage/storageaccounts', coverage(false, 'b'));
    expect(ended.judge(assessment('Unhealthy'))).toEqual([]);
    expect(ended.judge(assessment('NotApplicable', 'Exempt')).map((v) => v.expected)).toEqual(['not exempt']);
  });

  it('an expired exemption is no mismatch while another active one still covers the same policy', () => {
    const ledger = new ResourceLedger();
    ledger.add(RESOURCE, 'microsoft.storage/storageaccounts', coverage(false, 'old'));
    ledger.add(RESOURCE, 'microsoft.storage/storageaccounts', coverage(true, 'new'));
    expect(ledger.judge(assessment('NotApplicable', 'Exempt'))).toEqual([]);
  });

  it('a resource is orphaned only when the listing did not show it', () => {
    const ledger = new ResourceLedger();
    ledger.add(RESOURCE, 'microsoft.storage/storageaccounts', coverage(true, 'a'));
    ledger.add(`${RESOURCE}2`, 'microsoft.storage/storageaccounts', coverage(true, 'b'));
    ledger.markPresent(RESOURCE.toUpperCase());
    expect([...ledger.orphans()].map((d) => d.subject)).toEqual([coverage(true, 'b').facts.id]);
    expect(ledger.resourceTypes()).toEqual(['microsoft.storage/storageaccounts']);
  });
});

describe('sweep queue messages', () => {
  it('take only { kind: "sweep", runId } with a run id', () => {
    expect(readSweepMessage('{"kind":"sweep","runId":"8203816142450-09f68b5e"}')).toEqual({ kind: 'sweep', runId: '8203816142450-09f68b5e' });
    for (const bad of ['{"kind":"sweep","runId":"../x"}', '{"kind":"apply","runId":"abc"}', '{"kind":"sweep","runId":"abc","extra":1}', 'not json', 42]) {
      expect(readSweepMessage(bad)).toBeUndefined();
    }
  });
});
