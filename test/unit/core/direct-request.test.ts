import { describe, expect, it } from 'vitest';
import { parseDirectRequest } from '../../../lib/requests/direct-request.js';
import type { IntakeLimits, ParseResult } from '../../../lib/requests/intake-command.js';

const LIMITS: IntakeLimits = { maxResourcesPerRequest: 3, maxExpiryDays: 365, defaultExpiryDays: 90, maxJustificationLength: 512, defaultCategory: 'Waiver', maxScopeLevel: 'resourceGroup' };
const NOW = new Date('2026-11-01T12:00:00.000Z');
const DAY = 86_400_000;

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const OTHER_SUB = '11111111-1111-1111-1111-111111111111';
const rid = (name: string, sub = SUB) => `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`;
const ASSIGNMENT = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`;

const MINIMAL = {
  resourceId: rid('st1'),
  assessmentKey: '1195afff-c881-495e-9bc5-1486211ae03f',
  justification: 'Reached only through a private endpoint.',
  requestedBy: 'owner@contoso.com',
};

function parse(body: unknown): ParseResult {
  return parseDirectRequest(body, LIMITS, NOW);
}

function fieldsOf(result: ParseResult): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map((p) => p.field);
}

function commandOf(result: ParseResult) {
  if (!result.ok) throw new Error(`expected a command, got ${JSON.stringify(result.problems)}`);
  return result.command;
}

describe('parseDirectRequest: accepted requests', () => {
  it('accepts a minimal request and applies the default category and expiry', () => {
    expect(commandOf(parse(MINIMAL))).toEqual({
      source: 'api',
      resourceIds: [rid('st1')],
      selector: { kind: 'assessment', assessmentKey: MINIMAL.assessmentKey },
      category: 'Waiver',
      justification: MINIMAL.justification,
      expiresOn: new Date(NOW.getTime() + 90 * DAY).toISOString(),
      requestedBy: 'owner@contoso.com',
      requesterAssurance: 'asserted',
      maxScopeLevel: 'resourceGroup',
    });
  });

  it('uses the configured default category', () => {
    const command = commandOf(parseDirectRequest(MINIMAL, { ...LIMITS, defaultCategory: 'Mitigated' }, NOW));
    expect(command.category).toBe('Mitigated');
  });

  it('takes the optional fields it is given', () => {
    const command = commandOf(parse({
      ...MINIMAL, category: 'Mitigated', expiresOn: '2027-03-01T00:00:00Z', ticketRef: 'CHG0012345',
    }));
    expect(command.category).toBe('Mitigated');
    expect(command.expiresOn).toBe('2027-03-01T00:00:00.000Z');
    expect(command.ticketRef).toBe('CHG0012345');
  });

  it('converts an expiresOn with an offset to UTC', () => {
    expect(commandOf(parse({ ...MINIMAL, expiresOn: '2027-03-01T02:00:00+02:00' })).expiresOn).toBe('2027-03-01T00:00:00.000Z');
  });

  it('accepts an expiry exactly maxExpiryDays ahead', () => {
    const latest = new Date(NOW.getTime() + 365 * DAY).toISOString();
    expect(commandOf(parse({ ...MINIMAL, expiresOn: latest })).expiresOn).toBe(latest);
  });

  it('trims and lower-cases the requester and trims the justification', () => {
    const command = commandOf(parse({ ...MINIMAL, requestedBy: '  Owner@Contoso.COM ', justification: '  private endpoint only  ' }));
    expect(command.requestedBy).toBe('owner@contoso.com');
    expect(command.justification).toBe('private endpoint only');
  });

  it('accepts resourceIds, normalises them and drops case-insensitive duplicates', () => {
    const command = commandOf(parse({
      ...MINIMAL, resourceId: undefined, resourceIds: [`${rid('st1')}/`, rid('st2'), rid('ST1')],
    }));
    expect(command.resourceIds).toEqual([rid('st1'), rid('st2')]);
  });

  it('stores canonical ids and treats differently spelled copies of one id as one resource', () => {
    const shouted = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/rg/PROVIDERS/Microsoft.Storage/storageAccounts/st1`;
    const command = commandOf(parse({ ...MINIMAL, resourceId: undefined, resourceIds: [shouted, rid('st1'), `${rid('st1')}/`] }));
    expect(command.resourceIds).toEqual([rid('st1')]);
  });

  it('accepts an assignment at or above every resource, and a management-group one it cannot check offline', () => {
    const { assessmentKey: _omit, ...rest } = MINIMAL;
    const rg = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Authorization/policyAssignments/a`;
    const mg = '/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/policyAssignments/a';
    for (const policyAssignmentId of [rg, mg, `${rid('st1')}/providers/Microsoft.Authorization/policyAssignments/a`]) {
      expect(commandOf(parse({ ...rest, policyAssignmentId })).selector).toMatchObject({ policyAssignmentId });
    }
  });

  it('accepts up to maxResourcesPerRequest resources', () => {
    const { resourceId: _omit, ...rest } = MINIMAL;
    const command = commandOf(parse({ ...rest, resourceIds: [rid('a'), rid('b'), rid('c')] }));
    expect(command.resourceIds).toHaveLength(3);
  });

  it('accepts a policy assignment with reference ids instead of an assessment key, in canonical form', () => {
    const { assessmentKey: _omit, ...rest } = MINIMAL;
    const sloppy = `${ASSIGNMENT.toUpperCase().replace('SECURITYCENTERBUILTIN', 'SecurityCenterBuiltIn')}/`;
    const command = commandOf(parse({ ...rest, policyAssignmentId: sloppy, policyDefinitionReferenceIds: ['ref1', 'ref2'] }));
    expect(command.selector).toEqual({ kind: 'assignment', policyAssignmentId: ASSIGNMENT, policyDefinitionReferenceIds: ['ref1', 'ref2'] });
  });

  it('defaults the reference ids of a policy assignment to none', () => {
    const { assessmentKey: _omit, ...rest } = MINIMAL;
    const command = commandOf(parse({ ...rest, policyAssignmentId: ASSIGNMENT }));
    expect(command.selector).toEqual({ kind: 'assignment', policyAssignmentId: ASSIGNMENT, policyDefinitionReferenceIds: [] });
  });
});

describe('parseDirectRequest: rejected requests name the bad field', () => {
  const { resourceId: _r, ...noResource } = MINIMAL;
  const { assessmentKey: _a, ...noRecommendation } = MINIMAL;

  it.each<[string, Record<string, unknown>, string]>([
    ['a resource id that is not one', { ...MINIMAL, resourceId: '/subscriptions/not-a-guid' }, 'resourceId'],
    ['an entry of resourceIds that is not a resource id', { ...noResource, resourceIds: [rid('st1'), 'st2'] }, 'resourceIds.1'],
    ['an empty resourceIds', { ...noResource, resourceIds: [] }, 'resourceIds'],
    ['both resourceId and resourceIds', { ...MINIMAL, resourceIds: [rid('st2')] }, 'resourceIds'],
    ['neither resourceId nor resourceIds', noResource, 'resourceIds'],
    ['too many resources', { ...noResource, resourceIds: [rid('a'), rid('b'), rid('c'), rid('d')] }, 'resourceIds'],
    ['resources in two subscriptions', { ...noResource, resourceIds: [rid('a'), rid('b', OTHER_SUB)] }, 'resourceIds'],
    ['both assessmentKey and policyAssignmentId', { ...MINIMAL, policyAssignmentId: ASSIGNMENT }, 'assessmentKey'],
    ['neither assessmentKey nor policyAssignmentId', noRecommendation, 'assessmentKey'],
    ['an assessment key with a slash', { ...MINIMAL, assessmentKey: '../k1' }, 'assessmentKey'],
    ['a policyAssignmentId that is not an assignment id', { ...noRecommendation, policyAssignmentId: rid('st1') }, 'policyAssignmentId'],
    ['a resource id with surrounding spaces (refused, not trimmed)', { ...MINIMAL, resourceId: ` ${rid('st1')} ` }, 'resourceId'],
    ['an assessment key that is a dot-dot segment', { ...MINIMAL, assessmentKey: '..' }, 'assessmentKey'],
    ['an assessment key ending in a dot', { ...MINIMAL, assessmentKey: 'k1.' }, 'assessmentKey'],
    ['more reference ids than a stored request holds per assignment',
      { ...noRecommendation, policyAssignmentId: ASSIGNMENT, policyDefinitionReferenceIds: ['r1', 'r2', 'r3', 'r4', 'r5'] }, 'policyDefinitionReferenceIds'],
    ['a tenant-root policy assignment', { ...noRecommendation, policyAssignmentId: '/providers/Microsoft.Authorization/policyAssignments/x' }, 'policyAssignmentId'],
    ['a resource-group assignment that is not above the resource',
      { ...noRecommendation, policyAssignmentId: `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.Authorization/policyAssignments/a` }, 'policyAssignmentId'],
    ['a subscription assignment in another subscription',
      { ...noRecommendation, policyAssignmentId: `/subscriptions/${OTHER_SUB}/providers/Microsoft.Authorization/policyAssignments/a` }, 'policyAssignmentId'],
    ['an assignment on a sibling resource',
      { ...noRecommendation, policyAssignmentId: `${rid('st2')}/providers/Microsoft.Authorization/policyAssignments/a` }, 'policyAssignmentId'],
    ['policyDefinitionReferenceIds with an assessmentKey', { ...MINIMAL, policyDefinitionReferenceIds: ['ref1'] }, 'policyDefinitionReferenceIds'],
    ['an expiresOn in the past', { ...MINIMAL, expiresOn: '2026-10-31T12:00:00Z' }, 'expiresOn'],
    ['an expiresOn of right now', { ...MINIMAL, expiresOn: NOW.toISOString() }, 'expiresOn'],
    ['an expiresOn more than 365 days ahead', { ...MINIMAL, expiresOn: new Date(NOW.getTime() + 365 * DAY + 1000).toISOString() }, 'expiresOn'],
    ['an expiresOn that is not a date-time', { ...MINIMAL, expiresOn: 'next spring' }, 'expiresOn'],
    ['a justification over 512 characters', { ...MINIMAL, justification: 'x'.repeat(513) }, 'justification'],
    ['a blank justification', { ...MINIMAL, justification: '   ' }, 'justification'],
    ['a missing justification', { ...MINIMAL, justification: undefined }, 'justification'],
    ['a requestedBy that is not an email address', { ...MINIMAL, requestedBy: 'owner' }, 'requestedBy'],
    ['a missing requestedBy', { ...MINIMAL, requestedBy: undefined }, 'requestedBy'],
    ['a category that does not exist', { ...MINIMAL, category: 'Exempt' }, 'category'],
    ['an empty ticketRef', { ...MINIMAL, ticketRef: '' }, 'ticketRef'],
  ])('rejects %s', (_label, body, field) => {
    expect(fieldsOf(parse(body))).toContain(field);
  });

  it('accepts a justification of exactly 512 characters', () => {
    expect(parse({ ...MINIMAL, justification: 'x'.repeat(512) }).ok).toBe(true);
  });

  it('rejects a field it does not know and names it', () => {
    const result = parse({ ...MINIMAL, color: 'red' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.some((p) => p.field === 'color' || p.message.includes('color'))).toBe(true);
  });

  it('reports every bad field at once', () => {
    const fields = fieldsOf(parse({ ...MINIMAL, requestedBy: 'nobody', category: 'Exempt', justification: 'x'.repeat(600) }));
    expect(fields).toEqual(expect.arrayContaining(['requestedBy', 'category', 'justification']));
  });

  it('rejects bodies that are not objects', () => {
    for (const body of [null, undefined, 'text', 42, [MINIMAL]]) {
      expect(parse(body).ok).toBe(false);
    }
  });
});
