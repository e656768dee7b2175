import { describe, expect, it } from 'vitest';
import { exemptionProperties } from '../../../lib/requests/exemption-properties.js';
import type { Decision, ResolvedAssignment } from '../../../lib/requests/model.js';
import { sampleRequest } from '../../support/sample-request.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const APPROVED: Decision = { outcome: 'approved', by: 'approver@contoso.com', at: '2026-11-02T09:00:00.000Z', channel: 'review-page' };
const POLICY: ResolvedAssignment = {
  policyAssignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/deny-public-storage`,
  policyDefinitionReferenceIds: [],
};
const INITIATIVE: ResolvedAssignment = {
  policyAssignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`,
  displayName: 'ASC Default',
  policyDefinitionReferenceIds: ['storageAccountsShouldRestrictNetworkAccess', 'storageAccountPublicAccessShouldBeDisallowed'],
};

describe('exemptionProperties', () => {
  it('builds the exemption body from an approved request', () => {
    const request = sampleRequest({ id: 'req-1', state: 'applying', decision: APPROVED, ticketRef: 'CHG0012345', category: 'Mitigated' });
    const properties = exemptionProperties(request, POLICY);
    expect(properties.policyAssignmentId).toBe(POLICY.policyAssignmentId);
    expect(properties.exemptionCategory).toBe('Mitigated');
    expect(properties.expiresOn).toBe(request.expiresOn);
    expect(properties.displayName).toBe(`Exemption: ${request.recommendation.displayName}`);
    expect(properties.description).toContain(request.justification);
    expect(properties.description).toContain('approver@contoso.com');
    expect(properties.description).toContain('req-1');
    expect(properties.description).toContain('CHG0012345');
  });

  it('leaves policyDefinitionReferenceIds out for an assignment of a single policy', () => {
    const properties = exemptionProperties(sampleRequest({ decision: APPROVED }), POLICY);
    expect(Object.keys(properties)).not.toContain('policyDefinitionReferenceIds');
  });

  it('names the initiative\'s reference ids for an initiative assignment', () => {
    const properties = exemptionProperties(sampleRequest({ decision: APPROVED }), INITIATIVE);
    expect(properties.policyDefinitionReferenceIds).toEqual(INITIATIVE.policyDefinitionReferenceIds);
  });

  it('carries exactly the broker\'s metadata', () => {
    const request = sampleRequest({ id: 'req-meta', decision: APPROVED, ticketRef: 'SEC-42', requestedBy: 'owner@contoso.com' });
    expect(exemptionProperties(request, POLICY).metadata).toStrictEqual({
      requestedBy: 'owner@contoso.com',
      approvedBy: 'approver@contoso.com',
      approvedOn: '2026-11-02T09:00:00.000Z',
      ticketRef: 'SEC-42',
      requestId: 'req-meta',
      managedBy: 'exemption-broker',
    });
  });

  it('writes an empty ticketRef when the request has none', () => {
    const request = sampleRequest({ decision: APPROVED });
    const properties = exemptionProperties(request, POLICY);
    expect(properties.metadata.ticketRef).toBe('');
    expect(Object.keys(properties.metadata).sort()).toEqual(['approvedBy', 'approvedOn', 'managedBy', 'requestId', 'requestedBy', 'ticketRef']);
  });

  it('clips a very long display name to 128 and a very long description to 512 characters', () => {
    const request = sampleRequest({
      decision: APPROVED,
      recommendation: { assessmentKey: 'k1', displayName: 'Very long recommendation name '.repeat(20) },
      justification: 'A very long justification. '.repeat(40),
      ticketRef: 'T'.repeat(128),
    });
    const properties = exemptionProperties(request, INITIATIVE);
    expect(properties.displayName.length).toBeLessThanOrEqual(128);
    expect(properties.displayName.startsWith('Exemption: Very long recommendation name')).toBe(true);
    expect(properties.description.length).toBeLessThanOrEqual(512);
    expect(properties.description.startsWith('A very long justification.')).toBe(true);
  });

  it('keeps display name and description that already fit', () => {
    const request = sampleRequest({ decision: APPROVED, recommendation: { displayName: 'x'.repeat(117) } });
    expect(exemptionProperties(request, POLICY).displayName).toBe(`Exemption: ${'x'.repeat(117)}`);
  });

  it('refuses a request that has no decision or was rejected', () => {
    expect(() => exemptionProperties(sampleRequest({ id: 'req-open' }), POLICY)).toThrow(/req-open/);
    const rejected: Decision = { ...APPROVED, outcome: 'rejected' };
    expect(() => exemptionProperties(sampleRequest({ id: 'req-no', decision: rejected }), POLICY)).toThrow(/not approved/);
  });
});
