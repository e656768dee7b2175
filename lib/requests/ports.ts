import type { Clock } from '../core/clock.js';
import type { ArmGateway } from './ports/arm-gateway.js';
import type { Notifier } from './ports/notifier.js';
import type { RequestStore } from './ports/store.js';
import type { ApplyMessage, NotifyMessage, WorkQueue } from './ports/work-queue.js';

/** What the request services need from the outside world; the composition root supplies adapters. */
export interface RequestPorts {
  readonly clock: Clock;
  readonly store: RequestStore;
  readonly arm: ArmGateway;
  readonly notifier: Notifier;
  readonly notifyQueue: WorkQueue<NotifyMessage>;
  readonly applyQueue: WorkQueue<ApplyMessage>;
  /** Where a use case reports what went wrong without failing (the function's log in Azure). */
  readonly warn?: (message: string) => void;
}

/**
 * Telling people about a result is a courtesy: the stored state is the record, so a notifier that
 * fails is reported, never allowed to undo a decision or an exemption.
 */
export async function tell(ports: Pick<RequestPorts, 'warn'>, what: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    ports.warn?.(`could not notify "${what}": ${String((error as Error)?.message ?? error)}`);
  }
}
