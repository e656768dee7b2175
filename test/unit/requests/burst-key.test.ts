import { describe, expect, it } from 'vitest';
import { burstKeyFor, coalesces } from '../../../lib/requests/burst.js';
import type { IntakeCommand } from '../../../lib/requests/intake-command.js';
import type { Resolution } from '../../../lib/requests/resolve-targets.js';

const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const VM = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;
const event: IntakeCommand = {
  source: 'defender', resourceIds: [VM], selector: { kind: 'assessment', assessmentKey: '805651bc-6ecd-4c73-9b55-97a19d0582d0' },
  category: 'Waiver', justification: 'Requested from the Defender for Cloud recommendation blade.', expiresOn: '2027-01-01T00:00:00.000Z',
  requestedBy: 'dev.owner@contoso.com', requesterAssurance: 'asserted', maxScopeLevel: 'resourceGroup',
};
const resolution: Resolution = {
  recommendation: { assessmentKey: '805651bc-6ecd-4c73-9b55-97a19d0582d0', displayName: 'JIT' },
  targets: [{ resourceId: VM, assignments: [{ policyAssignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/a`, policyDefinitionReferenceIds: [] }] }],
};
const key = (changes: Partial<IntakeCommand>, subscription = SUB) => burstKeyFor({ ...event, ...changes }, subscription);

describe('the burst key', () => {
  it('is the same for another resource, another spelling of the requester or of the assessment key, and another expiry', () => {
    expect(key({ resourceIds: [VM.replace('vm1', 'vm2')] })).toBe(key({}));
    expect(key({ requestedBy: 'Dev.Owner+blade@CONTOSO.com' })).toBe(key({}));
    expect(key({ selector: { kind: 'assessment', assessmentKey: '805651BC-6ECD-4C73-9B55-97A19D0582D0' } })).toBe(key({}));
    expect(key({ expiresOn: '2026-12-31T00:00:00.000Z' })).toBe(key({}));
  });

  it('differs for another recommendation, subscription, requester, assurance, justification, category or ticket', () => {
    const variants = [
      key({ selector: { kind: 'assessment', assessmentKey: 'e1145ab1-eb4f-43d8-911b-36ddf771d13f' } }),
      key({}, '9a7e4d2c-1b3f-4e8a-b6c5-2d9f0e1a3b47'),
      key({ requestedBy: 'someone.else@contoso.com' }),
      key({ requesterAssurance: 'authenticated' }),
      key({ requesterAssurance: 'relay', requestedBy: 'defender-relay@exemption-broker.invalid' }),
      key({ justification: 'Something else entirely' }),
      key({ category: 'Mitigated' }),
      key({ ticketRef: 'CHG0012345' }),
    ];
    expect(new Set([key({}), ...variants]).size).toBe(variants.length + 1);
  });
});

describe('what coalesces', () => {
  const on = { windowSeconds: 60 };
  it('a single-resource Defender event for one resource, while the window is set', () => {
    expect(coalesces(event, resolution, on)).toBe(true);
    expect(coalesces(event, resolution, { windowSeconds: 0 })).toBe(false);
    expect(coalesces(event, resolution, undefined)).toBe(false);
  });

  it('never the API or tickets, a scope-wide target, or several resources at once', () => {
    expect(coalesces({ ...event, source: 'api' }, resolution, on)).toBe(false);
    expect(coalesces({ ...event, source: 'ticket' }, resolution, on)).toBe(false);
    const scopeWide = { ...resolution, targets: [{ ...resolution.targets[0]!, coverage: { resources: 3, unhealthy: 1, countedAt: '2026-01-01T00:00:00Z' } }] };
    expect(coalesces(event, scopeWide, on)).toBe(false);
    expect(coalesces({ ...event, resourceIds: [VM, VM.replace('vm1', 'vm2')] }, { ...resolution, targets: [...resolution.targets, resolution.targets[0]!] }, on)).toBe(false);
  });
});
