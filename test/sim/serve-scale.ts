// The simulated tenant at scale, in a process of its own, for the sweep benchmark (npm run bench:sweep):
//
//   tsx test/sim/serve-scale.ts --subscriptions 1000 --exemptions 100000 [--seed 1] [--latency 100]
//                               [--ca-dir <dir>] [--validate-responses]
//
// Seeds generateScaleSeed(...), answers every call after `--latency` ms, enforces ARM's read/write token
// buckets (429 + Retry-After) and Resource Graph's per-user quota on the real clock (the sim's default: 15
// queries per 5 s, with its x-ms-user-quota-* headers). Prints one JSON line on stdout: endpoints,
// credentials, the CA file to trust, the seed's counts and subscription ids. Then reads commands on stdin,
// one per line, and answers each with one JSON line on stdout:
//   stats   what was asked of the sim so far: Resource Graph queries (text, scope, status), ARM calls
//   clear   forget the request log
// Response self-checks against the specs are off unless --validate-responses: a benchmark measures the
// client, and validating 1,000-row pages would mostly measure the sim. Requests are still validated.
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { generateScaleSeed, startSimTenant, writeCaFile } from './index.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

const dirFlag = process.argv.indexOf('--ca-dir');
const caDir = dirFlag >= 0 ? process.argv[dirFlag + 1] ?? tmpdir() : tmpdir();
const subscriptions = flag('subscriptions', 1000);
const exemptions = flag('exemptions', 100_000);
const latencyMs = flag('latency', 100);

const generated = generateScaleSeed({ subscriptions, exemptions, seed: flag('seed', 1) });
const seed = generated.seed;
const counts = {
  subscriptions: seed.subscriptions.length,
  exemptions: seed.exemptions?.length ?? 0,
  assessments: seed.assessments?.length ?? 0,
  policyAssignments: seed.policyAssignments?.length ?? 0,
  resources: seed.subscriptions.reduce((n, s) => n + s.resourceGroups.reduce((m, g) => m + g.resources.length, 0), 0),
  byKind: Object.fromEntries(Object.entries(generated.byKind).map(([kind, list]) => [kind, list.length])),
};
const subscriptionIds = seed.subscriptions.map((s) => s.subscriptionId);

const sim = await startSimTenant({
  seed, latencyMs, enforceRateLimits: true, validateResponses: process.argv.includes('--validate-responses'),
});
const caFile = await writeCaFile(caDir, sim.caCertPem);
process.stdout.write(`${JSON.stringify({
  armEndpoint: sim.armEndpoint,
  authorityHost: sim.authorityHost,
  ...sim.credentials,
  smtp: { host: sim.smtp.host, port: sim.smtp.port },
  caFile, caCertPem: sim.caCertPem,
  latencyMs, counts, subscriptionIds,
})}\n`);

interface GraphBody { query?: unknown; subscriptions?: unknown; managementGroups?: unknown; options?: { $skipToken?: unknown } }

function stats(): unknown {
  const graph = new Map<string, { query: string; subscriptions?: unknown; managementGroups?: unknown; answered: number; refused: number; otherStatus: number }>();
  const arm: Record<string, number> = {};
  let throttled = 0;
  for (const record of sim.requests) {
    if (record.status === 429) throttled++;
    if (record.operationId === 'Resources') {
      const body = (record.body ?? {}) as GraphBody;
      const query = String(body.query ?? '');
      const scope = { ...(body.subscriptions ? { subscriptions: body.subscriptions } : {}), ...(body.managementGroups ? { managementGroups: body.managementGroups } : {}) };
      const key = JSON.stringify([query, scope]);
      const entry = graph.get(key) ?? { query, ...scope, answered: 0, refused: 0, otherStatus: 0 };
      if (record.status === 200) entry.answered++;
      else if (record.status === 429) entry.refused++;
      else entry.otherStatus++;
      graph.set(key, entry);
    } else {
      const name = `${record.operationId ?? 'unmatched'} ${record.status}`;
      arm[name] = (arm[name] ?? 0) + 1;
    }
  }
  return { requests: sim.requests.length, throttled, graph: [...graph.values()], arm, violations: sim.violations.length };
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'stats') process.stdout.write(`${JSON.stringify({ stats: stats() })}\n`);
  else if (command === 'clear') {
    sim.requests.length = 0;
    process.stdout.write(`${JSON.stringify({ cleared: true })}\n`);
  } else if (command) process.stdout.write(`${JSON.stringify({ error: `unknown command ${JSON.stringify(command.slice(0, 40))}` })}\n`);
});

const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.stdin.once('end', stop);
