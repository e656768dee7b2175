// What Resource Graph has indexed. Resource Graph lags ARM; the sim models that with two modes:
//   live   — every query sees the tenant's current exemptions, policy assignments and resources (what
//            ordinary tests want);
//   manual — the index is a snapshot taken by refresh(): exemptions created, changed or deleted through
//            ARM, assignments deleted through ARM and resources removed out of band (sim.removeResource)
//            afterwards are not seen until the next refresh(), so Resource Graph can serve a row ARM no
//            longer has (the sweep's "stale row" case).
// Assessments are not written through the sim's ARM API; they are indexed at start and on refresh().
// Standard assignments (a handful) are read afresh for every live query, and snapshotted by refresh().
// Entries are kept sorted by lower-cased id, the order paging walks.
import type { TenantState } from '../state/tenant-state.js';
import { idKey, managementGroupId } from '../state/scope.js';
import type { SeedAssessment, SeedNativeAssessment } from '../seed-types.js';
import type { PolicyExemptionResource } from '../types.js';
import type { GraphSource } from './query.js';
import { assessmentRow, assignmentRow, exemptionRow, resourceRow, standardAssignmentRow, subscriptionRow, type GraphRow } from './rows.js';

export type IndexingMode = 'live' | 'manual';

export interface IndexEntry {
  key: string;
  /** Lower-cased subscription id; '' for rows above any subscription. */
  sub: string;
  /** Lower-cased resource type (resources only: what `type in~ (...)` filters on). */
  type?: string;
  /** Lower-cased row name (assessments only: what `name =~ '<key>'` filters on). */
  name?: string;
  row(): GraphRow;
}

/** Which rows a query may see: the given subscriptions, or the subscriptions under the given groups. */
export interface GraphScope {
  subscriptions?: Set<string>;
  managementGroupPrefixes?: string[];
}

export class GraphIndex {
  private exemptions: IndexEntry[] = [];
  private assessments: IndexEntry[] = [];
  private assignments: IndexEntry[] = [];
  private resources: IndexEntry[] = [];
  private subscriptions: IndexEntry[] = [];
  private standardAssignments: IndexEntry[] = [];
  private exemptionsVersion = -1;
  private assignmentsVersion = -1;
  private resourcesVersion = -1;
  private generation = 0;
  private readonly filtered = new Map<string, IndexEntry[]>();

  constructor(private readonly state: TenantState, private mode: IndexingMode = 'live') {
    this.refresh();
  }

  get indexing(): IndexingMode {
    return this.mode;
  }

  /** Switching to manual takes the snapshot that later queries will serve. */
  setIndexing(mode: IndexingMode): void {
    this.mode = mode;
    this.refresh();
  }

  /** Re-reads the tenant now (in manual mode: a new snapshot). */
  refresh(): void {
    this.indexExemptions();
    this.indexAssignments();
    this.indexResources();
    const tenantId = this.state.seed.tenantId;
    // Rows are built when served: assessments never change after start, and 100k prebuilt rows would
    // cost hundreds of MB for nothing.
    const assessmentEntry = (a: SeedAssessment | SeedNativeAssessment, source?: string): IndexEntry => {
      const key = idKey(`${a.resourceId}/providers/Microsoft.Security/assessments/${a.name}`);
      return { key, sub: subscriptionOf(key), name: a.name.toLowerCase(), row: () => assessmentRow(a, tenantId, source) };
    };
    this.assessments = sorted([
      ...this.state.assessments.map((a) => assessmentEntry(a)),
      ...this.state.defender.assessments.map((a) => assessmentEntry(a, this.state.defender.cloudOf(a.resourceId))),
    ]);
    this.standardAssignments = this.indexStandardAssignments(false);
    // Subscriptions and their management groups are fixed by the seed.
    this.subscriptions = sorted(this.state.seed.subscriptions.map((sub) => {
      const key = idKey(`/subscriptions/${sub.subscriptionId}`);
      return { key, sub: subscriptionOf(key), row: () => subscriptionRow(this.state, sub) };
    }));
    this.bump();
  }

