// A deterministic tenant at scale for the sweep's tests and the benchmark: N subscriptions, M policy
// exemptions on storage accounts, each of exactly one kind the sweep looks for (or healthy), plus the
// Defender assessment of every exempted resource that exists. Same options → same seed, byte for byte.
//
//   const { seed, byKind } = generateScaleSeed({ subscriptions: 1000, exemptions: 100_000 });
//   const sim = await startSimTenant({ seed });
//
// Kinds are orthogonal: apart from its kind, an exemption is healthy (managed, expires in 31–365 days,
// assignment and resource exist, assessment NotApplicable/Exempt while active, Unhealthy once expired).
// The first exemptions take one of each kind, so even a small seed has every kind.
// Memory: resources, assessments' metadata and status objects are shared, nothing is generated twice.
import type { SeedAssessment, SeedExemption, SeedPolicyAssignment, SeedSubscription, SimSeed } from '../seed-types.js';
import { SEED } from '../seed-ids.js';
import { mulberry32 } from './prng.js';
import { POLICIES, SCALE_POLICY_DEFINITIONS, SCALE_SET_DEFINITION } from './policies.js';

export const EXEMPTION_KINDS = [
  'healthy', 'expiringWithin30Days', 'expiringWithin7Days', 'expiringWithin1Day', 'expired', 'noExpiry',
  'orphanedAssignment', 'orphanedResource', 'unmanaged', 'selfServe', 'assessmentMismatch',
] as const;
export type ExemptionKind = (typeof EXEMPTION_KINDS)[number];

// Relative weights once every kind has appeared once: mostly healthy, every finding well represented.
const WEIGHTS: Record<ExemptionKind, number> = {
  healthy: 40, expiringWithin30Days: 6, expiringWithin7Days: 5, expiringWithin1Day: 4, expired: 8, noExpiry: 7,
  orphanedAssignment: 5, orphanedResource: 5, unmanaged: 8, selfServe: 6, assessmentMismatch: 6,
};

/** Days until expiry by kind, as [min, max) relative to when the sim starts. */
const EXPIRY: Partial<Record<ExemptionKind, [number, number]>> = {
  expiringWithin30Days: [7.5, 30], expiringWithin7Days: [1.5, 7], expiringWithin1Day: [0.1, 0.9], expired: [-90, -0.1],
};
const HEALTHY_EXPIRY: [number, number] = [31, 365];

export const MANAGED_BY = 'exemption-broker';
const SUBS_PER_MANAGEMENT_GROUP = 100;

export interface ScaleOptions {
  subscriptions: number;
  exemptions: number;
  /** PRNG seed. Default 1. */
  seed?: number;
}

export interface ScaleSeed {
  seed: SimSeed;
  /** Indexes into seed.exemptions by kind. */
  byKind: Record<ExemptionKind, number[]>;
}

