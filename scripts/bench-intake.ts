/**
 * npm run bench — intake latency and throughput on the local host against Azurite and the simulated
 * tenant, printed as JSON. Each request names a different resource set or reference id, so every one is
 * resolved through ARM and stored (no duplicate short-cut). Bounded: N requests, C at a time, loopback only.
 */
import { SEED } from '../test/sim/seed-ids.js';
import { startLocalEnvironment } from '../test/support/local-environment.js';
import { startLocalHost } from './local-host/start-local-host.js';

const total = Number(process.argv[2] ?? 180);
const concurrency = Number(process.argv[3] ?? 8);

async function main(): Promise<void> {
  const environment = await startLocalEnvironment();
  // Queue workers would compete for the same CPU; this measures intake alone.
  const host = await startLocalHost({ env: environment.env, pollIntervalMs: 60_000, log: () => undefined });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const resources = [SEED.resources.storageProd, SEED.resources.storageData, SEED.resources.vmProd, SEED.resources.keyVaultProd, SEED.resources.sqlDatabaseProd];
  const references = Object.values(SEED.mcsbReferenceIds);
  const distinct = (2 ** resources.length - 1) * references.length;
  if (total > distinct) throw new Error(`at most ${distinct} distinct requests can be made from the seed`);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      // A different non-empty subset of resources, or another reference id, per request: no duplicates.
      const subset = (i % (2 ** resources.length - 1)) + 1;
      const body = {
        resourceIds: resources.filter((_, bit) => subset & (1 << bit)),
        policyAssignmentId: SEED.assignments.mcsbProduction,
        policyDefinitionReferenceIds: [references[Math.floor(i / (2 ** resources.length - 1))]!],
        justification: `benchmark request ${i}`,
        requestedBy: `owner${i}@contoso.com`,
        ticketRef: `BENCH-${i}`,
      };
      const t0 = performance.now();
      const response = await fetch(`${host.baseUrl}/api/exemption-requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1));
  console.log(JSON.stringify({
    benchmark: 'intake', requests: total, concurrency, seconds: Number(seconds.toFixed(2)),
    requestsPerSecond: Number((total / seconds).toFixed(1)), latencyMs: { p50: pct(50), p95: pct(95), max: pct(100) },
    statuses, armRequests: environment.sim.requests.length, node: process.version,
  }, null, 2));
  await host.stop();
  await environment.stop();
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
