import type { SweepFinding, SweepRun } from '../../../lib/sweep/model.js';

/** Shapes shared by the report tests: one finding and one run with plausible values, overrides win. */
export const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';

export function finding(overrides: Partial<SweepFinding> = {}): SweepFinding {
  return {
    key: 'k'.repeat(64),
    kind: 'expiring',
    threshold: '',
    subject: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyExemptions/ex-storage-1`,
    subscriptionId: SUB,
    scope: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01`,
    policyAssignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`,
    displayName: 'Storage exemption',
    expiresOn: '2026-11-20T00:00:00.000Z',
    requestId: undefined,
    managed: false,
    detail: 'Expires in 18 days.',
    action: 'none',
    firstSeen: '2026-11-02T03:00:00.000Z',
    lastSeen: '2026-11-02T03:00:00.000Z',
    isNew: true,
    ...overrides,
  };
}

export function run(overrides: Partial<SweepRun> = {}): SweepRun {
  return {
    id: '7ffffe6f2d1c-a1b2c3',
    trigger: 'timer',
    dryRun: false,
    scope: { managementGroups: [], subscriptions: [SUB] },
    status: 'succeeded',
    startedAt: '2026-11-02T03:00:00.000Z',
    finishedAt: '2026-11-02T03:04:12.000Z',
    durationMs: 252_000,
    counts: {
      exemptions: 120, assessments: 900, subscriptions: 1, findings: 9, newFindings: 5,
      byKind: { expiring: 3, expired: 2, noExpiry: 4 },
    },
    calls: { resourceGraphQueries: 4, armCalls: 17, throttled: 1, waitedMs: 2_500 },
    source: 'resourceGraph',
    expiringPerWeek: [0, 3, 1, 0, 7, 2, 0, 0, 1, 0, 0, 4, 5],
    errors: [],
    ...overrides,
  };
}
