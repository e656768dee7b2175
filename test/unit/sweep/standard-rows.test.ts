import { describe, expect, it } from 'vitest';
import type { ManagedStandardExemption } from '../../../lib/sweep/findings/managed-index.js';
import { standardDriftFrom, standardFindings } from '../../../lib/sweep/findings/standard-rules.js';
import type { InventoryStandardExemption } from '../../../lib/sweep/inventory.js';
import { isExemptRow, readStandardExemptionId, readStandardExemptionRow, STANDARD_ASSIGNMENTS_QUERY } from '../../../lib/sweep/sources/standard-rows.js';
import { SUB, VM } from './rows.js';

const NAME = '5d7f9b1c-3e5a-4c7e-9b1d-3f5a7c9e1b24';
const STANDARD = '/providers/Microsoft.Security/Standards/e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13';
const KEY = '3b9c2e7a-5d41-4f8e-a6b2-9c7d1e0f4a58';
const ID = `${VM}/providers/Microsoft.Security/standardAssignments/${NAME}`;

function row(overrides: { id?: unknown; properties?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    id: overrides.id ?? ID,
    name: NAME,
    properties: {
      displayName: 'Secrets on vm-1', effect: 'Exempt', assignedStandard: { id: STANDARD }, expiresOn: '2026-03-01T02:00:00+02:00',
      exemptionData: { exemptionCategory: 'waiver', assignedAssessment: { assessmentKey: KEY.toUpperCase() } },
      ...overrides.properties,
    },
  };
}

describe('the standard assignments query', () => {
  it('asks the documented securityresources type and projects id', () => {
    expect(STANDARD_ASSIGNMENTS_QUERY).toMatch(/^securityresources \| where type =~ 'microsoft\.security\/standardassignments' \| project id,/);
  });
});

describe('readStandardExemptionRow', () => {
  it('reads an Exempt assignment into canonical parts (categories as the policy ones, expiry in UTC)', () => {
    expect(readStandardExemptionRow(row())).toEqual({
      ok: true,
      value: {
        id: ID, name: NAME, assignedStandardId: STANDARD, assessmentKey: KEY, exemptionCategory: 'Waiver',
        scope: { kind: 'resource', subscriptionId: SUB, resourceGroup: 'rg-prod', providerNamespace: 'Microsoft.Compute', path: [{ type: 'virtualMachines', name: 'vm-1' }] },
        expiresOn: '2026-03-01T00:00:00.000Z', displayName: 'Secrets on vm-1',
      },
    });
    expect(readStandardExemptionRow(row({ properties: { exemptionData: { exemptionCategory: 'Mitigated', assignedAssessment: { assessmentKey: KEY } }, expiresOn: null } })))
      .toMatchObject({ ok: true, value: { exemptionCategory: 'Mitigated', expiresOn: undefined } });
  });

  it('only effect Exempt is an exemption: Audit and Attest assign the standard itself', () => {
    for (const effect of ['Audit', 'Attest', undefined, 7]) {
      expect(isExemptRow(row({ properties: { effect } })), String(effect)).toBe(false);
      expect(readStandardExemptionRow(row({ properties: { effect } }))).toEqual({ ok: false, reason: 'effect is not Exempt' });
    }
    expect(isExemptRow(row({ properties: { effect: 'exempt' } }))).toBe(true);
  });

  it.each([
    ['a dot segment', `${VM}/../providers/Microsoft.Security/standardAssignments/${NAME}`],
    ['an encoded dot segment', `${VM}/%2e%2e/providers/Microsoft.Security/standardAssignments/${NAME}`],
    ['a query', `${VM}/providers/Microsoft.Security/standardAssignments/${NAME}?x=1`],
    ['a name that is not a GUID', `${VM}/providers/Microsoft.Security/standardAssignments/not-a-guid`],
    ['another type', `${VM}/providers/Microsoft.Authorization/policyExemptions/${NAME}`],
    ['a management group scope', `/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Security/standardAssignments/${NAME}`],
    ['no id', 42],
  ])('refuses an id with %s', (_label, id) => {
    expect(readStandardExemptionRow(row({ id })).ok).toBe(false);
  });

  it.each([
    ['an assigned standard elsewhere', { assignedStandard: { id: `/subscriptions/${SUB}/providers/Microsoft.Security/Standards/x` } }],
    ['an assessment key that is not a GUID', { exemptionData: { exemptionCategory: 'waiver', assignedAssessment: { assessmentKey: 'k/../x' } } }],
    ['an unknown category', { exemptionData: { exemptionCategory: 'forever', assignedAssessment: { assessmentKey: KEY } } }],
    ['an impossible expiry', { expiresOn: '2026-02-31T00:00:00Z' }],
    ['an expiry without a zone', { expiresOn: '2026-03-01T00:00:00' }],
    ['a display name that is not text', { displayName: { html: true } }],
  ])('refuses %s', (_label, properties) => {
    expect(readStandardExemptionRow(row({ properties })).ok).toBe(false);
  });

  it('re-reads stored ids with the same grammar', () => {
    expect(readStandardExemptionId(ID)).toMatchObject({ ok: true, value: { name: NAME } });
    expect(readStandardExemptionId(`${VM}/providers/Microsoft.Security/standardAssignments/..`).ok).toBe(false);
  });
});

describe('standard findings', () => {
  const NOW = new Date('2026-02-25T00:00:00.000Z');
  const exemption = (overrides: Partial<InventoryStandardExemption> = {}): InventoryStandardExemption => {
    const read = readStandardExemptionRow(row());
    if (!read.ok) throw new Error(read.reason);
    return { ...read.value, ...overrides };
  };
  const approved: ManagedStandardExemption = {
    exemptionId: ID, resourceId: VM, requestId: 'req1', requestState: 'applied', subscriptionId: SUB, assignedStandardId: STANDARD,
    assessmentKey: KEY, category: 'Waiver', expiresOn: '2026-03-01T00:00:00.000Z', displayName: 'Secrets', changedAt: '2026-01-01T00:00:00.000Z',
  };

  it('an unmanaged one is reported with its expiry standing, as a standard-assignment finding', () => {
    expect(standardFindings(exemption(), { now: NOW, warnDays: [30, 7, 1], managed: undefined }).map((d) => [d.kind, d.threshold, d.mechanism, d.assignedStandardId, d.managed]))
      .toEqual([['expiring', '7', 'standard', STANDARD, false], ['unmanaged', '', 'standard', STANDARD, false]]);
  });

  it('a managed one as approved shows no drift; the standard may be named through securityStandards', () => {
    expect(standardDriftFrom(exemption(), approved)).toEqual([]);
    expect(standardDriftFrom(exemption({ assignedStandardId: STANDARD.replace('Standards', 'securityStandards') }), approved)).toEqual([]);
  });

  it('drift: expiry, category, standard and recommendation each named', () => {
    const changed = exemption({
      expiresOn: '2027-01-01T00:00:00.000Z', exemptionCategory: 'Mitigated',
      assignedStandardId: '/providers/Microsoft.Security/Standards/11111111-2222-4333-8444-555555555555', assessmentKey: '22222222-3333-4444-8555-666666666666',
    });
    expect(standardDriftFrom(changed, approved).map((c) => c.split(' ')[0])).toEqual(['expiry', 'category', 'standard', 'recommendation']);
    expect(standardFindings(changed, { now: NOW, warnDays: [30, 7, 1], managed: approved }).map((d) => d.kind)).toEqual(['changedOutOfBand']);
  });
});
