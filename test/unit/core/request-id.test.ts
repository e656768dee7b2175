import { describe, expect, it } from 'vitest';
import type { RecommendationSelector } from '../../../lib/requests/intake-command.js';
import { dedupeKeyFor, newRequestId } from '../../../lib/requests/request-id.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const rid = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`;
const KEY = '1195afff-c881-495e-9bc5-1486211ae03f';
const ASSESSMENT: RecommendationSelector = { kind: 'assessment', assessmentKey: KEY };

describe('newRequestId', () => {
  it('uses only lower-case letters and digits', () => {
    for (const at of ['1970-01-01T00:00:00Z', '2026-11-01T12:00:00Z', '2099-12-31T23:59:59Z']) {
      expect(newRequestId(new Date(at))).toMatch(/^[a-z0-9]+$/);
    }
  });

  it('sorts ids made later before ids made earlier', () => {
    const times = [
      '2001-09-09T01:46:40Z', '2026-11-01T12:00:00Z', '2026-11-01T12:00:01Z', '2026-11-01T12:01:00Z',
      '2027-01-01T00:00:00Z', '2038-01-19T03:14:08Z', '2099-12-31T23:59:59Z',
    ].map((t) => new Date(t));
    const ids = times.map((t) => newRequestId(t));
    for (let i = 1; i < ids.length; i += 1) {
      expect(ids[i]! < ids[i - 1]!, `${times[i]!.toISOString()} before ${times[i - 1]!.toISOString()}`).toBe(true);
    }
    expect([...ids].sort()).toEqual([...ids].reverse());
  });

  it('has the same length whatever the time, so string order is time order', () => {
    const lengths = new Set(['1970-01-01T00:00:00Z', '2026-11-01T12:00:00Z', '2200-01-01T00:00:00Z'].map((t) => newRequestId(new Date(t)).length));
    expect(lengths.size).toBe(1);
  });

  it('gives different ids to requests made in the same second', () => {
    const at = new Date('2026-11-01T12:00:00Z');
    const ids = new Set(Array.from({ length: 50 }, () => newRequestId(at)));
    expect(ids.size).toBe(50);
  });

  it('fits where request ids are carried (queue messages and review tokens allow 64)', () => {
    expect(newRequestId(new Date('2026-11-01T12:00:00Z')).length).toBeLessThanOrEqual(64);
  });
});

describe('dedupeKeyFor', () => {
  it('is the same for the same resources in another order or letter case', () => {
    const a = dedupeKeyFor({ resourceIds: [rid('st1'), rid('st2')], selector: ASSESSMENT });
    const b = dedupeKeyFor({ resourceIds: [rid('ST2').toUpperCase(), rid('st1')], selector: { kind: 'assessment', assessmentKey: KEY.toUpperCase() } });
    expect(b).toBe(a);
  });

  it('differs for another recommendation', () => {
    const a = dedupeKeyFor({ resourceIds: [rid('st1')], selector: ASSESSMENT });
    const b = dedupeKeyFor({ resourceIds: [rid('st1')], selector: { kind: 'assessment', assessmentKey: '00000000-1111-2222-3333-444444444444' } });
    expect(b).not.toBe(a);
  });

  it('differs for another set of resources', () => {
    const one = dedupeKeyFor({ resourceIds: [rid('st1')], selector: ASSESSMENT });
    const two = dedupeKeyFor({ resourceIds: [rid('st1'), rid('st2')], selector: ASSESSMENT });
    const other = dedupeKeyFor({ resourceIds: [rid('st2')], selector: ASSESSMENT });
    expect(new Set([one, two, other]).size).toBe(3);
  });

  it('tells an assignment selector apart from an assessment and by its reference ids, in any order', () => {
    const assignment = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`;
    const resources = [rid('st1')];
    const refsAB = dedupeKeyFor({ resourceIds: resources, selector: { kind: 'assignment', policyAssignmentId: assignment, policyDefinitionReferenceIds: ['a', 'b'] } });
    const refsBA = dedupeKeyFor({ resourceIds: resources, selector: { kind: 'assignment', policyAssignmentId: assignment.toUpperCase(), policyDefinitionReferenceIds: ['B', 'a'] } });
    const refsA = dedupeKeyFor({ resourceIds: resources, selector: { kind: 'assignment', policyAssignmentId: assignment, policyDefinitionReferenceIds: ['a'] } });
    const byAssessment = dedupeKeyFor({ resourceIds: resources, selector: ASSESSMENT });
    expect(refsBA).toBe(refsAB);
    expect(refsA).not.toBe(refsAB);
    expect(byAssessment).not.toBe(refsAB);
  });

  it('is the same for other spellings of the same canonical ids (trailing slash, keyword case) and for a resource named twice', () => {
    const a = dedupeKeyFor({ resourceIds: [rid('st1')], selector: ASSESSMENT });
    const sloppy = `${rid('st1').replace('/resourceGroups/', '/RESOURCEGROUPS/')}/`;
    expect(dedupeKeyFor({ resourceIds: [sloppy], selector: ASSESSMENT })).toBe(a);
    expect(dedupeKeyFor({ resourceIds: [rid('st1'), sloppy], selector: ASSESSMENT })).toBe(a);
    const assignment = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/x`;
    const byAssignment = (id: string) => dedupeKeyFor({ resourceIds: [rid('st1')], selector: { kind: 'assignment', policyAssignmentId: id, policyDefinitionReferenceIds: [] } });
    expect(byAssignment(`${assignment}/`)).toBe(byAssignment(assignment));
  });
});
