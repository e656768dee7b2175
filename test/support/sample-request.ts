import type { ExemptionRequest } from '../../lib/requests/model.js';

const SUB = '00000000-0000-0000-0000-00000000aaaa';

/** A stored-shape request for store and lifecycle tests; overrides win. */
export function sampleRequest(overrides: Partial<ExemptionRequest> = {}): ExemptionRequest {
  const id = overrides.id ?? `req${Math.random().toString(36).slice(2, 10)}`;
  return {
    id,
    state: 'received',
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    source: 'api',
    subscriptionId: SUB,
    recommendation: { assessmentKey: 'k1', displayName: 'Storage accounts should restrict network access' },
    targets: [{ resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`, assignments: [] }],
    category: 'Waiver',
    justification: 'Protected by a private endpoint',
    expiresOn: '2027-01-01T00:00:00.000Z',
    requestedBy: 'owner@contoso.com',
    approvers: [],
    exemptions: [],
    dedupeKey: `key-${id}`,
    ...overrides,
  };
}
