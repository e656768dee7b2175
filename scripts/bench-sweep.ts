/**
 * npm run bench:sweep — the sweep against the simulated tenant at scale, and in the same run a naive walk,
 * printed as one JSON object on stdout (progress on stderr).
 *
 *   npm run bench:sweep                                            1,000 subscriptions, 100,000 exemptions
 *   npm run bench:sweep -- --subscriptions 50 --exemptions 5000    a quick run
 *   options: --subscriptions N --exemptions M --latency MS --naive-sample K --concurrency C --seed S --dry-run
 *
 * The tenant (test/sim/serve-scale.ts) runs in a child process with `--latency` ms on every call, ARM's
 * read throttling (250 burst, 25/s) and Resource Graph's quota (15 queries per 5 s) on the real clock.
 * Azurite holds the stores. The sweep runs as the CLI runs it: sweepWithApp with the real clock and pacer.
 * No requests are seeded into the store (storing ~80,000 requests in Azurite would take longer than the
 * sweep), so `managedRequests` is 0 and the findings are mostly unmanaged, expiry and orphan findings.
 *
 * quotaFloorSeconds: after the sweep, each distinct Resource Graph query it sent (from the tenant's
 * request log) is asked again with $top=1 for its totalRecords; the fewest queries those rows need is
 * Σ ceil(rows / 1000) (minimumQueries), and the floor is (ceil(minimumQueries / 15) − 1) × 5 s
 * (see bench-sweep/arithmetic.ts).
 *
 * The naive walk lists exemptions per subscription over REST, then GETs each exemption's assessment,
 * 16 at a time, on a deterministic sample of subscriptions (every (N/K)-th), once ARM's read bucket has
 * refilled. Its call count for the whole estate is exact (one list page per subscription as the tenant
 * answers them, one GET per exemption); its time is extrapolated from the sample (`naive.method`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialScope } from '../lib/azure/arm-client-options.js';
import { createServices } from '../lib/composition-root.js';
import type { SweepRun } from '../lib/sweep/model.js';
import { sweepWithApp } from '../lib/sweep/sweep-runner.js';
import { POLICIES } from '../test/sim/scale/policies.js';
import { trustSimCertificate } from '../test/sim/tls.js';
import { startAzurite } from '../test/support/azurite.js';
import { extrapolateNaive, minimumQueries, quotaFloorSeconds, ratio, round, target, QUOTA, ROWS_PER_PAGE } from './bench-sweep/arithmetic.js';
import { naiveWalk } from './bench-sweep/naive-walk.js';
import { startSimChild, type GraphLogEntry, type SimChild } from './bench-sweep/sim-child.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer`);
  return value;
}

const SUBSCRIPTIONS = option('subscriptions', 1000);
const EXEMPTIONS = option('exemptions', 100_000);
const LATENCY_MS = option('latency', 100);
const NAIVE_SAMPLE = Math.min(option('naive-sample', 20), SUBSCRIPTIONS);
const CONCURRENCY = option('concurrency', 16);
const SEED = option('seed', 1);
/** --dry-run: the same sweep reading everything and storing nothing, to see what the store writes cost. */
const DRY_RUN = process.argv.includes('--dry-run');
/** ARM's read bucket (250 tokens, 25 per second) is full again this long after it was last emptied. */
const BUCKET_REFILL_MS = 11_000;

const log = (message: string) => process.stderr.write(`[bench:sweep] ${message}\n`);
const mb = (bytes: number) => bytes / (1024 * 1024);

