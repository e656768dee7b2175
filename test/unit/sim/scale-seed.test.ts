import { describe, expect, it } from 'vitest';
import { EXEMPTION_KINDS, generateScaleSeed, loadDefaultSeed } from '../../sim/index.js';
import { TenantState } from '../../sim/state/tenant-state.js';
import { idKey } from '../../sim/state/scope.js';

describe('sim scale seed generator', () => {
  it('is deterministic: same options, same seed; another PRNG seed, another tenant', () => {
    const a = JSON.stringify(generateScaleSeed({ subscriptions: 20, exemptions: 500, seed: 3 }));
    expect(JSON.stringify(generateScaleSeed({ subscriptions: 20, exemptions: 500, seed: 3 }))).toBe(a);
    expect(JSON.stringify(generateScaleSeed({ subscriptions: 20, exemptions: 500, seed: 4 }))).not.toBe(a);
  });

  it('has every kind even when small', () => {
    const { byKind } = generateScaleSeed({ subscriptions: 1, exemptions: EXEMPTION_KINDS.length });
    for (const k of EXEMPTION_KINDS) expect(byKind[k], k).toHaveLength(1);
  });

  it('generates 1,000 subscriptions and 100,000 exemptions, each kind what it says', () => {
    const { seed, byKind } = generateScaleSeed({ subscriptions: 1000, exemptions: 100_000 });
    expect(seed.subscriptions).toHaveLength(1000);
    expect(seed.exemptions).toHaveLength(100_000);
    expect(new Set(seed.exemptions!.map((e) => idKey(`${e.scope}/${e.name}`))).size).toBe(100_000);
    expect(EXEMPTION_KINDS.reduce((n, k) => n + byKind[k].length, 0)).toBe(100_000);

    const state = new TenantState(seed);
    const assessmentOf = new Map(seed.assessments.map((a) => [idKey(a.resourceId), a]));
    const check = (kind: (typeof EXEMPTION_KINDS)[number], ok: (e: NonNullable<typeof seed.exemptions>[number]) => boolean) => {
      expect(byKind[kind].length, kind).toBeGreaterThan(1000);
      const bad = byKind[kind].filter((i) => !ok(seed.exemptions![i]!));
      expect(bad, kind).toEqual([]);
    };
    const days = (e: { expiresInDays?: number }) => e.expiresInDays ?? Number.NaN;
    const managed = (e: { metadata?: Record<string, unknown> }) => e.metadata?.managedBy === 'exemption-broker';
    const assignmentExists = (e: { policyAssignmentId: string }) => state.policyAssignments.has(idKey(e.policyAssignmentId));
    const resourceExists = (e: { scope: string }) => state.canonical(e.scope) !== undefined;
    const status = (e: { scope: string }) => assessmentOf.get(idKey(e.scope))?.status;
    const otherwiseHealthy = (e: NonNullable<typeof seed.exemptions>[number]) =>
      managed(e) && assignmentExists(e) && resourceExists(e) && e.exemptionManagementMode === undefined;

    check('healthy', (e) => otherwiseHealthy(e) && days(e) > 30 && status(e)?.cause === 'Exempt');
    check('expiringWithin30Days', (e) => otherwiseHealthy(e) && days(e) > 7 && days(e) <= 30);
    check('expiringWithin7Days', (e) => otherwiseHealthy(e) && days(e) > 1 && days(e) <= 7);
    check('expiringWithin1Day', (e) => otherwiseHealthy(e) && days(e) > 0 && days(e) <= 1);
    check('expired', (e) => otherwiseHealthy(e) && days(e) < 0 && status(e)?.code === 'Unhealthy');
    check('noExpiry', (e) => otherwiseHealthy(e) && e.expiresInDays === undefined && e.expiresOn === undefined);
    check('orphanedAssignment', (e) => managed(e) && !assignmentExists(e) && resourceExists(e));
    check('orphanedResource', (e) => managed(e) && assignmentExists(e) && !resourceExists(e) && status(e) === undefined);
    check('unmanaged', (e) => !managed(e) && assignmentExists(e) && resourceExists(e) && e.exemptionManagementMode === undefined);
    check('selfServe', (e) => !managed(e) && e.exemptionManagementMode === 'UserSelfServe');
    check('assessmentMismatch', (e) => otherwiseHealthy(e) && days(e) > 30 && status(e)?.code === 'Unhealthy');
    expect(state.exemptions.size).toBe(100_000);
  });

  it('leaves the default small seed alone', async () => {
    const seed = await loadDefaultSeed();
    expect(seed.subscriptions).toHaveLength(3);
    expect(seed.exemptions!.length).toBeLessThan(10);
  });
});
