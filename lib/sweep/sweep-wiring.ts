import type { AppServices } from '../composition-root.js';
import type { Settings } from '../config/settings.js';
import { SweepArmTransport } from './arm-transport.js';
import type { SweepPorts, SweepRules } from './engine/sweep-ports.js';
import { realPacer, type Pacer } from './pacing.js';
import { GraphInventory } from './sources/graph-inventory.js';
import { TransportSweepArm } from './sources/transport-sweep-arm.js';

export interface SweepWiringOptions {
  /** Where waits go; tests share a virtual clock with the simulated tenant's quota. */
  readonly pacer?: Pacer;
  /** Transient-answer back-off when no Retry-After is given. */
  readonly backoffMs?: number;
}

/**
 * Fresh transports per run, so the run record counts exactly this run's calls; the adapters behind the
 * request store, the sweep store and the notices are the app's own.
 */
export async function sweepPorts(app: AppServices, options: SweepWiringOptions = {}): Promise<SweepPorts> {
  const credential = await app.credential();
  const transport = () => new SweepArmTransport({
    endpoint: app.settings.armEndpoint, credential, pacer: options.pacer ?? realPacer,
    ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
  });
  const armTransport = transport();
  const [requests, store, notices, applyQueue, arm] = await Promise.all([app.store(), app.sweepStore(), app.sweepNotices(), app.applyQueue(), app.arm()]);
  return {
    clock: app.clock,
    inventory: new GraphInventory(transport(), armTransport),
    arm: new TransportSweepArm(armTransport),
    requests, applyQueue, store, notices,
    securityContacts: (subscriptionId) => arm.listSecurityContactEmails(subscriptionId),
  };
}

export function sweepRules(settings: Settings): SweepRules {
  return {
    warnDays: settings.sweep.warnDays,
    deleteExpiredAfterDays: settings.sweep.deleteExpiredAfterDays,
    defenderLagHours: settings.sweep.defenderLagHours,
    digestTo: settings.sweep.digestTo,
    fallbackApprovers: settings.review.fallbackApprovers,
    stuckAfterMinutes: settings.requeue.stuckAfterMinutes,
  };
}
