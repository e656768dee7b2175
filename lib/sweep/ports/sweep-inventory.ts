import type { InventoryAssessment, InventoryExemption, InventoryPage, InventorySourceName, InventoryStandardExemption } from '../inventory.js';
import type { SweepScope } from '../model.js';

export interface AssignmentEntry {
  /** Canonical. */
  readonly id: string;
  readonly policyDefinitionId: string | undefined;
}

export interface InventoryCosts {
  readonly resourceGraphQueries: number;
  readonly armCalls: number;
  readonly throttled: number;
  readonly waitedMs: number;
  readonly quotaWaitedMs: number;
}

/**
 * Where the sweep reads the estate from, a page at a time. Each stream throws ArmError when its source
 * cannot be read at all; rows it cannot parse arrive as page problems instead.
 */
export interface SweepInventory {
  exemptions(scope: SweepScope, fallbackSubscriptions: readonly string[]): AsyncIterable<InventoryPage<InventoryExemption>>;
  /** Which source served the last exemptions stream (Resource Graph, or REST after a fallback). */
  readonly exemptionSource: InventorySourceName | undefined;
  /** Why the REST fallback took over, if it did. */
  readonly fallbackReason: string | undefined;
  /** Defender exemptions (`Exempt` standard assignments), from Resource Graph or, failing that, per subscription over REST. */
  standardExemptions(scope: SweepScope, fallbackSubscriptions: readonly string[]): AsyncIterable<InventoryPage<InventoryStandardExemption>>;
  /** Why the REST listing of standard assignments took over, if it did. */
  readonly standardFallbackReason: string | undefined;
  assignments(scope: SweepScope): AsyncIterable<InventoryPage<AssignmentEntry>>;
  /** Canonical ids of the resources of these types (lower-case `namespace/type`) that exist in scope. */
  resources(scope: SweepScope, types: readonly string[]): AsyncIterable<InventoryPage<string>>;
  assessments(scope: SweepScope): AsyncIterable<InventoryPage<InventoryAssessment>>;
  costs(): InventoryCosts;
}
