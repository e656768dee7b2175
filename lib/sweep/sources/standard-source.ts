import { ArmError } from '../../azure/arm-error.js';
import { segmentRules } from '../../azure/arm-id-grammar.js';
import { armPath } from '../../azure/arm-path.js';
import { STANDARD_ASSIGNMENTS_API_VERSION } from '../../azure/standard-assignment.js';
import type { ArmAnswer, SweepArmTransport } from '../arm-transport.js';
import type { InventoryPage, InventoryStandardExemption } from '../inventory.js';
import { readRows } from './exemption-rows.js';
import type { ResourceGraph, ResourceGraphScope } from './resource-graph.js';
import { isExemptRow, readStandardExemptionRow, STANDARD_ASSIGNMENTS_QUERY } from './standard-rows.js';

export interface StandardSourceOptions {
  readonly graph: ResourceGraph;
  readonly transport: SweepArmTransport;
  readonly scope: ResourceGraphScope;
  readonly fallbackSubscriptions: readonly string[];
  onFallback?(reason: ArmError): void;
}

/**
 * Every `Exempt` standard assignment in scope, page by page: one Resource Graph query (the table holds
 * only standard assignments, so an estate without Defender exemptions pays one empty page), or, when
 * Resource Graph cannot be used before its first page, the REST list of each subscription. Same rules
 * as the policy exemption source (exemption-source.ts) for when to fall back and when to give up.
 */
export async function* standardExemptionPages(options: StandardSourceOptions): AsyncGenerator<InventoryPage<InventoryStandardExemption>> {
  let started = false;
  try {
    for await (const page of options.graph.pages(STANDARD_ASSIGNMENTS_QUERY, options.scope)) {
      started = true;
      const read = readRows(page.rows.filter(isExemptRow), readStandardExemptionRow, 'resourceGraph');
      yield page.truncated
        ? { ...read, problems: [...read.problems, { source: 'resourceGraph', rowId: undefined, reason: 'Resource Graph truncated the result; rows after this page are missing' }] }
        : read;
    }
    return;
  } catch (error) {
    if (started || !(error instanceof ArmError) || !(error.status === 403 || error.status === 404 || error.transient)) throw error;
    options.onFallback?.(error);
  }
  yield* restStandardPages(options.transport, options.fallbackSubscriptions);
}

/**
 * `GET /subscriptions/{id}/providers/Microsoft.Security/standardAssignments` per subscription. The
 * documented scopes of this list are management groups, subscriptions and security connectors: it is
 * not documented to return assignments made on resource groups or resources, where exemptions live.
 * The engine therefore reads every managed one it did not see by its id (standard-phase.ts); an
 * unmanaged one below the subscription is invisible while Resource Graph is unavailable.
 */
export async function* restStandardPages(transport: SweepArmTransport, subscriptions: readonly string[]): AsyncGenerator<InventoryPage<InventoryStandardExemption>> {
  for (const subscriptionId of subscriptions) {
    if (!segmentRules.subscriptionId(subscriptionId)) continue;
    const path = armPath(['subscriptions', subscriptionId, 'providers', 'Microsoft.Security', 'standardAssignments']);
    try {
      let answer: ArmAnswer | undefined = await transport.send('GET', path, { 'api-version': STANDARD_ASSIGNMENTS_API_VERSION });
      while (answer) {
        const body = answer.body as { value?: unknown; nextLink?: unknown } | undefined;
        const rows = Array.isArray(body?.value) ? body.value : [];
        yield readRows(rows.filter((row) => isExemptRow(row) && isInside(row, subscriptionId)), readStandardExemptionRow, 'rest');
        answer = typeof body?.nextLink === 'string' && body.nextLink.length > 0 ? await transport.sendNextLink(body.nextLink) : undefined;
      }
    } catch (error) {
      if (!(error instanceof ArmError)) throw error;
      const reason = `subscription ${subscriptionId} standard assignments could not be listed: ${error.status} ${error.code}`;
      yield { source: 'rest', items: [], problems: [{ source: 'rest', rowId: undefined, reason }], failedSubscription: subscriptionId };
    }
  }
}

/** Assignments inherited from a management group are not this subscription's (as in rest-fallback.ts). */
function isInside(row: unknown, subscriptionId: string): boolean {
  const id = (row as { id?: unknown } | null)?.id;
  return typeof id !== 'string' || id.toLowerCase().startsWith(`/subscriptions/${subscriptionId.toLowerCase()}/`);
}
