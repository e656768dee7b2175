import type { Clock } from '../../core/clock.js';
import type { RequestStore } from '../../requests/ports/store.js';
import type { ApplyMessage, WorkQueue } from '../../requests/ports/work-queue.js';
import type { SweepArm } from '../ports/sweep-arm.js';
import type { SweepInventory } from '../ports/sweep-inventory.js';
import type { SweepNotices } from '../ports/sweep-notices.js';
import type { SweepStore } from '../ports/sweep-store.js';

/** What one sweep needs from the outside world; the composition root (or the CLI) supplies adapters. */
export interface SweepPorts {
  readonly clock: Clock;
  readonly inventory: SweepInventory;
  readonly arm: SweepArm;
  readonly requests: RequestStore;
  readonly applyQueue: WorkQueue<ApplyMessage>;
  readonly store: SweepStore;
  readonly notices: SweepNotices;
  /** A subscription's security contacts (for the digest when SWEEP_DIGEST_TO is empty). */
  securityContacts(subscriptionId: string): Promise<readonly string[]>;
  readonly warn?: (message: string) => void;
}

export interface SweepRules {
  readonly warnDays: readonly number[];
  readonly deleteExpiredAfterDays: number | undefined;
  readonly defenderLagHours: number;
  readonly digestTo: readonly string[];
  readonly fallbackApprovers: readonly string[];
  readonly stuckAfterMinutes: number;
}

export interface ProgressEvent {
  readonly phase: 'requests' | 'assignments' | 'exemptions' | 'standards' | 'resources' | 'deleted' | 'assessments' | 'stuck' | 'digest' | 'done';
  readonly pages: number;
  readonly exemptions: number;
  readonly subscriptions: number;
  readonly findings: number;
  /** Rows read so far in this phase, and how many its query has in all when the source says. */
  readonly phaseRows: number;
  readonly expectedRows?: number;
}
