import { describe, expect, it } from 'vitest';
import { ASSESSMENTS_QUERY, EXEMPTIONS_QUERY, readAssessmentRow, readExemptionRow, readRows } from '../../../lib/sweep/sources/exemption-rows.js';
import { ASSIGNMENT, exemptionRow, SUB, VM } from './rows.js';

describe('queries', () => {
  it('ask the documented tables and project id (which keeps $skipToken paging whole)', () => {
    expect(EXEMPTIONS_QUERY).toMatch(/^policyresources \| where type =~ 'microsoft\.authorization\/policyexemptions' \| project id,/);
    expect(ASSESSMENTS_QUERY).toMatch(/^securityresources \| where type =~ 'microsoft\.security\/assessments' \| project id,/);
  });
});

describe('readExemptionRow', () => {
  it('reads a well-formed row into canonical, typed parts', () => {
    const read = readExemptionRow(exemptionRow('eb-1', { id: `${VM.replace('resourceGroups', 'RESOURCEGROUPS')}/providers/microsoft.authorization/POLICYEXEMPTIONS/eb-1` }));
    expect(read).toEqual({
      ok: true,
      value: {
        id: `${VM}/providers/Microsoft.Authorization/policyExemptions/eb-1`,
        scope: { kind: 'resource', subscriptionId: SUB, resourceGroup: 'rg-prod', providerNamespace: 'Microsoft.Compute', path: [{ type: 'virtualMachines', name: 'vm-1' }] },
        name: 'eb-1',
        policyAssignmentId: ASSIGNMENT,
        policyAssignment: { scope: { kind: 'subscription', subscriptionId: SUB }, name: 'SecurityCenterBuiltIn' },
        policyDefinitionReferenceIds: ['jitNetworkAccess'],
        exemptionCategory: 'Waiver',
        expiresOn: '2026-03-01T00:00:00.000Z',
        displayName: 'Exemption eb-1',
        managedBy: 'exemption-broker',
        requestId: 'req-eb-1',
        exemptionManagementMode: undefined,
      },
    });
  });

  it('accepts what ARM may leave out: no expiry, no references, no metadata; reads the management mode', () => {
    const row = exemptionRow('manual', { properties: { expiresOn: undefined, policyDefinitionReferenceIds: undefined, metadata: undefined, exemptionCategory: 'mitigated', exemptionManagementMode: 'UserSelfServe' } });
    const read = readExemptionRow(row);
    expect(readExemptionRow(exemptionRow('o', { properties: { expiresOn: '2026-03-01T01:30:00+02:00' } }))).toMatchObject({ value: { expiresOn: '2026-02-28T23:30:00.000Z' } });
    expect(read.ok && read.value).toMatchObject({ expiresOn: undefined, policyDefinitionReferenceIds: [], managedBy: undefined, exemptionCategory: 'Mitigated', exemptionManagementMode: 'UserSelfServe' });
  });

  it('reads a subscription- and a resource-group-scoped exemption', () => {
    const atSub = readExemptionRow(exemptionRow('s', { id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyExemptions/s` }));
    const atGroup = readExemptionRow(exemptionRow('g', { id: `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.Authorization/policyExemptions/g` }));
    expect(atSub.ok && atSub.value.scope).toEqual({ kind: 'subscription', subscriptionId: SUB });
    expect(atGroup.ok && atGroup.value.scope).toEqual({ kind: 'resourceGroup', subscriptionId: SUB, resourceGroup: 'rg-prod' });
  });

  const malformed: [string, unknown, RegExp][] = [
    ['not an object', 'text', /no string id/],
    ['no id', { properties: {} }, /no string id/],
    ['a dot segment in the id', exemptionRow('x', { id: `/subscriptions/${SUB}/resourceGroups/../providers/Microsoft.Authorization/policyExemptions/x` }), /\.\./],
    ['an encoded id', exemptionRow('x', { id: `${VM}%2F..%2F/providers/Microsoft.Authorization/policyExemptions/x` }), /percent/],
    ['not an exemption id', exemptionRow('x', { id: `${VM}/providers/Microsoft.Authorization/policyAssignments/x` }), /policyExemptions/],
    ['a management-group scope', exemptionRow('x', { id: '/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyExemptions/x' }), /^scope/],
    ['no properties', { id: `${VM}/providers/Microsoft.Authorization/policyExemptions/x` }, /no properties/],
    ['no assignment', exemptionRow('x', { properties: { policyAssignmentId: undefined } }), /policyAssignmentId/],
    ['a bad assignment id', exemptionRow('x', { properties: { policyAssignmentId: '/subscriptions/x/providers/Microsoft.Authorization/policyAssignments/a' } }), /policyAssignmentId/],
    ['an unknown category', exemptionRow('x', { properties: { exemptionCategory: 'Forever' } }), /exemptionCategory/],
    ['an expiry without a zone', exemptionRow('x', { properties: { expiresOn: '2026-03-01T00:00:00' } }), /expiresOn/],
    ['an expiry that is no date', exemptionRow('x', { properties: { expiresOn: '2026-02-31T00:00:00Z' } }), /expiresOn/],
    ['an expiry at hour 24', exemptionRow('x', { properties: { expiresOn: '2026-03-01T24:00:00Z' } }), /expiresOn/],
    ['references that are not names', exemptionRow('x', { properties: { policyDefinitionReferenceIds: [1] } }), /policyDefinitionReferenceIds/],
    ['an unknown management mode', exemptionRow('x', { properties: { exemptionManagementMode: 'Whoever' } }), /exemptionManagementMode/],
    ['a non-string managedBy', exemptionRow('x', { properties: { metadata: { managedBy: 7 } } }), /managedBy/],
  ];
  it.each(malformed)('refuses a row with %s, saying why', (_, row, reason) => {
    const read = readExemptionRow(row);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toMatch(reason);
  });
});

describe('readRows', () => {
  it('a malformed row becomes a problem; the rows around it still count', () => {
    const rows = [exemptionRow('a'), exemptionRow('bad', { properties: { exemptionCategory: 'Forever' } }), null, exemptionRow('c')];
    const page = readRows(rows, readExemptionRow, 'resourceGraph');
    expect(page.items.map((e) => e.name)).toEqual(['a', 'c']);
    expect(page.problems).toEqual([
      { source: 'resourceGraph', rowId: `${VM}/providers/Microsoft.Authorization/policyExemptions/bad`, reason: expect.stringMatching(/exemptionCategory/) },
      { source: 'resourceGraph', rowId: undefined, reason: expect.stringMatching(/no string id/) },
    ]);
  });

  it('a parser that throws yields a problem, not a crash', () => {
    const page = readRows([{ id: '/x' }], () => { throw new Error('boom'); }, 'rest');
    expect(page).toEqual({ source: 'rest', items: [], problems: [{ source: 'rest', rowId: '/x', reason: expect.stringMatching(/boom/) }] });
  });
});

describe('readAssessmentRow', () => {
  const KEY = '4fb67663-9ab9-475d-b026-8c544cced439';
  const row = (overrides: Record<string, unknown> = {}) => ({
    id: `${VM}/providers/Microsoft.Security/assessments/${KEY}`,
    name: KEY,
    properties: { resourceDetails: { Id: VM }, status: { code: 'NotApplicable', cause: 'Exempt' }, metadata: { policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/p' }, ...overrides },
  });

  it('reads the resource, key, status and cause', () => {
    expect(readAssessmentRow(row())).toEqual({
      ok: true,
      value: {
        resourceId: VM,
        resource: { kind: 'resource', subscriptionId: SUB, resourceGroup: 'rg-prod', providerNamespace: 'Microsoft.Compute', path: [{ type: 'virtualMachines', name: 'vm-1' }] },
        assessmentKey: KEY,
        statusCode: 'NotApplicable',
        cause: 'Exempt',
        policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/p',
      },
    });
  });

  it('refuses an unknown status, a missing status and an id that is not an assessment', () => {
    expect(readAssessmentRow(row({ status: { code: 'Fine' } })).ok).toBe(false);
    expect(readAssessmentRow(row({ status: undefined })).ok).toBe(false);
    expect(readAssessmentRow({ ...row(), id: `${VM}/providers/Microsoft.Security/pricings/${KEY}` }).ok).toBe(false);
    expect(readAssessmentRow({ ...row(), id: `/subscriptions/${SUB}/resourceGroups/<b>/providers/Microsoft.Security/assessments/${KEY}` }).ok).toBe(false);
  });
});
