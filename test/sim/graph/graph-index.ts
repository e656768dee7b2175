// What Resource Graph has indexed. Resource Graph lags ARM; the sim models that with two modes:
//   live   — every query sees the tenant's current exemptions (what ordinary tests want);
//   manual — the index is a snapshot taken by refresh(): exemptions created, changed or deleted through
//            ARM afterwards are not seen until the next refresh(), so Resource Graph can serve a row ARM
//            no longer has (the sweep's "stale row" case).
// Assessments are not written through the sim's ARM API; they are indexed at start and on refresh().
// Entries are kept sorted by lower-cased id, the order paging walks.
import type { TenantState } from '../state/tenant-state.js';
import { idKey, managementGroupId } from '../state/scope.js';
import type { PolicyExemptionResource } from '../types.js';
import type { GraphTable } from './query.js';
import { assessmentRow, exemptionRow, type GraphRow } from './rows.js';

export type IndexingMode = 'live' | 'manual';

export interface IndexEntry {
  key: string;
  /** Lower-cased subscription id; '' for rows above any subscription. */
  sub: string;
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
  private exemptionsVersion = -1;
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
    const tenantId = this.state.seed.tenantId;
    // Rows are built when served: assessments never change after start, and 100k prebuilt rows would
    // cost hundreds of MB for nothing.
    this.assessments = sorted(this.state.assessments.map((a) => {
      const key = idKey(`${a.resourceId}/providers/Microsoft.Security/assessments/${a.name}`);
      return { key, sub: subscriptionOf(key), row: () => assessmentRow(a, tenantId) };
    }));
    this.bump();
  }

  /** Entries of `table` visible in `scope`, sorted by key. Cached per index generation and scope. */
  entries(table: GraphTable, scope: GraphScope): IndexEntry[] {
    if (this.mode === 'live' && this.state.exemptions.version !== this.exemptionsVersion) {
      this.indexExemptions();
      this.bump();
    }
    const cacheKey = JSON.stringify([table, this.generation, scope.subscriptions ? [...scope.subscriptions] : null, scope.managementGroupPrefixes ?? null]);
    let hit = this.filtered.get(cacheKey);
    if (!hit) {
      const all = table === 'policyresources' ? this.exemptions : this.assessments;
      hit = all.filter((e) => visible(e, scope));
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
