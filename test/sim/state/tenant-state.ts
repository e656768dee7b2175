// In-memory tenant built from the seed: topology (management groups → subscriptions → resource groups →
// resources), policy objects, assessments, contacts and the mutable exemption store.
import type {
  SeedAssessment, SeedPolicyAssignment, SeedPolicyDefinition, SeedPolicySetDefinition, SeedResource, SeedSubscription, SimSeed,
} from '../seed-types.js';
import type { PolicyExemptionResource } from '../types.js';
import { DefenderState } from './defender-state.js';
import { VersionedMap } from './versioned-map.js';
import { idKey, managementGroupId, normalizeId, parentWithinSubscription, parseScope } from './scope.js';

const DAY_MS = 86_400_000;

export class TenantState {
  readonly seed: SimSeed;
  /** lowercased id → canonical id, for every scope that exists (MGs, subscriptions, groups, resources). */
  private readonly scopes = new Map<string, string>();
  private readonly mgOfSubscription = new Map<string, string>();
  readonly subscriptions = new Map<string, SeedSubscription>();
  readonly policyDefinitions = new Map<string, SeedPolicyDefinition>();
  readonly policySetDefinitions = new Map<string, SeedPolicySetDefinition>();
  /** Versioned so the Resource Graph index can tell when it is behind (PolicyAssignments_Delete). */
  readonly policyAssignments = new VersionedMap<string, SeedPolicyAssignment>();
  readonly assessments: SeedAssessment[];
  /** Versioned so the Resource Graph index can tell when it is behind. */
  readonly exemptions = new VersionedMap<string, PolicyExemptionResource>();
  /**
   * exemptionManagementMode by exemption key. Newer api-versions carry it; the 2024-12-01-preview answers
   * the sim serves over ARM cannot, so it lives beside the resource and only Resource Graph rows show it.
   */
  readonly exemptionManagementModes = new Map<string, string>();
  /** Security standards, standard assignments, connectors and Defender-native assessments. */
  readonly defender: DefenderState;

  constructor(seed: SimSeed, now: Date = new Date()) {
    this.seed = seed;
    for (const mg of seed.managementGroups ?? []) {
      this.addScope(managementGroupId(mg.name));
      for (const sub of mg.subscriptionIds) this.mgOfSubscription.set(sub.toLowerCase(), managementGroupId(mg.name));
    }
    for (const sub of seed.subscriptions) {
      this.subscriptions.set(sub.subscriptionId.toLowerCase(), sub);
      const subId = `/subscriptions/${sub.subscriptionId}`;
      this.addScope(subId);
      for (const rg of sub.resourceGroups) {
        const rgId = `${subId}/resourceGroups/${rg.name}`;
        this.addScope(rgId);
        for (const r of rg.resources) this.addScope(resourceId(rgId, r.type, r.name));
      }
    }
    for (const d of seed.policyDefinitions) this.policyDefinitions.set(idKey(d.id), d);
    for (const d of seed.policySetDefinitions) this.policySetDefinitions.set(idKey(d.id), d);
    for (const a of seed.policyAssignments) this.policyAssignments.set(idKey(a.id), a);
    this.assessments = seed.assessments;
    this.defender = new DefenderState(seed.defender, seed.client.clientId, now);
    for (const id of this.defender.connectorScopes) this.addScope(id);
    for (const e of seed.exemptions ?? []) {
      const id = `${normalizeId(e.scope)}/providers/Microsoft.Authorization/policyExemptions/${e.name}`;
      const expiresOn = e.expiresOn ?? (e.expiresInDays !== undefined
        ? new Date(now.getTime() + e.expiresInDays * DAY_MS).toISOString() : undefined);
      const createdAt = e.createdAt ?? now.toISOString();
      const createdBy = e.createdBy ?? seed.client.clientId;
      const createdByType = e.createdBy?.includes('@') ? 'User' as const : 'Application' as const;
      if (e.exemptionManagementMode) this.exemptionManagementModes.set(idKey(id), e.exemptionManagementMode);
      this.exemptions.set(idKey(id), {
        id, name: e.name, type: 'Microsoft.Authorization/policyExemptions',
        systemData: { createdBy, createdByType, createdAt, lastModifiedBy: createdBy, lastModifiedByType: createdByType, lastModifiedAt: createdAt },
        properties: {
          policyAssignmentId: e.policyAssignmentId,
          ...(e.policyDefinitionReferenceIds ? { policyDefinitionReferenceIds: e.policyDefinitionReferenceIds } : {}),
          exemptionCategory: e.exemptionCategory,
          ...(expiresOn ? { expiresOn } : {}),
          ...(e.displayName !== undefined ? { displayName: e.displayName } : {}),
          ...(e.description !== undefined ? { description: e.description } : {}),
          ...(e.metadata ? { metadata: e.metadata } : {}),
          assignmentScopeValidation: 'Default',
        },
      });
    }
  }

  private resourceWrites = 0;

  /** Counts resource removals, so the Resource Graph index can tell when it is behind. */
  get resourcesVersion(): number {
    return this.resourceWrites;
  }

