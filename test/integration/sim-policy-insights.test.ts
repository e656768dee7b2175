// Policy Insights' on-demand evaluation on the simulated tenant, over real HTTPS through
// @azure/core-rest-pipeline (no retry policy, so every status and header is seen as sent): triggers at
// subscription and resource-group scope are recorded, the long-running operation is polled to 200, unknown
// scopes answer 404 in the spec's QueryFailure shape, faults and latency apply, and nothing breaks the spec.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  bearerTokenAuthenticationPolicy, createDefaultHttpClient, createEmptyPipeline, createHttpHeaders, createPipelineRequest,
  type HttpClient, type Pipeline,
} from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateScaleSeed, startSimTenant, trustSimCertificate, type SimOptions, type SimTenant } from '../sim/index.js';
import { loadServedSpecs, SPEC_ROOT } from '../sim/spec/load.js';
import { RouteTable } from '../sim/spec/routes.js';
import { SpecValidator } from '../sim/spec/validate.js';

const API = '2024-10-01';
const ARM_SCOPE = 'https://management.azure.com/.default';

interface Answer { status: number; headers: Record<string, string>; body: any }

async function connect(options: SimOptions) {
  const sim = await startSimTenant(options);
  trustSimCertificate(sim.caCertPem);
  const { tenantId, clientId, clientSecret } = sim.credentials;
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: sim.authorityHost, disableInstanceDiscovery: true });
  const pipeline: Pipeline = createEmptyPipeline();
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: ARM_SCOPE }));
  const http: HttpClient = createDefaultHttpClient();
  const call = async (method: 'GET' | 'POST', pathOrUrl: string, body?: unknown): Promise<Answer> => {
    const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${sim.armEndpoint}${pathOrUrl}`;
    const res = await pipeline.sendRequest(http, createPipelineRequest({
      url, method, headers: createHttpHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    return { status: res.status, headers: res.headers.toJSON(), body: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
  };
  return { sim, call };
}

const trigger = (sub: string, rg?: string) =>
  `/subscriptions/${sub}${rg ? `/resourceGroups/${rg}` : ''}/providers/Microsoft.PolicyInsights/policyStates/latest/triggerEvaluation?api-version=${API}`;

describe('sim Policy Insights: trigger evaluation', () => {
  let now = 1_800_000_000_000;
  let sim: SimTenant;
  let call: Awaited<ReturnType<typeof connect>>['call'];
  let subs: string[];

  beforeAll(async () => {
    const { seed } = generateScaleSeed({ subscriptions: 3, exemptions: 20, seed: 5 });
    subs = seed.subscriptions.map((s) => s.subscriptionId);
    ({ sim, call } = await connect({ seed, clock: () => now, policyInsights: { pollsUntilDone: 2, retryAfterSeconds: 1 } }));
  });
  afterAll(async () => sim?.close());
  beforeEach(() => { sim.faults.clear(); });

  it('accepts a subscription trigger with 202 + Location + Retry-After, and the Location answers 202 then 200', async () => {
    const before = sim.policyInsights.evaluations().length;
    const r = await call('POST', trigger(subs[0]!));
    expect(r.status).toBe(202);
    expect(r.body).toBeUndefined();
    expect(r.headers['retry-after']).toBe('1');
    const location = r.headers.location!;
    expect(location).toMatch(new RegExp(`^${sim.armEndpoint}/subscriptions/${subs[0]}/providers/Microsoft\\.PolicyInsights/asyncOperationResults/[0-9a-f-]{36}\\?api-version=${API}$`));
    expect(sim.policyInsights.evaluations().slice(before)).toEqual([{ scope: `/subscriptions/${subs[0]}`, at: new Date(now).toISOString() }]);

    const first = await call('GET', location);
    expect(first.status).toBe(202);
    expect(first.headers.location).toBe(location);
    expect(first.headers['retry-after']).toBe('1');
    const done = await call('GET', location);
    expect(done).toMatchObject({ status: 200, body: { status: 'Succeeded' } });
    expect((await call('GET', location)).status).toBe(200); // stays done
    expect(sim.requests.filter((q) => q.operationId === 'PolicyInsights_GetAsyncOperationResult').map((q) => q.status)).toEqual([202, 200, 200]);
    expect(sim.violations).toEqual([]);
  });

  it('records a resource-group trigger in the seed casing at the sim clock, each trigger its own operation', async () => {
    now += 3_600_000;
    const before = sim.policyInsights.evaluations().length;
    const a = await call('POST', trigger(subs[1]!.toUpperCase(), 'RG-SCALE'));
    const b = await call('POST', trigger(subs[1]!, 'rg-scale'));
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.headers.location).not.toBe(b.headers.location);
    const at = new Date(now).toISOString();
    expect(sim.policyInsights.evaluations().slice(before)).toEqual([
      { scope: `/subscriptions/${subs[1]}/resourceGroups/rg-scale`, at },
      { scope: `/subscriptions/${subs[1]}/resourceGroups/rg-scale`, at },
    ]);
    let polls = 0;
    let status = 202;
    while (status === 202 && polls < 5) { status = (await call('GET', a.headers.location!)).status; polls++; }
    expect([status, polls]).toEqual([200, 2]);
    expect(sim.violations).toEqual([]);
  });

  it('answers 404 in the QueryFailure shape for an unknown resource group, subscription or operation, and records nothing', async () => {
    const before = sim.policyInsights.evaluations().length;
    const rg = await call('POST', trigger(subs[0]!, 'rg-missing'));
    expect(rg.status).toBe(404);
    expect(rg.body).toEqual({ error: { code: 'ResourceGroupNotFound', message: expect.stringContaining('rg-missing') } });
    const sub = await call('POST', trigger('00000000-0000-0000-0000-0000000000ff'));
    expect(sub.status).toBe(404);
    expect(sub.body.error.code).toBe('SubscriptionNotFound');
    const op = await call('GET', `/subscriptions/${subs[0]}/providers/Microsoft.PolicyInsights/asyncOperationResults/00000000-0000-0000-0000-000000000000?api-version=${API}`);
    expect(op.status).toBe(404);
    expect(Object.keys(op.body.error).sort()).toEqual(['code', 'message']);
    // An operation is only found under the subscription it was started in.
    const started = await call('POST', trigger(subs[0]!));
    const elsewhere = started.headers.location!.replace(subs[0]!, subs[2]!);
    expect((await call('GET', elsewhere)).status).toBe(404);
    expect(sim.policyInsights.evaluations()).toHaveLength(before + 1);
    expect(sim.violations).toEqual([]);
  });

  it('refuses an undeclared api-version as a contract violation', async () => {
    const r = await call('POST', trigger(subs[0]!).replace(API, '2019-10-01'));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('InvalidApiVersionParameter');
    expect(sim.violations.splice(0)).toHaveLength(1);
  });

  it('applies injected faults by operationId: the trigger that failed is not recorded', async () => {
    sim.faults.add({ operationId: 'PolicyStates_TriggerResourceGroupEvaluation', kind: 'error', status: 503, times: 1 });
    sim.faults.add({ operationId: 'PolicyStates_TriggerSubscriptionEvaluation', kind: 'throttle', retryAfterSeconds: 7, times: 1 });
    const before = sim.policyInsights.evaluations().length;
    const failed = await call('POST', trigger(subs[2]!, 'rg-scale'));
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('ServiceUnavailable');
    const throttled = await call('POST', trigger(subs[2]!));
    expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '7']);
    expect(sim.policyInsights.evaluations()).toHaveLength(before);
    expect((await call('POST', trigger(subs[2]!, 'rg-scale'))).status).toBe(202);
    expect((await call('POST', trigger(subs[2]!))).status).toBe(202);
    expect(sim.policyInsights.evaluations().slice(before).map((e) => e.scope)).toEqual([
      `/subscriptions/${subs[2]}/resourceGroups/rg-scale`, `/subscriptions/${subs[2]}`,
    ]);
  });

  it('ships spec examples the sim validator accepts for both trigger operations', async () => {
    const ops = new RouteTable(await loadServedSpecs()).operations();
    const validator = new SpecValidator();
    for (const [file, operationId] of [
      ['PolicyStates_TriggerSubscriptionEvaluation.json', 'PolicyStates_TriggerSubscriptionEvaluation'],
      ['PolicyStates_TriggerResourceGroupEvaluation.json', 'PolicyStates_TriggerResourceGroupEvaluation'],
    ] as const) {
      const ex = JSON.parse(await readFile(path.join(SPEC_ROOT, 'policyinsights/2024-10-01/examples', file), 'utf8')) as {
        parameters: Record<string, unknown>; responses: Record<string, { body?: unknown }>;
      };
      const op = ops.find((o) => o.operationId === operationId)!;
      expect(op.apiVersion).toBe(API);
      expect(validator.validateRequest(op, ex.parameters)).toEqual([]);
      for (const [status, r] of Object.entries(ex.responses)) expect(validator.validateResponse(op, Number(status), r.body)).toEqual([]);
      expect(validator.validateRequest(op, { ...ex.parameters, subscriptionId: undefined }).length).toBeGreaterThan(0);
    }
  });
});

describe('sim latency option', () => {
  it('delays Policy Insights and Resource Graph answers too', async () => {
    const { seed } = generateScaleSeed({ subscriptions: 1, exemptions: 2 });
    const { sim, call } = await connect({ seed, latencyMs: 250 });
    try {
      await call('POST', trigger(seed.subscriptions[0]!.subscriptionId)); // warms the token
      const timed = async (f: () => Promise<Answer>) => {
        const t0 = performance.now();
        const r = await f();
        return { status: r.status, ms: performance.now() - t0 };
      };
      const triggered = await timed(() => call('POST', trigger(seed.subscriptions[0]!.subscriptionId)));
      const graph = await timed(() => call('POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01',
        { query: "policyresources | where type =~ 'microsoft.authorization/policyassignments' | project id, name, properties" }));
      expect(triggered.status).toBe(202);
      expect(graph.status).toBe(200);
      expect(triggered.ms).toBeGreaterThanOrEqual(240);
      expect(graph.ms).toBeGreaterThanOrEqual(240);
      expect(sim.violations).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
