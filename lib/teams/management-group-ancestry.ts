import { segmentRules } from '../azure/arm-id-grammar.js';
import type { Clock } from '../core/clock.js';
import { ExpiringCache } from '../core/expiring-cache.js';
import { zod } from '../core/lazy-zod.js';
import type { ResourceGraph } from '../sweep/sources/resource-graph.js';

/**
 * Every subscription the identity can read, with its management group ancestors. `id` is projected
 * because Resource Graph pages only queries whose rows carry it; without it a tenant of more than one
 * page would be cut short.
 */
export const SUBSCRIPTION_ANCESTRY_QUERY =
  "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id, subscriptionId, properties";

/** Management groups move rarely; one query per worker instance an hour keeps Resource Graph's quota free. */
export const ANCESTRY_TTL_MS = 60 * 60 * 1000;

/** Lower-cased subscription id → management group names, nearest first, ending with the tenant root group. */
export type AncestryIndex = ReadonlyMap<string, readonly string[]>;

function rowSchema() {
  const z = zod();
  // Rows carry much more (state, subscriptionPolicies, …); only what routing reads is held to a grammar.
  return z.object({
    subscriptionId: z.string().refine(segmentRules.subscriptionId, 'is not a subscription id (GUID)'),
    properties: z.object({
      managementGroupAncestorsChain: z.array(z.object({
        name: z.string().refine(segmentRules.groupName, 'is not a management group id'),
      })),
    }),
  });
}

/** Reads the ancestry of every subscription from Resource Graph, at most once per TTL per instance. */
export class ManagementGroupAncestry {
  private readonly cache: ExpiringCache<AncestryIndex>;

  constructor(
    private readonly graph: ResourceGraph,
    clock: Clock,
    private readonly warn: (message: string) => void,
    ttlMs = ANCESTRY_TTL_MS,
  ) {
    this.cache = new ExpiringCache(ttlMs, clock);
  }

  /**
   * The subscription's ancestors, nearest first; empty when Resource Graph does not list it. Throws when
   * Resource Graph cannot be read (nothing is cached then: the next call asks again).
   */
  async ancestorsOf(subscriptionId: string): Promise<readonly string[]> {
    const index = await this.cache.get('all', () => this.load());
    return index?.get(subscriptionId.toLowerCase()) ?? [];
  }

  private async load(): Promise<AncestryIndex> {
    const schema = rowSchema();
    const index = new Map<string, readonly string[]>();
    let skipped = 0;
    let firstProblem = '';
    // An empty scope: every subscription the identity can read, which is every one the app serves.
    for await (const page of this.graph.pages(SUBSCRIPTION_ANCESTRY_QUERY, { subscriptions: [] })) {
      if (page.truncated) this.warn('Teams: Resource Graph cut the subscription list short; subscriptions past the cut get the default channel');
      for (const row of page.rows) {
        const parsed = schema.safeParse(row);
        if (!parsed.success) {
          skipped++;
          const issue = parsed.error.issues[0];
          firstProblem ||= `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'malformed'}`;
          continue;
        }
        index.set(parsed.data.subscriptionId.toLowerCase(), parsed.data.properties.managementGroupAncestorsChain.map((g) => g.name.toLowerCase()));
      }
    }
    if (skipped > 0) this.warn(`Teams: ${skipped} Resource Graph subscription row(s) skipped as malformed (first: ${firstProblem.slice(0, 200)}); they get the default channel`);
    return index;
  }
}
