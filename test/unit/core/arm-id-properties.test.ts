import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { armPath } from '../../../lib/azure/arm-path.js';
import { formatPolicyAssignmentId, parsePolicyAssignmentId } from '../../../lib/azure/policy-assignment-id.js';
import { canonicalResourceId, formatResourceId, parseResourceId, readResourceId, resourceSegments } from '../../../lib/azure/resource-id.js';
import { hostileText, resourceName, resourceScope, sloppySpelling } from '../../support/arm-id-arbitraries.js';

/** What a server sees: the path after URL parsing (which resolves dot segments), each segment decoded. */
function decodedPath(path: string): { resolved: string; segments: string[] } {
  const resolved = new URL(path, 'https://management.azure.com').pathname;
  return { resolved, segments: resolved.split('/').slice(1).map(decodeURIComponent) };
}

describe('resource id grammar: properties', () => {
  it('parse(format(p)) gives back p', () => {
    fc.assert(fc.property(resourceScope, (scope) => {
      expect(parseResourceId(formatResourceId(scope))).toEqual(scope);
    }));
  });

  it('every spelling ARM treats as the same id canonicalises to one text, which is a fixed point', () => {
    fc.assert(fc.property(resourceScope.chain((scope) => fc.tuple(fc.constant(formatResourceId(scope)), sloppySpelling(formatResourceId(scope)))),
      ([canonical, sloppy]) => {
        expect(canonicalResourceId(sloppy)).toBe(canonical);
        expect(canonicalResourceId(canonical)).toBe(canonical);
      }));
  });

  it('the URL path of an accepted id survives URL parsing unchanged and decodes to exactly its segments', () => {
    fc.assert(fc.property(resourceScope, (scope) => {
      const path = armPath(resourceSegments(scope));
      const { resolved, segments } = decodedPath(path);
      expect(resolved).toBe(path);
      expect(segments).toEqual(resourceSegments(scope));
    }));
  });

  it('arbitrary text is either refused, or names the same scope it spelled and yields a URL with no dot segments', () => {
    fc.assert(fc.property(hostileText, (text) => {
      const read = readResourceId(text);
      if (!read.ok) return;
      const canonical = formatResourceId(read.value);
      expect(canonical.toLowerCase()).toBe(text.replace(/\/$/, '').toLowerCase());
      const path = armPath(resourceSegments(read.value));
      const { resolved, segments } = decodedPath(path);
      expect(resolved).toBe(path);
      expect(segments.some((s) => s === '.' || s === '..' || s === '')).toBe(false);
    }), { numRuns: 5000 });
  });

  it('policy assignment ids round-trip through parse and format at every kind of scope', () => {
    const scopeText = fc.oneof(resourceScope.map(formatResourceId), resourceName.map((mg) => `/providers/Microsoft.Management/managementGroups/${mg}`));
    fc.assert(fc.property(scopeText, resourceName, (scope, name) => {
      const id = `${scope}/providers/Microsoft.Authorization/policyAssignments/${name}`;
      const parsed = parsePolicyAssignmentId(id);
      expect(parsed && formatPolicyAssignmentId(parsed)).toBe(id);
      expect(parsePolicyAssignmentId(formatPolicyAssignmentId(parsed!))).toEqual(parsed);
    }));
  });
});
