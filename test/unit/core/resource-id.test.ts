import { describe, expect, it } from 'vitest';
import { isAtOrAbove, lastSegment, normalizeResourceId, parseResourceId, sameArmId } from '../../../lib/azure/resource-id.js';

const SUB = '5a1b2c3d-0000-4e5f-8a9b-0123456789ab';
const SUB_ID = `/subscriptions/${SUB}`;
const RG_ID = `${SUB_ID}/resourceGroups/rg-app`;
const STORAGE_ID = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/stapp1`;
const DATABASE_ID = `${RG_ID}/providers/Microsoft.Sql/servers/x/databases/y`;

describe('parseResourceId', () => {
  it('parses a subscription id', () => {
    expect(parseResourceId(SUB_ID)).toEqual({ id: SUB_ID, subscriptionId: SUB });
  });

  it('parses a resource group id', () => {
    expect(parseResourceId(RG_ID)).toEqual({ id: RG_ID, subscriptionId: SUB, resourceGroup: 'rg-app' });
  });

  it('parses a top-level resource id', () => {
    expect(parseResourceId(STORAGE_ID)).toEqual({
      id: STORAGE_ID,
      subscriptionId: SUB,
      resourceGroup: 'rg-app',
      resource: { providerNamespace: 'Microsoft.Storage', parentResourcePath: '', resourceType: 'storageAccounts', name: 'stapp1' },
    });
  });

  it('parses a nested child resource with its parent path', () => {
    expect(parseResourceId(DATABASE_ID)?.resource).toEqual({
      providerNamespace: 'Microsoft.Sql', parentResourcePath: 'servers/x', resourceType: 'databases', name: 'y',
    });
  });

  it('parses a grandchild resource with the whole parent path', () => {
    const id = `${DATABASE_ID}/backupShortTermRetentionPolicies/default`;
    expect(parseResourceId(id)?.resource).toEqual({
      providerNamespace: 'Microsoft.Sql',
      parentResourcePath: 'servers/x/databases/y',
      resourceType: 'backupShortTermRetentionPolicies',
      name: 'default',
    });
  });

  it('reads the fixed segments case-insensitively and lower-cases the subscription id', () => {
    const shouted = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/RG-App/PROVIDERS/Microsoft.Storage/storageAccounts/stapp1`;
    const parsed = parseResourceId(shouted);
    expect(parsed?.subscriptionId).toBe(SUB);
    expect(parsed?.resourceGroup).toBe('RG-App');
    expect(parsed?.resource?.name).toBe('stapp1');
  });

  it('drops trailing slashes, a missing leading slash and surrounding spaces', () => {
    expect(parseResourceId(`${STORAGE_ID}/`)?.id).toBe(STORAGE_ID);
    expect(parseResourceId(`${STORAGE_ID}///`)?.id).toBe(STORAGE_ID);
    expect(parseResourceId(`${SUB_ID}/`)).toEqual({ id: SUB_ID, subscriptionId: SUB });
    expect(parseResourceId(STORAGE_ID.slice(1))?.id).toBe(STORAGE_ID);
    expect(parseResourceId(`  ${RG_ID}  `)?.resourceGroup).toBe('rg-app');
  });

  it.each([
    ['an empty string', ''],
    ['a lone slash', '/'],
    ['an unknown root', '/foo'],
    ['a subscription that is not a GUID', '/subscriptions/not-a-guid'],
    ['a subscription GUID that is too short', `/subscriptions/${SUB.slice(0, 35)}`],
    ['the subscriptions collection', '/subscriptions'],
    ['resourceGroups without a name', `${SUB_ID}/resourceGroups`],
    ['an unknown segment under a subscription', `${SUB_ID}/foo/bar`],
    ['an empty segment after the subscription', `${SUB_ID}//resourceGroups/rg-app`],
    ['an empty resource type', `${RG_ID}/providers/Microsoft.Storage//stapp1`],
    ['an empty segment inside a child path', `${RG_ID}/providers/Microsoft.Sql/servers//x/databases/y`],
    ['a resource group followed by something other than providers', `${RG_ID}/things/x`],
    ['a provider namespace without a type', `${RG_ID}/providers/Microsoft.Storage`],
    ['a resource type without a name', `${RG_ID}/providers/Microsoft.Storage/storageAccounts`],
    ['a child type without a name', `${STORAGE_ID}/blobServices`],
    ['a management group', '/providers/Microsoft.Management/managementGroups/mg-root'],
    ['plain words', 'please exempt my storage account'],
  ])('rejects %s', (_label, raw) => {
    expect(parseResourceId(raw)).toBeUndefined();
  });
});

