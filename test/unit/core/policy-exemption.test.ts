import { describe, expect, it } from 'vitest';
import { clip, DESCRIPTION_MAX, DISPLAY_NAME_MAX, exemptionName } from '../../../lib/azure/policy-exemption.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const RESOURCE = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
const OTHER_RESOURCE = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st2`;
const ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`;
const OTHER_ASSIGNMENT = '/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyAssignments/deny-public';

describe('exemptionName', () => {
  it('is the same for the same request, resource and assignment', () => {
    expect(exemptionName('req1', RESOURCE, ASSIGNMENT)).toBe(exemptionName('req1', RESOURCE, ASSIGNMENT));
  });

  it('differs per request, per resource and per assignment', () => {
    const names = new Set([
      exemptionName('req1', RESOURCE, ASSIGNMENT),
      exemptionName('req2', RESOURCE, ASSIGNMENT),
      exemptionName('req1', OTHER_RESOURCE, ASSIGNMENT),
      exemptionName('req1', RESOURCE, OTHER_ASSIGNMENT),
    ]);
    expect(names.size).toBe(4);
  });

  it('ignores the letter case of the resource and assignment ids', () => {
    expect(exemptionName('req1', RESOURCE.toUpperCase(), ASSIGNMENT.toUpperCase())).toBe(exemptionName('req1', RESOURCE, ASSIGNMENT));
  });

  it('does not let the parts run into each other', () => {
    // The same characters split differently between resource and assignment must not collide.
    expect(exemptionName('req1', `${RESOURCE}a`, ASSIGNMENT)).not.toBe(exemptionName('req1', RESOURCE, `a${ASSIGNMENT}`));
  });

  it('fits an ARM resource name: at most 64 characters of [a-z0-9-]', () => {
    for (const name of [
      exemptionName('req1', RESOURCE, ASSIGNMENT),
      exemptionName('x'.repeat(200), `${RESOURCE}/${'child/'.repeat(100)}c`, OTHER_ASSIGNMENT),
    ]) {
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).toMatch(/^[a-z0-9-]+$/);
    }
  });
});

describe('clip', () => {
  it('keeps text within the limit unchanged', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('', 3)).toBe('');
  });

  it('cuts longer text to exactly the limit, ending with an ellipsis', () => {
    const clipped = clip('x'.repeat(1000), DESCRIPTION_MAX);
    expect(clipped.length).toBe(DESCRIPTION_MAX);
    expect(clipped.endsWith('…')).toBe(true);
    expect(clip('abcd', 3)).toBe('ab…');
  });

  it('uses the limits ARM documents for exemptions', () => {
    expect(DISPLAY_NAME_MAX).toBe(128);
    expect(DESCRIPTION_MAX).toBe(512);
  });
});
