import { ArmError } from '../../azure/arm-error.js';
import { segmentRules } from '../../azure/arm-id-grammar.js';
import { armPath } from '../../azure/arm-path.js';
import { POLICY_EXEMPTIONS_API_VERSION } from '../../azure/policy-exemption.js';
import type { ArmAnswer, SweepArmTransport } from '../arm-transport.js';
import type { InventoryExemption, InventoryPage } from '../inventory.js';
import { readExemptionRow, readRows } from './exemption-rows.js';

/**
 * The list's `$filter`, decided: none. The three filters ARM offers each hide something the sweep must see:
 * - `atScope()` keeps only exemptions at the subscription or above, dropping those on resource groups
 *   and resources, which is where this product's exemptions live;
 * - `excludeExpired()` drops expired exemptions, which stay in place and are findings of their own;
 * - `policyAssignmentId eq '…'` needs the assignments known first and misses exemptions on any other
 *   (unmanaged exemptions are a finding too).
 * Unfiltered, the list holds everything at or inside the subscription plus what is inherited from
 * management groups above it; the inherited ones are skipped below (see `isInside`).
 */
export const REST_EXEMPTION_FILTER: string | undefined = undefined;

/**
 * Lists exemptions subscription by subscription over ARM, following nextLink, for when Resource Graph
 * is refused or down. Yields the same pages as the Resource Graph source, one per ARM page, so the
 * sweep downstream cannot tell them apart except by `source`.
 */
export async function* restExemptionPages(transport: SweepArmTransport, subscriptions: readonly string[]): AsyncGenerator<InventoryPage<InventoryExemption>> {
  for (const subscriptionId of subscriptions) {
    if (!segmentRules.subscriptionId(subscriptionId)) {
      yield { source: 'rest', items: [], problems: [{ source: 'rest', rowId: undefined, reason: `subscription ${JSON.stringify(subscriptionId.slice(0, 64))} is not a GUID` }] };
      continue;
    }
    const path = armPath(['subscriptions', subscriptionId, 'providers', 'Microsoft.Authorization', 'policyExemptions']);
    const query = { 'api-version': POLICY_EXEMPTIONS_API_VERSION, ...(REST_EXEMPTION_FILTER ? { $filter: REST_EXEMPTION_FILTER } : {}) };
    try {
      let answer: ArmAnswer | undefined = await transport.send('GET', path, query);
      while (answer) {
        const { value, nextLink } = readList(answer);
        yield readRows(value.filter((row) => isInside(row, subscriptionId)), readExemptionRow, 'rest');
        answer = nextLink ? await transport.sendNextLink(nextLink) : undefined;
      }
    } catch (error) {
      // One subscription refused or failing (after the transport's retries) must not cost the others.
      if (!(error instanceof ArmError)) throw error;
      const reason = `subscription ${subscriptionId} could not be listed: ${error.status} ${error.code}`;
      yield { source: 'rest', items: [], problems: [{ source: 'rest', rowId: undefined, reason }], failedSubscription: subscriptionId };
    }
  }
}

function readList(answer: ArmAnswer): { value: readonly unknown[]; nextLink: string | undefined } {
  const body = answer.body as { value?: unknown; nextLink?: unknown } | undefined;
  return {
    value: Array.isArray(body?.value) ? body.value : [],
    nextLink: typeof body?.nextLink === 'string' && body.nextLink.length > 0 ? body.nextLink : undefined,
  };
}

/**
 * An exemption inherited from a management group shows up in the list of every subscription below it;
 * Resource Graph scoped to subscriptions does not return it at all. Skipping it keeps the two sources
 * equal and stops one exemption counting once per subscription. Rows without a string id are kept, to
 * be reported as problems by the parser.
 */
function isInside(row: unknown, subscriptionId: string): boolean {
  const id = (row as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return true;
  return id.toLowerCase().startsWith(`/subscriptions/${subscriptionId.toLowerCase()}/`);
}
