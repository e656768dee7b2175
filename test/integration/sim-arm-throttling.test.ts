// ARM's per-principal read bucket on the simulated tenant, driven by a virtual clock (SimOptions.clock):
// with enforceRateLimits the 251st read in the same instant is refused with 429, Retry-After and
// x-ms-ratelimit-remaining-subscription-reads: 0, exactly, every run; moving the clock refills the bucket.
import {
  bearerTokenAuthenticationPolicy, createDefaultHttpClient, createEmptyPipeline, createPipelineRequest,
} from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScaleSeed, startSimTenant, trustSimCertificate, type SimTenant } from '../sim/index.js';

let now = 1_900_000_000_000;
let sim: SimTenant;
let read: () => Promise<{ status: number; headers: Record<string, string>; body: any }>;

beforeAll(async () => {
  const { seed } = generateScaleSeed({ subscriptions: 2, exemptions: 10, seed: 2 });
  sim = await startSimTenant({ seed, clock: () => now, enforceRateLimits: true });
  trustSimCertificate(sim.caCertPem);
  const { tenantId, clientId, clientSecret } = sim.credentials;
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: sim.authorityHost, disableInstanceDiscovery: true });
  const pipeline = createEmptyPipeline(); // no retry policy: every 429 is seen
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: 'https://management.azure.com/.default' }));
  const http = createDefaultHttpClient();
  const url = `${sim.armEndpoint}/subscriptions/${seed.subscriptions[0]!.subscriptionId}/providers/Microsoft.Authorization/policyAssignments?api-version=2025-03-01`;
  read = async () => {
    const res = await pipeline.sendRequest(http, createPipelineRequest({ url, method: 'GET' }));
    return { status: res.status, headers: res.headers.toJSON(), body: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
  };
});
afterAll(async () => sim?.close());

async function reads(n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await read());
  return out;
}

describe('sim ARM read throttling on a virtual clock', () => {
  it('serves 250 reads in one instant, refuses the next with 429 + Retry-After, and recovers as the clock moves', async () => {
    const first = await reads(250);
    expect(first.every((r) => r.status === 200)).toBe(true);
    expect(first.map((r) => Number(r.headers['x-ms-ratelimit-remaining-subscription-reads']))).toEqual(
      Array.from({ length: 250 }, (_, i) => 249 - i));

    const refused = await read();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('0');
    expect(refused.body.error.code).toBe('TooManyRequests');
    // Real time passing changes nothing: only the sim's clock refills the bucket.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await read()).status).toBe(429);

    now += 999; // 24.975 tokens: 24 reads, then dry again
    const refill = await reads(25);
    expect(refill.slice(0, 24).every((r) => r.status === 200)).toBe(true);
    expect(refill[24]!.status).toBe(429);
    expect(refill[24]!.headers['retry-after']).toBe('1');

    now += 1_000 * Number(refill[24]!.headers['retry-after']);
    const after = await read();
    expect(after.status).toBe(200);
    expect(after.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('24'); // 0.975 left + 25 refilled - 1
    expect(sim.violations).toEqual([]);
  });
});