describe('normalizeResourceId and lastSegment', () => {
  it('keeps one leading slash and no trailing slash, without changing case', () => {
    expect(normalizeResourceId(`//${STORAGE_ID.slice(1)}//`)).toBe(STORAGE_ID);
    expect(normalizeResourceId(' subscriptions/ABC/ ')).toBe('/subscriptions/ABC');
  });

  it('returns the last segment, ignoring a trailing slash', () => {
    expect(lastSegment(`${DATABASE_ID}/`)).toBe('y');
    expect(lastSegment(SUB_ID)).toBe(SUB);
  });
});

describe('isAtOrAbove', () => {
  it('is true for the resource itself and each of its ancestors', () => {
    expect(isAtOrAbove(DATABASE_ID, DATABASE_ID)).toBe(true);
    expect(isAtOrAbove(`${RG_ID}/providers/Microsoft.Sql/servers/x`, DATABASE_ID)).toBe(true);
    expect(isAtOrAbove(RG_ID, DATABASE_ID)).toBe(true);
    expect(isAtOrAbove(SUB_ID, DATABASE_ID)).toBe(true);
  });

  it('compares case-insensitively and ignores trailing slashes', () => {
    expect(isAtOrAbove(`${RG_ID.toUpperCase()}/`, STORAGE_ID)).toBe(true);
    expect(isAtOrAbove(SUB_ID, `${STORAGE_ID.toLowerCase()}/`)).toBe(true);
  });

  it('is false for a descendant, a sibling or another subscription', () => {
    expect(isAtOrAbove(STORAGE_ID, RG_ID)).toBe(false);
    expect(isAtOrAbove(`${SUB_ID}/resourceGroups/rg-other`, STORAGE_ID)).toBe(false);
    expect(isAtOrAbove('/subscriptions/00000000-0000-0000-0000-000000000001', STORAGE_ID)).toBe(false);
  });

  it('does not treat a name that merely starts the same as an ancestor', () => {
    // rg-app is not above rg-app2, and storage account st1 is not above st10.
    expect(isAtOrAbove(RG_ID, `${RG_ID}2/providers/Microsoft.Storage/storageAccounts/stapp1`)).toBe(false);
    expect(isAtOrAbove(`${RG_ID}/providers/Microsoft.Storage/storageAccounts/st1`, `${RG_ID}/providers/Microsoft.Storage/storageAccounts/st10`)).toBe(false);
  });

  it('treats a management-group scope as above (the hierarchy is not visible in the id; ARM reports only ancestors)', () => {
    expect(isAtOrAbove('/providers/Microsoft.Management/managementGroups/mg-root', STORAGE_ID)).toBe(true);
  });
});

describe('sameArmId', () => {
  it('is true for the same id in another case or with a trailing slash', () => {
    expect(sameArmId(STORAGE_ID, `${STORAGE_ID.toUpperCase()}/`)).toBe(true);
  });

  it('is false for different ids or when either is missing', () => {
    expect(sameArmId(STORAGE_ID, DATABASE_ID)).toBe(false);
    expect(sameArmId(STORAGE_ID, undefined)).toBe(false);
    expect(sameArmId(undefined, STORAGE_ID)).toBe(false);
    expect(sameArmId(undefined, undefined)).toBe(false);
  });
});