  /**
   * Entries of `source` visible in `scope` (resources: only of the given lower-cased `types`), sorted by
   * key. Cached per index generation, scope and types.
   */
  entries(source: GraphSource, scope: GraphScope, types?: readonly string[], name?: string): IndexEntry[] {
    if (source === 'standardAssignments') {
      const all = this.mode === 'live' ? this.indexStandardAssignments(true) : this.standardAssignments;
      return all.filter((e) => visible(e, scope));
    }
    if (this.mode === 'live') {
      let stale = false;
      if (this.state.exemptions.version !== this.exemptionsVersion) { this.indexExemptions(); stale = true; }
      if (this.state.policyAssignments.version !== this.assignmentsVersion) { this.indexAssignments(); stale = true; }
      if (this.state.resourcesVersion !== this.resourcesVersion) { this.indexResources(); stale = true; }
      if (stale) this.bump();
    }
    const cacheKey = JSON.stringify([source, types ?? null, name ?? null, this.generation, scope.subscriptions ? [...scope.subscriptions] : null, scope.managementGroupPrefixes ?? null]);
    let hit = this.filtered.get(cacheKey);
    if (!hit) {
      const all = { exemptions: this.exemptions, assessments: this.assessments, assignments: this.assignments, resources: this.resources, subscriptions: this.subscriptions }[source as Exclude<GraphSource, 'standardAssignments'>];
      const typeSet = types ? new Set(types) : undefined;
      hit = all.filter((e) => visible(e, scope) && (!typeSet || typeSet.has(e.type ?? '')) && (name === undefined || e.name === name));
      if (this.filtered.size >= 8) this.filtered.delete(this.filtered.keys().next().value!);
      this.filtered.set(cacheKey, hit);
    }
    return hit;
  }

  private indexExemptions(): void {
    const tenantId = this.state.seed.tenantId;
    const modes = this.state.exemptionManagementModes;
    const live = this.mode === 'live';
    this.exemptions = sorted([...this.state.exemptions.values()].map((e: PolicyExemptionResource) => {
      const key = idKey(e.id);
      // Live rows read the stored object when served (PATCH changes it in place); snapshot rows are frozen copies.
      const snapshot = live ? undefined : exemptionRow(e, tenantId, modes.get(key));
      return {
        key,
        sub: subscriptionOf(key),
        row: snapshot ? () => snapshot : () => exemptionRow(e, tenantId, modes.get(key)),
      };
    }));
    this.exemptionsVersion = this.state.exemptions.version;
  }

  /** Live rows read the stored object when served; snapshot rows are frozen copies. */
  private indexStandardAssignments(live: boolean): IndexEntry[] {
    const tenantId = this.state.seed.tenantId;
    return sorted([...this.state.defender.standardAssignments.values()].map((a) => {
      const key = idKey(a.id);
      const snapshot = live ? undefined : standardAssignmentRow(a, tenantId);
      return { key, sub: subscriptionOf(key), row: snapshot ? () => snapshot : () => standardAssignmentRow(a, tenantId) };
    }));
  }

  private indexAssignments(): void {
    const live = this.mode === 'live';
    this.assignments = sorted([...this.state.policyAssignments.values()].map((a) => {
      const key = idKey(a.id);
      const snapshot = live ? undefined : assignmentRow(this.state, a);
      return { key, sub: subscriptionOf(key), row: snapshot ? () => snapshot : () => assignmentRow(this.state, a) };
    }));
    this.assignmentsVersion = this.state.policyAssignments.version;
  }

  private indexResources(): void {
    const tenantId = this.state.seed.tenantId;
    // Rows are built when served (resources do not change in place; 100k prebuilt rows would cost memory).
    this.resources = sorted(this.state.resources().map(({ id, resource, location }) => {
      const key = idKey(id);
      return { key, sub: subscriptionOf(key), type: resource.type.toLowerCase(), row: () => resourceRow(id, resource, location, tenantId) };
    }));
    this.resourcesVersion = this.state.resourcesVersion;
  }

  private bump(): void {
    this.generation++;
    this.filtered.clear();
  }
}

export function managementGroupPrefix(name: string): string {
  return `${idKey(managementGroupId(name))}/`;
}

function visible(e: IndexEntry, scope: GraphScope): boolean {
  if (e.sub) return !scope.subscriptions || scope.subscriptions.has(e.sub);
  // Rows above subscriptions: only a tenant-wide query or a query of their management group sees them.
  if (!scope.subscriptions && !scope.managementGroupPrefixes) return true;
  return (scope.managementGroupPrefixes ?? []).some((p) => e.key.startsWith(p));
}

function subscriptionOf(key: string): string {
  const m = /^\/subscriptions\/([^/]+)/.exec(key);
  return m ? m[1]! : '';
}

function sorted(entries: IndexEntry[]): IndexEntry[] {
  // Plain code-unit comparison: fast at 100k rows and the same order every run.
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
