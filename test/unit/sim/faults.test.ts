import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../sim/index.js';
import { startFixture, type SimFixture } from './sim-fixture.js';

describe('sim: fault injection against the real SDK pipelines', () => {
  let f: SimFixture;
  beforeAll(async () => { f = await startFixture(); });
  afterAll(async () => { await f.sim.close(); });
  beforeEach(() => { f.sim.faults.clear(); f.sim.requests.length = 0; });

  const getSet = () => f.policy(SEED.subscriptions.production).policySetDefinitions.getBuiltIn(SEED.mcsbSetDefinitionName);
  const attempts = () => f.sim.requests.filter((r) => r.operationId === 'PolicySetDefinitions_GetBuiltIn');

  it('throttle: answers 429 + Retry-After + TooManyRequests, the SDK waits and retries', async () => {
    f.sim.faults.add({ operationId: 'PolicySetDefinitions_GetBuiltIn', kind: 'throttle', times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const set = await getSet();
    expect(set.name).toBe(SEED.mcsbSetDefinitionName);
    expect(attempts().map((r) => r.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // Retry-After honoured

    f.sim.faults.add({ operationId: 'PolicySetDefinitions_GetBuiltIn', kind: 'throttle', times: 1, retryAfterSeconds: 7 });
    const raw = await fetch(`${f.sim.armEndpoint}/providers/Microsoft.Authorization/policySetDefinitions/x?api-version=2025-03-01`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
  });

  it('drop: destroys the socket, the SDK retries on the connection error', async () => {
    f.sim.faults.add({ pathIncludes: '/policySetDefinitions/', kind: 'drop', times: 1 });
    await expect(getSet()).resolves.toMatchObject({ name: SEED.mcsbSetDefinitionName });
    expect(attempts().map((r) => r.status)).toEqual([0, 200]);
  });

  it('error: answers 503 in ARM shape, retried; `times` counts down, then requests pass', async () => {
    f.sim.faults.add({ operationId: 'PolicySetDefinitions_GetBuiltIn', method: 'GET', kind: 'error', times: 2 });
    await expect(getSet()).resolves.toBeDefined();
    expect(attempts().map((r) => r.status)).toEqual([503, 503, 200]);
    await getSet();
    expect(attempts().map((r) => r.status)).toEqual([503, 503, 200, 200]);
  });

  it('error with status 500 beyond the retry budget surfaces to the caller', async () => {
    f.sim.faults.add({ operationId: 'PolicySetDefinitions_GetBuiltIn', kind: 'error', status: 500, times: 10 });
    await expect(getSet()).rejects.toMatchObject({ statusCode: 500 });
    expect(attempts().length).toBe(4); // 1 + maxRetries 3
  });

  it('latency: delays, then serves normally; other operations are unaffected', async () => {
    f.sim.faults.add({ operationId: 'PolicySetDefinitions_GetBuiltIn', kind: 'latency', latencyMs: 300, times: 1 });
    const t0 = Date.now();
    await f.policy(SEED.subscriptions.production).policyAssignments.get(`subscriptions/${SEED.subscriptions.production}`, 'SecurityCenterBuiltIn');
    expect(Date.now() - t0).toBeLessThan(300);
    const t1 = Date.now();
    await getSet();
    expect(Date.now() - t1).toBeGreaterThanOrEqual(290);
    expect(attempts().map((r) => r.status)).toEqual([200]);
  });

  it('reports remaining rate-limit tokens on ARM responses', async () => {
    const token = (await f.credential.getToken('https://management.azure.com/.default'))!.token;
    const url = `${f.sim.armEndpoint}/providers/Microsoft.Authorization/policySetDefinitions/${SEED.mcsbSetDefinitionName}?api-version=2025-03-01`;
    const first = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const second = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const a = Number(first.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
    const b = Number(second.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeLessThanOrEqual(a);
    expect(first.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
