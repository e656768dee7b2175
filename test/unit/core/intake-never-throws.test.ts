import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIntake } from '../../../lib/requests/parse-intake.js';
import { defenderEvent } from '../../support/defender-event.js';

/**
 * The create handler parses before its try block: a throw here would be a 500 for bad input. Whatever
 * JSON arrives, parsing must end in a result, accepted or refused with named fields.
 */
const LIMITS = { maxResourcesPerRequest: 3, maxExpiryDays: 365, defaultExpiryDays: 90, maxJustificationLength: 512, defaultCategory: 'Waiver' as const, maxScopeLevel: 'resourceGroup' as const };
const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const RESOURCE = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
const DIRECT = { resourceId: RESOURCE, assessmentKey: 'k1', justification: 'Behind a private endpoint', requestedBy: 'owner@contoso.com', expiresOn: '2099-01-01T00:00:00Z' };

type Json = unknown;
const anyJson = fc.jsonValue({ maxDepth: 4 });

/** Every path to a value inside `value`, objects and arrays alike. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [[...prefix, key], ...pathsOf(inner, [...prefix, key])]);
}

/** `base` with one value anywhere inside it replaced by arbitrary JSON. */
function mutationsOf(base: Json): fc.Arbitrary<Json> {
  return fc.tuple(fc.constantFrom(...pathsOf(base)), anyJson).map(([path, replacement]) => {
    const copy = structuredClone(base) as Record<string | number, any>;
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key];
    at[path.at(-1)!] = replacement;
    return copy;
  });
}

function settles(body: Json): boolean {
  const result = parseIntake(body, LIMITS, new Date('2026-11-20T00:00:00Z'));
  return result.ok || result.problems.length > 0;
}

describe('intake parsing never throws on hostile JSON', () => {
  it('for any JSON value', () => {
    fc.assert(fc.property(anyJson, settles), { numRuns: 300 });
  });

  it('for a direct request with any one value replaced', () => {
    fc.assert(fc.property(mutationsOf(DIRECT), settles), { numRuns: 300 });
  });

  it('for a Defender event with any one value replaced', () => {
    fc.assert(fc.property(mutationsOf(defenderEvent(RESOURCE, 'k1')), settles), { numRuns: 300 });
  });

  it('for very deep nesting where an object is expected', () => {
    let deep: Json = 'x';
    // A tree, as JSON.parse would give (no shared branches): what a 64 KB body can nest.
    for (let i = 0; i < 10_000; i++) deep = i % 2 ? { properties: deep } : [deep];
    expect(settles({ id: `/subscriptions/${SUB}/providers/Microsoft.Security/assessments/k1`, properties: deep })).toBe(true);
    expect(settles({ ...DIRECT, resourceIds: deep })).toBe(true);
  });
});
