// The sweep's inventory sources against the simulated tenant: the real pipeline over HTTPS, every
// Resource Graph and ARM request validated against Microsoft's specs. The sim's quota window and the
// sweep's pacer share one virtual clock, so quota waits are exact and cost no real time.
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmRestClient } from '../../lib/azure/arm-rest-client.js';
import { POLICY_EXEMPTIONS_API_VERSION } from '../../lib/azure/policy-exemption.js';
import { SweepArmTransport } from '../../lib/sweep/arm-transport.js';
import type { InventoryExemption } from '../../lib/sweep/inventory.js';
import { newSourceStats, type Pacer } from '../../lib/sweep/pacing.js';
import { confirmExemption } from '../../lib/sweep/sources/confirm.js';
import { exemptionPages } from '../../lib/sweep/sources/exemption-source.js';
import { exemptionSegments } from '../../lib/sweep/sources/exemption-rows.js';
import { ResourceGraph } from '../../lib/sweep/sources/resource-graph.js';
import { generateScaleSeed, startSimTenant, trustSimCertificate, type SimTenant } from '../sim/index.js';

const EXEMPTIONS = 2_500;
const QUOTA = 2;
let now = 1_800_000_000_000;
const pacer: Pacer = { now: () => now, sleep: async (ms) => void (now += ms) };

let sim: SimTenant;
let credential: ClientSecretCredential;
let subscriptions: string[];

beforeAll(async () => {
  const scale = generateScaleSeed({ subscriptions: 12, exemptions: EXEMPTIONS, seed: 7 });
  subscriptions = scale.seed.subscriptions.map((s) => s.subscriptionId);
  sim = await startSimTenant({ seed: scale.seed, resourceGraph: { quota: { limit: QUOTA, clock: () => now } } });
  trustSimCertificate(sim.caCertPem);
  const { tenantId, clientId, clientSecret } = sim.credentials;
  credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: sim.authorityHost, disableInstanceDiscovery: true });
});
afterAll(async () => sim?.close());
beforeEach(() => {
  now += 60_000; // a fresh quota window
  sim.faults.clear();
  sim.resourceGraph.setIndexing('live');
});

function sources() {
  const stats = newSourceStats();
  const transport = new SweepArmTransport({ endpoint: sim.armEndpoint, credential, pacer, stats, backoffMs: 10 });
  return { stats, transport, graph: new ResourceGraph(transport) };
}

async function inventory(options: ReturnType<typeof sources>, onFallback?: (e: Error) => void) {
  const seen: InventoryExemption[] = [];
  const problems: unknown[] = [];
  for await (const page of exemptionPages({ ...options, scope: { subscriptions }, fallbackSubscriptions: subscriptions, ...(onFallback ? { onFallback } : {}) })) {
    seen.push(...page.items);
    problems.push(...page.problems);
  }
  return { seen, problems };
}

const lower = (ids: readonly string[]) => ids.map((id) => id.toLowerCase()).sort();

describe('the sweep inventory on the simulated tenant', () => {
  it('reads every exemption once from Resource Graph, waiting out the quota instead of spending a 429', async () => {
    const s = sources();
    const { seen, problems } = await inventory(s);
    expect(problems).toEqual([]);
    expect(lower(seen.map((e) => e.id))).toEqual(lower(sim.exemptions().map((e) => e.id)));
    expect(seen).toHaveLength(EXEMPTIONS);
    // Three pages of 1,000 against a quota of two per window: one wait, no 429.
    expect(s.stats.requests).toBe(3);
    expect(s.stats.throttled).toBe(0);
    expect(s.stats.quotaWaitedMs).toBeGreaterThan(0);
    expect(sim.violations).toEqual([]);
  });

  it('falls back to listing each subscription over REST when Resource Graph is refused, with the same result', async () => {
    sim.faults.add({ operationId: 'Resources', kind: 'error', status: 403, code: 'AuthorizationFailed', times: 1 });
    const s = sources();
    const reasons: string[] = [];
    const { seen } = await inventory(s, (e) => reasons.push(e.message));
    expect(reasons).toHaveLength(1);
    expect(lower(seen.map((e) => e.id))).toEqual(lower(sim.exemptions().map((e) => e.id)));
    expect(sim.violations).toEqual([]);
  });

  it('a stale Resource Graph row is confirmed gone by ARM before anything acts on it', async () => {
    sim.resourceGraph.setIndexing('manual');
    const victim = sim.exemptions()[0]!;
    const s = sources();
    const [first] = (await inventory(s)).seen.filter((e) => e.id.toLowerCase() === victim.id.toLowerCase());
    expect(first).toBeDefined();
    // Deleted out of band, through ARM itself: Resource Graph has not seen it yet.
    await new ArmRestClient({ endpoint: sim.armEndpoint, credential }).send('DELETE', exemptionSegments(first!.scope, first!.name), POLICY_EXEMPTIONS_API_VERSION);
    expect(lower((await inventory(sources())).seen.map((e) => e.id))).toContain(victim.id.toLowerCase());
    expect(await confirmExemption(s.transport, { scope: first!.scope, name: first!.name })).toEqual({ state: 'gone' });
    const other = (await inventory(sources())).seen.find((e) => e.id !== first!.id)!;
    expect(await confirmExemption(s.transport, { scope: other.scope, name: other.name })).toMatchObject({ state: 'present', exemption: { id: other.id } });
  });
});
