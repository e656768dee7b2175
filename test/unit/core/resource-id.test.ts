import { describe, expect, it } from 'vitest';
import {
  canonicalResourceId, formatResourceId, isAtOrAbove, isScopeAtOrAbove, lastSegment, normalizeResourceId, parseResourceId,
  readResourceId, sameArmId,
} from '../../../lib/azure/resource-id.js';
import { HOSTILE_IDS } from '../../support/hostile-ids.js';

const SUB = '5a1b2c3d-0000-4e5f-8a9b-0123456789ab';
const SUB_ID = `/subscriptions/${SUB}`;
const RG_ID = `${SUB_ID}/resourceGroups/rg-app`;
const STORAGE_ID = `${RG_ID}/providers/Microsoft.Storage/storageAccounts/stapp1`;
const DATABASE_ID = `${RG_ID}/providers/Microsoft.Sql/servers/x/databases/y`;

describe('parseResourceId', () => {
  it('parses a subscription id', () => {
    expect(parseResourceId(SUB_ID)).toEqual({ kind: 'subscription', subscriptionId: SUB });
  });

  it('parses a resource group id', () => {
    expect(parseResourceId(RG_ID)).toEqual({ kind: 'resourceGroup', subscriptionId: SUB, resourceGroup: 'rg-app' });
  });

  it('parses a top-level resource id', () => {
    expect(parseResourceId(STORAGE_ID)).toEqual({
      kind: 'resource', subscriptionId: SUB, resourceGroup: 'rg-app', providerNamespace: 'Microsoft.Storage',
      path: [{ type: 'storageAccounts', name: 'stapp1' }],
    });
  });

  it('parses nested child resources as a path of type/name steps, outermost first', () => {
    const id = `${DATABASE_ID}/backupShortTermRetentionPolicies/default`;
    expect(parseResourceId(id)).toMatchObject({
      providerNamespace: 'Microsoft.Sql',
      path: [{ type: 'servers', name: 'x' }, { type: 'databases', name: 'y' }, { type: 'backupShortTermRetentionPolicies', name: 'default' }],
    });
  });

  it('accepts the ARM characters of resource group and resource names: dots inside, parentheses, _ and -', () => {
    const id = `${SUB_ID}/resourceGroups/rg_(prod).eu-1/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
    expect(canonicalResourceId(id)).toBe(id);
  });

  it('reads keywords case-insensitively and writes them, and the subscription GUID, canonically', () => {
    const shouted = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/RG-App/PROVIDERS/Microsoft.Storage/storageAccounts/stapp1`;
    expect(canonicalResourceId(shouted)).toBe(`${SUB_ID}/resourceGroups/RG-App/providers/Microsoft.Storage/storageAccounts/stapp1`);
  });

  it('canonicalises one trailing slash away, and refuses two (an empty segment)', () => {
    expect(canonicalResourceId(`${STORAGE_ID}/`)).toBe(STORAGE_ID);
    expect(canonicalResourceId(`${SUB_ID}/`)).toBe(SUB_ID);
    expect(readResourceId(`${STORAGE_ID}//`)).toEqual({ ok: false, reason: 'must not contain empty segments (//)' });
  });

  it('refuses what it used to tidy up: surrounding spaces and a missing leading slash', () => {
    expect(parseResourceId(`  ${RG_ID}  `)).toBeUndefined();
    expect(parseResourceId(STORAGE_ID.slice(1))).toBeUndefined();
  });

  it.each(HOSTILE_IDS.resource)('refuses %s', (_label, raw, reason) => {
    const read = readResourceId(raw);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(reason);
  });
});

describe('formatResourceId', () => {
  it('gives back the canonical text of each kind of scope', () => {
    for (const id of [SUB_ID, RG_ID, STORAGE_ID, DATABASE_ID]) expect(formatResourceId(parseResourceId(id)!)).toBe(id);
  });
});

describe('isScopeAtOrAbove (parsed scopes)', () => {
  const p = (id: string) => parseResourceId(id)!;

  it('is true for the scope itself and each ancestor, in any letter case', () => {
    for (const upper of [DATABASE_ID, `${RG_ID}/providers/Microsoft.Sql/servers/x`, RG_ID, SUB_ID, RG_ID.toUpperCase()]) {
      expect(isScopeAtOrAbove(p(upper), p(DATABASE_ID)), upper).toBe(true);
    }
  });

  it('is false for a descendant, a sibling, a name that merely starts the same, or another subscription', () => {
    expect(isScopeAtOrAbove(p(STORAGE_ID), p(RG_ID))).toBe(false);
    expect(isScopeAtOrAbove(p(`${SUB_ID}/resourceGroups/rg-other`), p(STORAGE_ID))).toBe(false);
    expect(isScopeAtOrAbove(p(RG_ID), p(`${RG_ID}2/providers/Microsoft.Storage/storageAccounts/stapp1`))).toBe(false);
    expect(isScopeAtOrAbove(p('/subscriptions/00000000-0000-0000-0000-000000000001'), p(STORAGE_ID))).toBe(false);
  });
});

describe('helpers for ids ARM returned (never used to build URLs)', () => {
  it('normalizeResourceId keeps one leading slash and no trailing slash, without changing case', () => {
    expect(normalizeResourceId(`//${STORAGE_ID.slice(1)}//`)).toBe(STORAGE_ID);
  });

  it('lastSegment ignores a trailing slash', () => {
    expect(lastSegment(`${DATABASE_ID}/`)).toBe('y');
  });

  it('isAtOrAbove compares case-insensitively and treats management groups as above', () => {
    expect(isAtOrAbove(`${RG_ID.toUpperCase()}/`, STORAGE_ID)).toBe(true);
    expect(isAtOrAbove(`${RG_ID}/providers/Microsoft.Storage/storageAccounts/st1`, `${RG_ID}/providers/Microsoft.Storage/storageAccounts/st10`)).toBe(false);
    expect(isAtOrAbove('/providers/Microsoft.Management/managementGroups/mg-root', STORAGE_ID)).toBe(true);
  });

  it('sameArmId is false when either side is missing', () => {
    expect(sameArmId(STORAGE_ID, `${STORAGE_ID.toUpperCase()}/`)).toBe(true);
    expect(sameArmId(STORAGE_ID, undefined)).toBe(false);
  });
});
