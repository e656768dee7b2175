import { describe, expect, it } from 'vitest';
import { SCOPE_LEVELS, widerThan } from '../../../lib/requests/scope-level.js';

describe('MAX_SCOPE_LEVEL', () => {
  it.each([
    ['resource', 'resource', false], ['resourceGroup', 'resource', true], ['subscription', 'resource', true],
    ['resource', 'resourceGroup', false], ['resourceGroup', 'resourceGroup', false], ['subscription', 'resourceGroup', true],
    ['resource', 'subscription', false], ['resourceGroup', 'subscription', false], ['subscription', 'subscription', false],
  ] as const)('an exemption at %s is wider than %s allows: %s', (kind, max, wider) => {
    expect(widerThan(kind, max)).toBe(wider);
  });

  it('names the levels in the order the setting accepts', () => {
    expect(SCOPE_LEVELS).toEqual(['resource', 'resourceGroup', 'subscription']);
  });
});