/** Peak resident set of this process: sampled every 100 ms, and the kernel's own high-water mark. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => void (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { sampledMb: mb(peak), maxRssMb: process.resourceUsage().maxRSS / 1024 };
    },
  };
}

interface GraphBody { query: string; subscriptions?: string[]; managementGroups?: string[] }

/** totalRecords of one query, asked with $top=1; re-sent after a 429 (the quota the sweep left behind). */
async function totalRecords(armEndpoint: string, token: string, query: GraphBody): Promise<number> {
  for (;;) {
    const response = await fetch(`${armEndpoint.replace(/\/$/, '')}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...query, options: { $top: 1, resultFormat: 'objectArray' } }),
    });
    const body = await response.json() as { totalRecords?: number };
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? '1') * 1000));
      continue;
    }
    if (response.status !== 200 || typeof body.totalRecords !== 'number') throw new Error(`counting rows of ${query.query} answered ${response.status}`);
    return body.totalRecords;
  }
}

async function main(): Promise<void> {
  const caDir = await mkdtemp(join(tmpdir(), 'bench-sweep-'));
  log(`generating and starting the simulated tenant: ${SUBSCRIPTIONS} subscriptions, ${EXEMPTIONS} exemptions, ${LATENCY_MS} ms per call`);
  const t0 = performance.now();
  let sim: SimChild | undefined;
  let azurite: Awaited<ReturnType<typeof startAzurite>> | undefined;
  try {
    [sim, azurite] = await Promise.all([startSimChild({ subscriptions: SUBSCRIPTIONS, exemptions: EXEMPTIONS, latencyMs: LATENCY_MS, seed: SEED, caDir }), startAzurite()]);
    const info = sim.info;
    log(`tenant ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(info.counts)}`);
    trustSimCertificate(info.caCertPem);
    const env: Record<string, string> = {
      AzureWebJobsStorage: azurite.connectionString,
      AZURE_TENANT_ID: info.tenantId, AZURE_CLIENT_ID: info.clientId, AZURE_CLIENT_SECRET: info.clientSecret,
      AZURE_AUTHORITY_HOST: info.authorityHost, ARM_ENDPOINT: info.armEndpoint,
      PUBLIC_BASE_URL: 'http://127.0.0.1:7071', REVIEW_SIGNING_KEY: randomBytes(32).toString('base64url'),
      EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: 'exemption-broker@contoso.example',
      SMTP_HOST: info.smtp.host, SMTP_PORT: String(info.smtp.port),
      // One digest for everything, not one per subscription.
      SWEEP_DIGEST_TO: 'sweep-digest@contoso.com',
    };
    const app = createServices({ env });
    // The stores exist before the clock starts: the sweep's time is the sweep's.
    await Promise.all([app.store(), app.sweepStore()]);
    await sim.clear();
    // Time spent storing findings (the sweep store is the app's one instance, so the sweep uses this one).
    const sweepStore = await app.sweepStore();
    const saveFindings = sweepStore.saveFindings.bind(sweepStore);
    const storing = { seconds: 0, calls: 0, findings: 0 };
    sweepStore.saveFindings = async (runId, findings) => {
      const t = performance.now();
      try {
        await saveFindings(runId, findings);
      } finally {
        storing.seconds += (performance.now() - t) / 1000;
        storing.calls++;
        storing.findings += findings.length;
      }
    };

    log('sweep: started');
    const rss = rssSampler();
    let lastLog = 0;
    const started = performance.now();
    const outcome = await sweepWithApp(app, {
      trigger: 'cli', dryRun: DRY_RUN,
      onProgress: (event) => {
        const now = performance.now();
        if (now - lastLog < 5_000 && event.phase !== 'done') return;
        lastLog = now;
        log(`sweep ${((now - started) / 1000).toFixed(1)} s: ${event.phase}, ${event.pages} pages, ${event.exemptions} exemptions, ${event.findings} findings, rss ${mb(process.memoryUsage().rss).toFixed(0)} MB, heap ${mb(process.memoryUsage().heapUsed).toFixed(0)} MB`);
      },
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const memory = rss.stop();
    if (outcome.kind !== 'finished') throw new Error('the sweep did not run: another sweep held the lease');
    const run: SweepRun = outcome.run;
    log(`sweep: ${run.status} in ${wallSeconds.toFixed(1)} s, ${run.calls.resourceGraphQueries} Resource Graph queries, ${run.calls.armCalls} ARM calls`);

    // Rows per query, as the tenant counts them, for the queries the sweep actually sent.
    const graphLog = (await sim.stats()).graph;
    const credential = await app.credential();
    const token = async () => (await credential.getToken(credentialScope(info.armEndpoint)))!.token;
    const queries: (GraphLogEntry & { rows: number; pagesNeeded: number })[] = [];
    for (const entry of graphLog) {
      const rows = await totalRecords(info.armEndpoint, await token(), {
        query: entry.query, ...(entry.subscriptions ? { subscriptions: entry.subscriptions } : {}), ...(entry.managementGroups ? { managementGroups: entry.managementGroups } : {}),
      });
      queries.push({ ...entry, rows, pagesNeeded: minimumQueries([rows]) });
    }
    const minimum = minimumQueries(queries.map((q) => q.rows));
    const floor = quotaFloorSeconds(minimum);
    const argQueries = run.calls.resourceGraphQueries;
    const armCalls = run.calls.armCalls;

    // The naive walk, on a sample, with ARM's read bucket as full as the sweep found it.
    const stride = SUBSCRIPTIONS / NAIVE_SAMPLE;
    const sample = Array.from({ length: NAIVE_SAMPLE }, (_, i) => info.subscriptionIds[Math.floor(i * stride)]!);
    log(`naive walk: waiting ${BUCKET_REFILL_MS / 1000} s for ARM's read bucket to refill, then ${sample.length} subscriptions, ${CONCURRENCY} at a time`);
    await new Promise((resolve) => setTimeout(resolve, BUCKET_REFILL_MS));
    const keys = new Map(POLICIES.map((p) => [p.referenceId.toLowerCase(), p.assessmentKey]));
    await token();
    const walked = await naiveWalk({ armEndpoint: info.armEndpoint, token, subscriptionIds: sample, concurrency: CONCURRENCY, assessmentKeyOf: (r) => keys.get(r) });
    log(`naive walk: ${walked.calls} calls in ${walked.seconds.toFixed(1)} s, ${walked.throttled} answers were 429`);
    // Whole estate: one list page per subscription (the sample shows how many pages a subscription took)
    // and one assessment GET per exempted policy of each exemption (one each in the scale seed).
    const listPagesPerSubscription = walked.listPages / sample.length;
    const naiveCalls = Math.round(listPagesPerSubscription * info.counts.subscriptions) + info.counts.exemptions;
    const naiveTime = extrapolateNaive(walked, naiveCalls);
    const simStats = await sim.stats();

    const sweepCalls = argQueries + armCalls;
    const peakRssMb = Math.max(memory.sampledMb, memory.maxRssMb);
    const result = {
      benchmark: 'sweep',
      exemptions: run.counts.exemptions,
      subscriptions: run.counts.subscriptions,
      findings: run.counts.findings,
      argQueries,
      armCalls,
      wallSeconds: round(wallSeconds),
      quotaFloorSeconds: floor,
      peakRssMb: round(peakRssMb, 1),
      naive: {
        armCalls: naiveCalls,
        wallSeconds: round(naiveTime.seconds, 1),
        method: `sample of ${sample.length} of ${info.counts.subscriptions} subscriptions (every ${round(stride)}th), ${CONCURRENCY} requests at a time, Retry-After honoured; `
          + 'calls for the whole estate counted exactly (list pages per subscription as in the sample × subscriptions + one assessment GET per exemption); '
          + 'time = the sample\'s measured time up to the first 429 (ARM\'s read burst) + the remaining calls at the sample\'s measured throttled rate',
        linearlyScaledSeconds: round(naiveTime.linearSeconds, 1),
        sample: {
          subscriptions: sample.length, exemptions: walked.exemptions, calls: walked.calls, listPages: walked.listPages, assessmentGets: walked.assessmentGets,
          seconds: round(walked.seconds, 2), throttled429: walked.throttled, statuses: walked.statuses,
          beforeFirst429: walked.beforeThrottle ? { calls: walked.beforeThrottle.calls, seconds: round(walked.beforeThrottle.seconds, 2) } : null,
          throttledRatePerSecond: naiveTime.throttledRatePerSecond === null ? null : round(naiveTime.throttledRatePerSecond, 2),
          readsRemainingAtStart: walked.readsRemainingAtStart ?? null, networkErrors: walked.networkErrors,
        },
      },
      minimumQueries: minimum,
      queriesVsMinimum: round(argQueries / minimum, 3),
      managedRequests: 0,
      targets: {
        wallVsQuotaFloor: target(ratio(wallSeconds, floor), 1.15),
        queriesVsMinimum: target(ratio(argQueries, minimum), 1.05),
        naiveCallRatio: target(ratio(naiveCalls, sweepCalls), 20, 'min'),
        peakRssMb: target(peakRssMb, 512),
      },
      run: {
        status: run.status, dryRun: run.dryRun, source: run.source ?? null, assessments: run.counts.assessments, byKind: run.counts.byKind,
        throttled: run.calls.throttled, waitedSeconds: round(run.calls.waitedMs / 1000, 1),
        storingFindings: { seconds: round(storing.seconds, 1), saveCalls: storing.calls, findings: storing.findings }, errors: run.errors.slice(0, 5), errorCount: run.errors.length,
      },
      queries: queries.map((q) => ({ query: q.query, rows: q.rows, pagesNeeded: q.pagesNeeded, pagesSent: q.answered, refused429: q.refused, otherStatus: q.otherStatus })),
      rowsFromSeed: { exemptions: info.counts.exemptions, assessments: info.counts.assessments, resources: info.counts.resources, policyAssignments: info.counts.policyAssignments },
      memory: { sampledPeakMb: round(memory.sampledMb, 1), maxRssMb: round(memory.maxRssMb, 1) },
      tenant: {
        subscriptions: info.counts.subscriptions, exemptions: info.counts.exemptions, byKind: info.counts.byKind, latencyMs: info.latencyMs,
        quota: `${QUOTA.queriesPerWindow} queries per ${QUOTA.windowSeconds} s, ${ROWS_PER_PAGE} rows per page`, armReads: '250 burst, 25 per second',
        violations: simStats.violations, otherCallsDuringRun: simStats.arm,
      },
      notes: [
        'managedRequests is 0: no requests are seeded into the store at this scale, so exemptions whose metadata claims exemption-broker are reported unmanaged.',
        'argQueries counts every Resource Graph request the sweep sent, 429s included; armCalls counts the sweep\'s other ARM calls (initiative and assignment reads, confirmations, evaluation triggers), not Resource Graph.',
        'naiveCallRatio = naive.armCalls / (argQueries + armCalls).',
        'wallSeconds covers sweepWithApp only (wiring, inventory, findings stored in Azurite, digest), not tenant start-up or the naive walk.',
        'quotaFloorSeconds = (ceil(minimumQueries / 15) - 1) * 5: the first window\'s 15 queries go at once, each later window opens 5 s after the previous; query latency is not included.',
        'peakRssMb is this process (the sweep; the tenant and Azurite run in child processes): max of 100 ms samples of rss and the kernel\'s maxRSS, taken when the sweep ended.',
      ],
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await Promise.allSettled([sim?.stop(), azurite?.stop()]);
    await rm(caDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
