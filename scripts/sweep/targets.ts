import type { SweepOrder, SweepOutcome } from '../../lib/sweep/engine/run-sweep.js';
import type { SweepScope } from '../../lib/sweep/model.js';
import type { SweepStore } from '../../lib/sweep/ports/sweep-store.js';

export type CliOrder = Pick<SweepOrder, 'dryRun' | 'onProgress' | 'onFindings'> & { readonly scope?: SweepScope };

/** Where the sweep runs: the simulated tenant, or a real one. */
export interface SweepTarget {
  /** For the report's header line. */
  readonly tenant: string;
  sweep(order: CliOrder): Promise<SweepOutcome>;
  sweepStore(): Promise<SweepStore>;
  close(): Promise<void>;
}

/**
 * Azurite, the simulated tenant and a seeded estate with every finding kind. The harness keeps one
 * virtual clock for the app, the sweep's pacer and the simulator, so throttling waits cost no real time.
 */
export async function simulatedTarget(): Promise<SweepTarget> {
  // Loaded only here: a sweep against Azure needs none of the test support.
  const { startSweepHarness } = await import('../../test/support/sweep-harness.js');
  const harness = await startSweepHarness();
  return {
    tenant: 'simulated tenant (Azurite and the simulator on this machine, seeded with every finding kind; virtual clock: waits cost no real time)',
    sweep: (order) => harness.sweep({ trigger: 'cli', ...order }),
    sweepStore: () => harness.app.sweepStore(),
    close: () => harness.close(),
  };
}

/** A real tenant, with the app's settings from `env` (see azure-settings.ts). Throws SettingsError. */
export async function azureTarget(env: Record<string, string>): Promise<SweepTarget> {
  const [{ createServices }, { sweepWithApp }] = await Promise.all([import('../../lib/composition-root.js'), import('../../lib/sweep/sweep-runner.js')]);
  const app = createServices({ env });
  const who = app.settings.identity.clientSecret ? `client ${app.settings.identity.clientId ?? ''}` : app.settings.identity.clientId ? `managed identity ${app.settings.identity.clientId}` : 'your Azure CLI login';
  return {
    tenant: `Azure tenant ${app.settings.identity.tenantId ?? '(of the signed-in account)'} at ${app.settings.armEndpoint}, as ${who}`,
    sweep: (order) => sweepWithApp(app, { trigger: 'cli', ...order }),
    sweepStore: () => app.sweepStore(),
    close: async () => undefined,
  };
}
