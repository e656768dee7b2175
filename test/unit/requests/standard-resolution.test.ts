import { describe, expect, it } from 'vitest';
import type { AssessmentMetadataInfo, SecurityStandardInfo, StandardAssignmentInfo } from '../../../lib/requests/ports/arm-gateway.js';
import { notExemptibleBecause, standardsContaining } from '../../../lib/requests/standard-resolution.js';

const KEY = '3b9c2e7a-5d41-4f8e-a6b2-9c7d1e0f4a58';
const SUB = '/subscriptions/3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const CONNECTOR = `${SUB}/resourceGroups/rg-app-prod/providers/Microsoft.Security/securityConnectors/aws-contoso-prod`;
const MCSB = 'e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13';
const OTHER = '1f3afdf9-d0c9-4c3d-847f-89da613e70a8';

const standard = (name: string, keys: string[]): SecurityStandardInfo => ({
  id: `${SUB}/providers/Microsoft.Security/securityStandards/${name}`, name, displayName: `standard ${name}`, assessmentKeys: keys, cloudProviders: ['Azure'],
});
const assignment = (scope: string, name: string, standardName: string, effect = 'Audit'): StandardAssignmentInfo => ({
  id: `${scope}/providers/Microsoft.Security/standardAssignments/${name}`, name, scope, effect,
  assignedStandardId: `/providers/Microsoft.Security/Standards/${standardName}`,
});
const VM = `${SUB}/resourceGroups/rg-app-prod/providers/Microsoft.Compute/virtualMachines/vm-app-prod-01`;
const A1 = '8f1d3b5a-7c2e-4a9b-b6d4-0e2f4a6c8b17';
const A2 = 'c2a4e6f8-0b1d-4c3e-8f5a-7b9d1e3f5a26';
const A3 = '0b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('standardsContaining', () => {
  it('takes each standard that contains the key once, through its innermost assignment', () => {
    const found = standardsContaining(VM, KEY.toUpperCase(), [standard(MCSB, [KEY]), standard(OTHER, ['ffffffff-0000-4000-8000-000000000000'])], [
      assignment(CONNECTOR, A2, MCSB), assignment(SUB, A1, MCSB), assignment(SUB, A3, OTHER),
    ]);
    expect(found).toEqual([{
      assignedStandardId: `/providers/Microsoft.Security/Standards/${MCSB}`,
      displayName: `standard ${MCSB}`,
      standardAssignmentId: `${CONNECTOR}/providers/Microsoft.Security/standardAssignments/${A2}`,
    }]);
  });

  it('ignores Exempt assignments (they are exemptions, not the standard being applied)', () => {
    expect(standardsContaining(VM, KEY, [standard(MCSB, [KEY])], [assignment(SUB, A1, MCSB, 'Exempt')])).toEqual([]);
  });

  it('ignores assignments whose standard or id is not in the shape ARM documents', () => {
    const odd = [
      { ...assignment(SUB, A1, MCSB), assignedStandardId: `/providers/Microsoft.Security/Standards/${MCSB}/../x` },
      { ...assignment(SUB, A1, MCSB), id: `${SUB}/providers/Microsoft.Security/standardAssignments/not-a-guid` },
      { ...assignment(SUB, A1, MCSB), id: `${SUB}/../providers/Microsoft.Security/standardAssignments/${A1}` },
    ];
    expect(standardsContaining(VM, KEY, [standard(MCSB, [KEY])], odd)).toEqual([]);
  });

  it('skips an assignment that excludes the target, or a scope above it', () => {
    for (const excluded of [VM, `${SUB}/resourceGroups/RG-APP-PROD`]) {
      expect(standardsContaining(VM, KEY, [standard(MCSB, [KEY])], [{ ...assignment(SUB, A1, MCSB), excludedScopes: [excluded] }])).toEqual([]);
    }
    expect(standardsContaining(VM, KEY, [standard(MCSB, [KEY])], [{ ...assignment(SUB, A1, MCSB), excludedScopes: [`${SUB}/resourceGroups/rg-data-prod`] }])).toHaveLength(1);
  });

  it('finds nothing when no available standard contains the key', () => {
    expect(standardsContaining(VM, KEY, [standard(OTHER, [])], [assignment(SUB, A3, OTHER)])).toEqual([]);
  });
});

describe('notExemptibleBecause', () => {
  const metadata = (change: Partial<AssessmentMetadataInfo>): AssessmentMetadataInfo => ({
    assessmentKey: KEY, displayName: 'A recommendation', mechanism: 'defender', assessmentType: 'BuiltIn', preview: false, ...change,
  });
  it.each([
    ['a built-in Defender-native recommendation', metadata({}), undefined],
    ['a built-in policy-based recommendation', metadata({ mechanism: 'policy', policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/x' }), undefined],
    ['a verified partner recommendation', metadata({ assessmentType: 'VerifiedPartner' }), undefined],
    ['a preview recommendation', metadata({ preview: true }), /in preview/],
    ['a custom KQL recommendation', metadata({ assessmentType: 'CustomerManaged' }), /custom recommendation \(CustomerManaged\)/],
    ['a custom policy recommendation', metadata({ assessmentType: 'custompolicy' }), /custom recommendation/],
  ])('%s', (_label, info, reason) => {
    const refusal = notExemptibleBecause(info);
    if (reason === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(reason);
  });
});
