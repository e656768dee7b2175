import { describe, expect, it } from 'vitest';
import {
  assignedStandardId, STANDARD_DESCRIPTION_MAX, STANDARD_DISPLAY_NAME_MAX, standardAssignmentName, StandardAssignmentInputError,
  standardExemptionProperties, type StandardExemptionInput,
} from '../../../lib/azure/standard-assignment.js';

const STANDARD = 'E4B6C8D2-3A5F-4B7E-9C1D-2F4A6B8C0D13';
const KEY = '3b9c2e7a-5d41-4f8e-a6b2-9c7d1e0f4a58';
const RESOURCE = '/subscriptions/3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90/resourceGroups/rg-app-prod/providers/Microsoft.Compute/virtualMachines/vm-app-prod-01';
const input = (o: Partial<StandardExemptionInput> = {}): StandardExemptionInput => ({
  standardName: STANDARD, assessmentKey: KEY, category: 'Waiver', expiresOn: new Date('2030-01-31T12:00:00+02:00'),
  displayName: 'd', description: 'x', ...o,
});
const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('standardExemptionProperties', () => {
  it('builds an Exempt assignment of the standard for the recommendation, expiry in UTC', () => {
    expect(standardExemptionProperties(input())).toEqual({
      displayName: 'd', description: 'x',
      assignedStandard: { id: `/providers/Microsoft.Security/Standards/${STANDARD.toLowerCase()}` },
      effect: 'Exempt',
      expiresOn: '2030-01-31T10:00:00.000Z',
      exemptionData: { exemptionCategory: 'waiver', assignedAssessment: { assessmentKey: KEY } },
    });
  });

  it("maps the broker's categories onto the 2024-08-01 lower-case enum", () => {
    expect(standardExemptionProperties(input({ category: 'Mitigated' })).exemptionData.exemptionCategory).toBe('mitigated');
    expect(standardExemptionProperties(input({ category: 'Waiver' })).exemptionData.exemptionCategory).toBe('waiver');
  });

  it('keeps text at the limits and clips text over them, never splitting a surrogate pair', () => {
    const atLimit = standardExemptionProperties(input({ displayName: 'a'.repeat(STANDARD_DISPLAY_NAME_MAX), description: 'b'.repeat(STANDARD_DESCRIPTION_MAX) }));
    expect(atLimit.displayName).toBe('a'.repeat(128));
    expect(atLimit.description).toBe('b'.repeat(512));
    const over = standardExemptionProperties(input({ displayName: 'a'.repeat(129), description: '😀'.repeat(400) }));
    expect(over.displayName).toHaveLength(128);
    expect(over.displayName.endsWith('…')).toBe(true);
    expect(over.description.length).toBeLessThanOrEqual(512);
    expect(over.description).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('refuses a key or standard that is not a GUID and an invalid expiry', () => {
    for (const bad of [input({ assessmentKey: '../x' }), input({ standardName: 'Standards/x' }), input({ expiresOn: new Date('nope') })]) {
      expect(() => standardExemptionProperties(bad)).toThrow(StandardAssignmentInputError);
    }
    expect(() => assignedStandardId(`${STANDARD}/..`)).toThrow(/standardName must be a GUID/);
  });
});

describe('standardAssignmentName', () => {
  it('is a version 8 UUID (ARM requires a GUID), the same for the same request, scope, standard and key whatever the casing', () => {
    const name = standardAssignmentName('r-1', RESOURCE, STANDARD, KEY);
    expect(name).toMatch(UUID_V8);
    expect(standardAssignmentName('r-1', RESOURCE.toUpperCase(), STANDARD.toLowerCase(), KEY.toUpperCase())).toBe(name);
  });

  it('differs when any of request, scope, standard or key differs', () => {
    const name = standardAssignmentName('r-1', RESOURCE, STANDARD, KEY);
    expect(new Set([
      name,
      standardAssignmentName('r-2', RESOURCE, STANDARD, KEY),
      standardAssignmentName('r-1', `${RESOURCE}x`, STANDARD, KEY),
      standardAssignmentName('r-1', RESOURCE, '00000000-0000-0000-0000-000000000000', KEY),
      standardAssignmentName('r-1', RESOURCE, STANDARD, '00000000-0000-0000-0000-000000000001'),
    ]).size).toBe(5);
  });
});
