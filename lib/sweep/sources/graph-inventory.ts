import type { ArmError } from '../../azure/arm-error.js';
import type { SweepArmTransport } from '../arm-transport.js';
import type { InventoryAssessment, InventoryExemption, InventoryPage, InventorySourceName, InventoryStandardExemption } from '../inventory.js';
import type { SweepScope } from '../model.js';
import type { AssignmentEntry, InventoryCosts, SweepInventory } from '../ports/sweep-inventory.js';
import { ASSIGNMENTS_QUERY, readAssignmentRow, readResourceRow, resourcesQuery } from './catalog-rows.js';
import { ASSESSMENTS_QUERY, readAssessmentRow, readRows } from './exemption-rows.js';
import { exemptionPages } from './exemption-source.js';
import { ResourceGraph, type ResourceGraphScope } from './resource-graph.js';
import { standardExemptionPages } from './standard-source.js';

/** Types per resources query: keeps the query text short whatever the estate holds. */
const TYPES_PER_QUERY = 50;

/**
 * The estate as Resource Graph sees it, with exemptions listed over REST when Resource Graph cannot be
 * used. Resource Graph and ARM calls go through separate transports (one pacer), so the run can report
 * queries against the Resource Graph quota apart from ARM calls.
 */
export class GraphInventory implements SweepInventory {
  exemptionSource: InventorySourceName | undefined;
  fallbackReason: string | undefined;
  standardFallbackReason: string | undefined;
  private readonly graph: ResourceGraph;

  constructor(private readonly graphTransport: SweepArmTransport, private readonly armTransport: SweepArmTransport) {
    this.graph = new ResourceGraph(graphTransport);
  }

  async *exemptions(scope: SweepScope, fallbackSubscriptions: readonly string[]): AsyncIterable<InventoryPage<InventoryExemption>> {
    const onFallback = (reason: ArmError) => {
      this.fallbackReason = `Resource Graph could not be used (${reason.status} ${reason.code}); exemptions were listed over REST`;
    };
    for await (const page of exemptionPages({ graph: this.graph, transport: this.armTransport, scope: graphScope(scope), fallbackSubscriptions, onFallback })) {
      this.exemptionSource = page.source;
      yield page;
    }
  }

  standardExemptions(scope: SweepScope, fallbackSubscriptions: readonly string[]): AsyncIterable<InventoryPage<InventoryStandardExemption>> {
    const onFallback = (reason: ArmError) => {
      this.standardFallbackReason = `Resource Graph could not be used (${reason.status} ${reason.code}); standard assignments were listed per subscription over REST, which shows no unmanaged ones below a subscription`;
    };
    return standardExemptionPages({ graph: this.graph, transport: this.armTransport, scope: graphScope(scope), fallbackSubscriptions, onFallback });
  }

  async *assignments(scope: SweepScope): AsyncIterable<InventoryPage<AssignmentEntry>> {
    for await (const page of this.graph.pages(ASSIGNMENTS_QUERY, graphScope(scope))) yield withTotal(readRows(page.rows, readAssignmentRow, 'resourceGraph'), page.totalRecords);
  }

  async *resources(scope: SweepScope, types: readonly string[]): AsyncIterable<InventoryPage<string>> {
    for (let i = 0; i < types.length; i += TYPES_PER_QUERY) {
      for await (const page of this.graph.pages(resourcesQuery(types.slice(i, i + TYPES_PER_QUERY)), graphScope(scope))) {
        yield withTotal(readRows(page.rows, readResourceRow, 'resourceGraph'), page.totalRecords);
      }
    }
  }

  async *assessments(scope: SweepScope): AsyncIterable<InventoryPage<InventoryAssessment>> {
    for await (const page of this.graph.pages(ASSESSMENTS_QUERY, graphScope(scope))) yield withTotal(readRows(page.rows, readAssessmentRow, 'resourceGraph'), page.totalRecords);
  }

  costs(): InventoryCosts {
    const graph = this.graphTransport.stats;
    const arm = this.armTransport.stats;
    return {
      resourceGraphQueries: graph.requests, armCalls: arm.requests, throttled: graph.throttled + arm.throttled,
      waitedMs: graph.waitedMs + arm.waitedMs, quotaWaitedMs: graph.quotaWaitedMs,
    };
  }
}

function withTotal<T>(page: InventoryPage<T>, totalRecords: number | undefined): InventoryPage<T> {
  return totalRecords === undefined ? page : { ...page, totalRecords };
}

/** No subscriptions and no groups: Resource Graph then covers every subscription the identity can read. */
export function graphScope(scope: SweepScope): ResourceGraphScope {
  if (scope.managementGroups.length > 0) return { managementGroups: scope.managementGroups };
  return { subscriptions: scope.subscriptions };
}