export function generateScaleSeed(o: ScaleOptions): ScaleSeed {
  if (!Number.isInteger(o.subscriptions) || o.subscriptions < 1) throw new Error('subscriptions must be a positive integer');
  if (!Number.isInteger(o.exemptions) || o.exemptions < 0) throw new Error('exemptions must be a non-negative integer');
  const rand = mulberry32(o.seed ?? 1);
  const guid = () => {
    const h = Array.from({ length: 4 }, () => Math.floor(rand() * 0x1_0000_0000).toString(16).padStart(8, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };

  const subscriptions: SeedSubscription[] = [];
  const assignments: SeedPolicyAssignment[] = [];
  for (let s = 0; s < o.subscriptions; s++) {
    const subscriptionId = guid();
    subscriptions.push({
      subscriptionId, displayName: `Scale ${s}`, contactsListShape: 'value', securityContacts: [],
      resourceGroups: [{ name: 'rg-scale', location: 'westeurope', resources: [] }],
    });
    assignments.push({
      id: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn`,
      displayName: `ASC Default (subscription: ${subscriptionId})`, policyDefinitionId: SCALE_SET_DEFINITION.id, enforcementMode: 'Default',
    });
  }

  const byKind = Object.fromEntries(EXEMPTION_KINDS.map((k) => [k, [] as number[]])) as Record<ExemptionKind, number[]>;
  const totalWeight = EXEMPTION_KINDS.reduce((n, k) => n + WEIGHTS[k], 0);
  const pickKind = (i: number): ExemptionKind => {
    if (i < EXEMPTION_KINDS.length) return EXEMPTION_KINDS[i]!;
    let r = rand() * totalWeight;
    for (const k of EXEMPTION_KINDS) if ((r -= WEIGHTS[k]) < 0) return k;
    return 'healthy';
  };
  const between = ([lo, hi]: [number, number]) => Math.round((lo + rand() * (hi - lo)) * 1000) / 1000;
  const exempt = { code: 'NotApplicable', cause: 'Exempt', description: 'This resource is exempt' } as const;
  const unhealthy = { code: 'Unhealthy' } as const;

  const exemptions: SeedExemption[] = [];
  const assessments: SeedAssessment[] = [];
  for (let i = 0; i < o.exemptions; i++) {
    const kind = pickKind(i);
    byKind[kind].push(i);
    const sub = subscriptions[i % o.subscriptions]!;
    const slot = Math.floor(i / o.subscriptions);
    const policy = POLICIES[Math.floor(rand() * POLICIES.length)]!;
    const rgId = `/subscriptions/${sub.subscriptionId}/resourceGroups/rg-scale`;
    const resourceName = kind === 'orphanedResource' ? `stgone${slot}` : `st${slot}`;
    if (kind !== 'orphanedResource') sub.resourceGroups[0]!.resources.push({ type: 'Microsoft.Storage/storageAccounts', name: resourceName });
    const scope = `${rgId}/providers/Microsoft.Storage/storageAccounts/${resourceName}`;
    const expiresInDays = kind === 'noExpiry' ? undefined : between(EXPIRY[kind] ?? HEALTHY_EXPIRY);
    const managed = kind !== 'unmanaged' && kind !== 'selfServe';
    exemptions.push({
      scope,
      name: `exm-${i.toString(36).padStart(4, '0')}`,
      policyAssignmentId: kind === 'orphanedAssignment'
        ? `/subscriptions/${sub.subscriptionId}/providers/Microsoft.Authorization/policyAssignments/removed-${slot}`
        : assignments[i % o.subscriptions]!.id,
      policyDefinitionReferenceIds: [policy.referenceId],
      exemptionCategory: rand() < 0.7 ? 'Waiver' : 'Mitigated',
      displayName: `${policy.short} exemption ${i}`,
      ...(expiresInDays !== undefined ? { expiresInDays } : {}),
      metadata: managed ? { managedBy: MANAGED_BY, requestId: `req-${i}` } : { ticketRef: `CHG${100000 + i}` },
      ...(kind === 'selfServe' ? { exemptionManagementMode: 'UserSelfServe' as const } : {}),
      createdAt: '2025-06-01T00:00:00Z',
      createdBy: managed ? SEED.clientId : `user${i % 97}@contoso.com`,
    });
    if (kind !== 'orphanedResource') {
      const agrees = kind === 'expired' ? unhealthy : exempt;
      assessments.push({
        resourceId: scope, name: policy.assessmentKey, displayName: policy.metadata.displayName,
        status: kind === 'assessmentMismatch' ? unhealthy : agrees, metadata: policy.metadata,
      });
    }
  }

  const managementGroups = [];
  for (let g = 0; g * SUBS_PER_MANAGEMENT_GROUP < o.subscriptions; g++) {
    managementGroups.push({
      name: `scale-mg-${g}`, displayName: `Scale group ${g}`,
      subscriptionIds: subscriptions.slice(g * SUBS_PER_MANAGEMENT_GROUP, (g + 1) * SUBS_PER_MANAGEMENT_GROUP).map((s) => s.subscriptionId),
    });
  }

  return {
    seed: {
      tenantId: SEED.tenantId,
      client: { clientId: SEED.clientId, clientSecret: 'sim-only-secret-not-a-credential', objectId: SEED.clientObjectId, displayName: 'exemption-broker (simulated)' },
      managementGroups, subscriptions,
      policyDefinitions: SCALE_POLICY_DEFINITIONS, policySetDefinitions: [SCALE_SET_DEFINITION], policyAssignments: assignments,
      assessments, exemptions,
    },
    byKind,
  };
}
