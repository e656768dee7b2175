import fc from 'fast-check';
import type { ResourceScope, TypedName } from '../../lib/azure/resource-id.js';

// Generators for the id grammar, written from ARM's naming rules rather than from the parser's regexes.
const ALNUM = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const word = (min: number, max: number, extra: string[] = []) => fc.string({ unit: fc.constantFrom(...ALNUM, ...extra), minLength: min, maxLength: max });
const edge = fc.constantFrom(...ALNUM, '_', '-', '(', ')');

/** Letters, digits and _ - . ( ), with dots only inside. */
const dottedName = (maxInner: number) => fc.tuple(edge, word(0, maxInner, ['_', '-', '.', '(', ')']), edge)
  .map(([a, inner, b]) => `${a}${inner}${b}`);

export const groupName = fc.oneof(edge, dottedName(30));
export const resourceName = fc.oneof(edge, dottedName(40));
export const resourceType = fc.tuple(fc.constantFrom(...ALNUM.slice(0, 52)), word(0, 20)).map(([a, b]) => `${a}${b}`);
export const providerNamespace = fc.array(resourceType, { minLength: 2, maxLength: 3 }).map((parts) => parts.join('.'));

const step: fc.Arbitrary<TypedName> = fc.record({ type: resourceType, name: resourceName })
  // A segment spelled "providers" would make the id an extension resource.
  .filter((s) => s.type.toLowerCase() !== 'providers' && s.name.toLowerCase() !== 'providers');

export const resourceScope: fc.Arbitrary<ResourceScope> = fc.oneof(
  fc.record({ kind: fc.constant('subscription' as const), subscriptionId: fc.uuid() }),
  fc.record({ kind: fc.constant('resourceGroup' as const), subscriptionId: fc.uuid(), resourceGroup: groupName }),
  fc.record({
    kind: fc.constant('resource' as const),
    subscriptionId: fc.uuid(),
    resourceGroup: groupName,
    providerNamespace: providerNamespace.filter((ns) => ns.toLowerCase() !== 'microsoft.authorization'),
    path: fc.array(step, { minLength: 1, maxLength: 3 }) as fc.Arbitrary<[TypedName, ...TypedName[]]>,
  }),
);

/** Another spelling ARM treats as the same id: keywords and the GUID in any case, one trailing slash. */
export function sloppySpelling(canonical: string): fc.Arbitrary<string> {
  return fc.tuple(fc.infiniteStream(fc.boolean()), fc.boolean()).map(([upper, slash]) => {
    const segments = canonical.split('/').map((segment, i, all) => {
      const keyword = /^(subscriptions|resourceGroups|providers)$/.test(segment) || (i > 0 && all[i - 1] === 'subscriptions');
      return keyword && upper.next().value ? segment.toUpperCase() : segment;
    });
    return `${segments.join('/')}${slash ? '/' : ''}`;
  });
}

const SUB_PREFIX = '/subscriptions/3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
/** Prefixes that stop at every position of the grammar, so one more segment lands in each slot. */
const PREFIXES = ['', '/subscriptions', SUB_PREFIX, `${SUB_PREFIX}/resourceGroups`, `${SUB_PREFIX}/resourceGroups/rg`, `${SUB_PREFIX}/resourceGroups/rg/providers`,
  `${SUB_PREFIX}/resourceGroups/rg/providers/Microsoft.Storage`, `${SUB_PREFIX}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts`,
  `${SUB_PREFIX}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`];
/** Segments that change how a URL resolves or what it names, in the encodings attackers use. */
const SEGMENTS = ['', '.', '..', '...', '%2e', '%2e%2e', '.%2e', '%2E.', '%252e%252e', 'a%2f..', 'a\\..', '..;', 'a?b', 'a#b', 'a b', '\u3002',
  '\uFF0E\uFF0E', '\u2025', '\u2024\u2024', 'a', 'st2', 'providers', 'resourceGroups', 'Microsoft.Web', 'a.', '(a)', '\u0000'];

/** Id-like text: a grammatical prefix, then any of the segments above, slashes and all. */
export const hostileText: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom(...PREFIXES),
  fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 4 }),
  fc.constantFrom('', '/', '//'),
).map(([prefix, segments, end]) => `${prefix}${segments.map((s) => `/${s}`).join('')}${end}`);
