import type { ArmGateway } from '../azure/arm-gateway.js';
import type { Clock } from '../core/clock.js';
import type { Mailer } from '../notify/mailer.js';
import type { ApplyMessage, NotifyMessage, WorkQueue } from '../queue/work-queue.js';
import type { RequestStore } from '../store/request-store.js';

/** What the request services need from the outside world; the composition root supplies adapters. */
export interface RequestPorts {
  readonly clock: Clock;
  readonly store: RequestStore;
  readonly arm: ArmGateway;
  readonly mailer: Mailer;
  readonly notifyQueue: WorkQueue<NotifyMessage>;
  readonly applyQueue: WorkQueue<ApplyMessage>;
  /** Where a worker reports what went wrong without failing (the function's log in Azure). */
  readonly warn?: (message: string) => void;
}
