import { ArmError } from '../../azure/arm-error.js';
import type { SweepArmTransport } from '../arm-transport.js';
import type { InventoryExemption, InventoryPage } from '../inventory.js';
import { EXEMPTIONS_QUERY, readExemptionRow, readRows } from './exemption-rows.js';
import type { ResourceGraph, ResourceGraphScope } from './resource-graph.js';
import { restExemptionPages } from './rest-fallback.js';

export interface ExemptionSourceOptions {
  readonly graph: ResourceGraph;
  readonly transport: SweepArmTransport;
  readonly scope: ResourceGraphScope;
  /** The subscriptions to list over REST if Resource Graph cannot be used. */
  readonly fallbackSubscriptions: readonly string[];
  /** Told once, when the REST fallback takes over, so the run report can say why. */
  onFallback?(reason: ArmError): void;
}

/**
 * Every exemption in scope, page by page: from Resource Graph, or over REST when Resource Graph is
 * refused (403), missing (404) or failing (429/5xx/no connection after retries) before its first page.
 * A failure after pages were yielded is thrown instead: switching then would yield those rows twice,
 * and remembering every id to avoid that would mean holding the whole inventory. The run is reported
 * incomplete and the next run starts over.
 */
export async function* exemptionPages(options: ExemptionSourceOptions): AsyncGenerator<InventoryPage<InventoryExemption>> {
  let started = false;
  try {
    for await (const page of options.graph.pages(EXEMPTIONS_QUERY, options.scope)) {
      started = true;
      const read = { ...readRows(page.rows, readExemptionRow, 'resourceGraph'), ...(page.totalRecords === undefined ? {} : { totalRecords: page.totalRecords }) };
      yield page.truncated
        ? { ...read, problems: [...read.problems, { source: 'resourceGraph', rowId: undefined, reason: 'Resource Graph truncated the result; rows after this page are missing' }] }
        : read;
    }
    return;
  } catch (error) {
    if (started || !canFallBack(error)) throw error;
    options.onFallback?.(error);
  }
  yield* restExemptionPages(options.transport, options.fallbackSubscriptions);
}

function canFallBack(error: unknown): error is ArmError {
  return error instanceof ArmError && (error.status === 403 || error.status === 404 || error.transient);
}
