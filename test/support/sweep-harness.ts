// The sweep against the simulated tenant, wired the way the app wires it: Azurite for both stores, the
// real SDK clients over HTTPS, and one virtual clock shared by the app, the sweep's pacer and the sim
// (Resource Graph quota windows, ARM throttling, expiries), so waits cost no real time.
import { createServices, type AppServices } from '../../lib/composition-root.js';
import { DAY_MS } from '../../lib/core/time.js';
import type { SweepOrder, SweepOutcome } from '../../lib/sweep/engine/run-sweep.js';
import type { SweepFinding } from '../../lib/sweep/model.js';
import type { SweepStore } from '../../lib/sweep/ports/sweep-store.js';
import type { Pacer } from '../../lib/sweep/pacing.js';
import { sweepWithApp } from '../../lib/sweep/sweep-runner.js';
import { startSimTenant, trustSimCertificate, type ScaleSeed, type SimOptions, type SimTenant } from '../sim/index.js';
import { startAzurite, type AzuriteHandle } from './azurite.js';
import { appSettingsFor } from './local-environment.js';
import { seedSweepWorld, sweepScaleSeed, type SweepWorld } from './sweep-world.js';

export const DIGEST_TO = 'sweep-digest@contoso.com';

export interface SweepHarness {
  readonly sim: SimTenant;
  readonly azurite: AzuriteHandle;
  readonly world: SweepWorld;
  readonly env: Record<string, string>;
  /** The app as configured by `env` (rebuilt by `withSettings`). */
  app: AppServices;
  /** Virtual time, ms since the epoch. */
  now(): number;
  advance(ms: number): void;
  advanceDays(days: number): void;
  sweep(order?: Partial<SweepOrder>): Promise<SweepOutcome>;
  /** The app again, with some settings changed (the stores and the sim stay). */
  withSettings(extra: Record<string, string>): AppServices;
  close(): Promise<void>;
}

export interface SweepHarnessOptions {
  readonly scale?: ScaleSeed;
  readonly sim?: Omit<SimOptions, 'seed' | 'clock'>;
  readonly env?: Record<string, string>;
}

export async function startSweepHarness(options: SweepHarnessOptions = {}): Promise<SweepHarness> {
  let now = Date.now();
  const clock = { now: () => new Date(now) };
  const pacer: Pacer = { now: () => now, sleep: async (ms) => void (now += ms) };
  const scale = options.scale ?? sweepScaleSeed();
  const [sim, azurite] = await Promise.all([startSimTenant({ ...options.sim, seed: scale.seed, clock: () => now }), startAzurite()]);
  trustSimCertificate(sim.caCertPem);
  const env: Record<string, string> = {
    ...appSettingsFor(sim, azurite),
    PUBLIC_BASE_URL: 'http://127.0.0.1:7071',
    SWEEP_DIGEST_TO: DIGEST_TO,
    ...options.env,
  };
  const build = (extra: Record<string, string> = {}) => createServices({ env: { ...env, ...extra }, clock, mailRetryBackoffMs: 10 });
  const harness: SweepHarness = {
    sim, azurite, env,
    app: build(),
    world: undefined as unknown as SweepWorld,
    now: () => now,
    advance: (ms) => void (now += ms),
    advanceDays: (days) => void (now += days * DAY_MS),
    sweep: (order = {}) => sweepWithApp(harness.app, { trigger: 'cli', dryRun: false, ...order }, { pacer, backoffMs: 10 }),
    withSettings(extra) {
      harness.app = build(extra);
      return harness.app;
    },
    async close() {
      await Promise.allSettled([sim.close(), azurite.stop()]);
    },
  };
  (harness as { world: SweepWorld }).world = await seedSweepWorld(sim, await harness.app.store(), scale);
  return harness;
}

/** Every finding a run stored, page after page. */
export async function allFindings(store: Pick<SweepStore, 'runFindings'>, runId: string): Promise<SweepFinding[]> {
  const findings: SweepFinding[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.runFindings(runId, {}, { size: 1000, ...(continuationToken ? { continuationToken } : {}) });
    findings.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return findings;
}
