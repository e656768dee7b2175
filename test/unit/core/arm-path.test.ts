import { describe, expect, it } from 'vitest';
import { armPath, sdkScopeParameter, UnsafePathSegmentError } from '../../../lib/azure/arm-path.js';

describe('armPath', () => {
  it('joins segments with one slash each and encodes every segment on its own', () => {
    expect(armPath(['subscriptions', 'abc', 'resourceGroups', 'rg (1)'])).toBe('/subscriptions/abc/resourceGroups/rg%20(1)');
    expect(armPath(['a/b', '?x', '#y', '%2e'])).toBe('/a%2Fb/%3Fx/%23y/%252e');
  });

  it.each([[''], ['.'], ['..']])('refuses the segment %j, which encoding cannot neutralise', (segment) => {
    expect(() => armPath(['subscriptions', segment, 'x'])).toThrow(UnsafePathSegmentError);
  });

  it('refuses an empty path', () => {
    expect(() => armPath([])).toThrow(UnsafePathSegmentError);
  });

  it('gives SDK scope parameters without the leading slash the SDK adds itself', () => {
    expect(sdkScopeParameter(['subscriptions', 'abc'])).toBe('subscriptions/abc');
  });
});
