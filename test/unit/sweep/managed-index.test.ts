import { describe, expect, it } from 'vitest';
import { ManagedIndex } from '../../../lib/sweep/findings/managed-index.js';
import type { ExemptionRequest } from '../../../lib/requests/model.js';
import { sampleRequest } from '../../support/sample-request.js';

const VM = '/subscriptions/3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1';
const ASSIGNMENT = '/subscriptions/3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90/providers/Microsoft.Authorization/policyAssignments/a';
const POLICY_ID = `${VM}/providers/Microsoft.Authorization/policyExemptions/eb-1`;
const STANDARD_ID = `${VM}/providers/Microsoft.Security/standardAssignments/0b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e`;

/** An applied request (or renewal) listing one exemption of each kind, approved at `at`. */
const applied = (id: string, at: string, expiresOn: string): ExemptionRequest => sampleRequest({
  id, state: 'applied', expiresOn,
  targets: [{ resourceId: VM, assignments: [{ policyAssignmentId: ASSIGNMENT, policyDefinitionReferenceIds: ['ref'] }] }],
  decision: { outcome: 'approved', by: 'secops@contoso.com', at, channel: 'review-page', reviewed: 'f'.repeat(64) },
  exemptions: [
    { id: POLICY_ID, resourceId: VM, policyAssignmentId: ASSIGNMENT },
    { kind: 'standard', id: STANDARD_ID.toUpperCase(), resourceId: VM, assignedStandardId: '/providers/Microsoft.Security/Standards/e4b6c8d2-3a5f-4b7e-9c1d-2f4a6b8c0d13' },
  ],
});

describe('ManagedIndex', () => {
  it('lets the newer approval speak for an exemption a renewal lists again, whatever the order requests are read in', () => {
    const original = applied('req-original', '2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
    const renewal = applied('req-renewal', '2026-05-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');
    for (const order of [[original, renewal], [renewal, original]]) {
      const index = new ManagedIndex();
      for (const request of order) index.add(request);
      expect(index.size).toBe(2);
      expect(index.peek(POLICY_ID)).toMatchObject({ requestId: 'req-renewal', expiresOn: '2026-12-01T00:00:00.000Z', policyDefinitionReferenceIds: ['ref'] });
      expect(index.peekStandard(STANDARD_ID)).toMatchObject({ requestId: 'req-renewal', expiresOn: '2026-12-01T00:00:00.000Z' });
    }
  });

  it('ticks off what the inventory shows, by either kind, in any case', () => {
    const index = new ManagedIndex();
    index.add(applied('req-1', '2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z'));
    expect(index.claim(POLICY_ID.toUpperCase())?.requestId).toBe('req-1');
    expect([...index.unseen()]).toEqual([]);
    expect([...index.unseenStandards()].map((e) => e.exemptionId)).toEqual([STANDARD_ID.toUpperCase()]);
    expect(index.claimStandard(STANDARD_ID)?.requestId).toBe('req-1');
    expect([...index.unseenStandards()]).toEqual([]);
    expect(index.requestStateOf(STANDARD_ID)).toBe('applied');
    expect(index.claimStandard(POLICY_ID)).toBeUndefined();
  });
});