  /** Every seeded resource that still exists, with its canonical id and its group's location. */
  resources(): Array<{ id: string; resource: SeedResource; location: string }> {
    return this.seed.subscriptions.flatMap((sub) => sub.resourceGroups.flatMap((rg) => {
      const rgId = `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg.name}`;
      return rg.resources.map((resource) => ({ id: resourceId(rgId, resource.type, resource.name), resource, location: rg.location }));
    }));
  }

  /**
   * Deletes a seeded resource out of band (as someone deleting it in the portal would): it stops existing
   * as a scope; exemptions on it stay, orphaned. False when there is no such resource.
   */
  removeResource(id: string): boolean {
    const key = idKey(id);
    for (const sub of this.seed.subscriptions) {
      for (const rg of sub.resourceGroups) {
        const rgId = `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg.name}`;
        const at = rg.resources.findIndex((r) => idKey(resourceId(rgId, r.type, r.name)) === key);
        if (at < 0) continue;
        rg.resources.splice(at, 1);
        this.scopes.delete(key);
        this.resourceWrites++;
        return true;
      }
    }
    return false;
  }

  private addScope(id: string): void {
    this.scopes.set(idKey(id), normalizeId(id));
  }

  /** Canonical casing of an existing scope, or undefined. The tenant root always exists. */
  canonical(id: string): string | undefined {
    const n = normalizeId(id);
    return n === '/' ? '/' : this.scopes.get(n.toLowerCase());
  }

  /** `id` itself, then every containing scope up to the outermost management group. */
  ancestorsOrSelf(id: string): string[] {
    const chain: string[] = [];
    let cur: string | undefined = this.canonical(id) ?? normalizeId(id);
    while (cur) {
      chain.push(cur);
      const parsed = parseScope(cur);
      if (parsed.kind === 'subscription') cur = this.mgOfSubscription.get(parsed.subscriptionId!.toLowerCase());
      else if (parsed.kind === 'managementGroup' || parsed.kind === 'tenant') cur = undefined;
      else cur = parentWithinSubscription(cur);
      if (cur) cur = this.canonical(cur) ?? normalizeId(cur);
    }
    return chain;
  }

  /** True when `inner` equals `outer` or lies below it. */
  isAtOrBelow(inner: string, outer: string): boolean {
    const key = idKey(outer);
    return this.ancestorsOrSelf(inner).some((s) => idKey(s) === key);
  }

  /** Why the scope is missing, in ARM's vocabulary, or undefined when it exists. */
  missingScopeError(id: string): { code: string; message: string } | undefined {
    if (this.canonical(id)) return undefined;
    const s = parseScope(id);
    if (s.subscriptionId && !this.subscriptions.has(s.subscriptionId.toLowerCase())) {
      return { code: 'SubscriptionNotFound', message: `The subscription '${s.subscriptionId}' could not be found.` };
    }
    if (s.kind === 'resourceGroup' || (s.kind === 'resource' && s.resourceGroup && !this.canonical(`/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}`))) {
      return { code: 'ResourceGroupNotFound', message: `Resource group '${s.resourceGroup}' could not be found.` };
    }
    if (s.kind === 'managementGroup') {
      return { code: 'ManagementGroupNotFound', message: `The management group '${s.managementGroup}' could not be found.` };
    }
    return { code: 'ResourceNotFound', message: `The Resource '${describeResource(s.id)}' under resource group '${s.resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix` };
  }

  /** The policy definition ids an assignment applies: its policy, or every member of its initiative. */
  assignmentMembers(a: SeedPolicyAssignment): { set?: SeedPolicySetDefinition; members: Array<{ policyDefinitionId: string; referenceId?: string }> } {
    const set = this.policySetDefinitions.get(idKey(a.policyDefinitionId));
    if (!set) return { members: [{ policyDefinitionId: a.policyDefinitionId }] };
    return { set, members: set.policyDefinitions.map((p) => ({ policyDefinitionId: p.policyDefinitionId, referenceId: p.policyDefinitionReferenceId })) };
  }

  /** True when the client may not perform policyAssignments/exempt/action at `scope`. */
  exemptDenied(scope: string): boolean {
    return (this.seed.deniedExemptScopes ?? []).some((d) => this.isAtOrBelow(scope, d));
  }

  location(id: string): string | undefined {
    const s = parseScope(id);
    const sub = s.subscriptionId ? this.subscriptions.get(s.subscriptionId.toLowerCase()) : undefined;
    return sub?.resourceGroups.find((g) => g.name.toLowerCase() === s.resourceGroup?.toLowerCase())?.location;
  }
}

export function resourceId(resourceGroupId: string, type: string, name: string): string {
  // Nested: type "Microsoft.Sql/servers/databases", name "server/db" → .../Microsoft.Sql/servers/server/databases/db
  const [ns, ...types] = type.split('/');
  const names = name.split('/');
  const pairs = types.flatMap((t, i) => [t, names[i] ?? '']);
  return `${resourceGroupId}/providers/${ns}/${pairs.join('/')}`;
}

function describeResource(id: string): string {
  const parts = normalizeId(id).split('/').filter(Boolean);
  const at = parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  return at >= 0 ? parts.slice(at + 1).join('/') : id;
}
