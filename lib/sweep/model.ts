/**
 * What a sweep finds and what a run records: the shapes the engine produces, the store keeps, and the
 * report page, the CSV, the digest and the HTTP API show. Plain data: no SDK, no HTML.
 */
import type { ExemptionMechanism } from '../requests/model.js';

export const FINDING_KINDS = [
  'expiring', 'expired', 'noExpiry', 'orphanedAssignment', 'orphanedResource', 'deletedOutOfBand',
  'changedOutOfBand', 'unmanaged', 'selfServe', 'defenderMismatch', 'stuck',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What the report calls each kind, in the order it lists them. */
export const FINDING_LABELS: Readonly<Record<FindingKind, string>> = {
  expiring: 'Expiring soon',
  expired: 'Expired',
  noExpiry: 'No expiry',
  orphanedAssignment: 'Orphaned: assignment gone',
  orphanedResource: 'Orphaned: resource gone',
  deletedOutOfBand: 'Deleted out of band',
  changedOutOfBand: 'Changed out of band',
  unmanaged: 'Unmanaged',
  selfServe: 'Self-serve (unreviewed)',
  defenderMismatch: 'Defender mismatch',
  stuck: 'Stuck request',
};

/** What the sweep did about a finding (besides recording it). */
export type FindingAction =
  | 'notified' | 'renewal-offered' | 'marked-expired' | 'deleted' | 'marked-removed' | 'marked-revoked'
  | 'evaluation-triggered' | 'requeued' | 'none';

/** One finding: one exemption (or request, for `stuck`), one kind, one threshold. */
export interface SweepFinding {
  /**
   * `sha256(kind | subject | threshold)` in hex: the same finding gets the same key in every run, which
   * is what makes notices idempotent.
   */
  readonly key: string;
  readonly kind: FindingKind;
  /** For `expiring`: the warning threshold in days (`30`, `7`, `1`); empty otherwise. */
  readonly threshold: string;
  /** The exemption's canonical id, or `request:{id}` for findings about a request with no exemption. */
  readonly subject: string;
  readonly subscriptionId: string;
  /** The exempted resource (or resource group / subscription scope), canonical. */
  readonly scope: string;
  readonly policyAssignmentId: string | undefined;
  /**
   * `standard` for a Defender exemption (a `Microsoft.Security/standardAssignments` resource with effect
   * Exempt); absent for a policy exemption, and on findings stored before Defender exemptions were swept.
   */
  readonly mechanism?: ExemptionMechanism;
  /** For `standard`: the standard it exempts from (`/providers/Microsoft.Security/Standards/{guid}`). */
  readonly assignedStandardId?: string;
  readonly displayName: string | undefined;
  /** ISO 8601 UTC; absent for exemptions that never expire. */
  readonly expiresOn: string | undefined;
  /** The request that created the exemption, when one of ours did. */
  readonly requestId: string | undefined;
  /** True when a stored request created the exemption; `managedBy` metadata alone does not count. */
  readonly managed: boolean;
  /** One sentence for people: what is wrong. Untrusted text from ARM may be quoted in it. */
  readonly detail: string;
  readonly action: FindingAction;
  /** ISO 8601 UTC: the first run that saw this finding, and this run. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** True when no earlier run saw it: only new findings are mailed. */
  readonly isNew: boolean;
}

/** Run ids: lower-case letters, digits and dashes (see newRunId); the one grammar every reader checks. */
export const RUN_ID_PATTERN = /^[0-9a-z][0-9a-z-]{0,63}$/;

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value);
}

export function isFindingKind(value: unknown): value is FindingKind {
  return typeof value === 'string' && (FINDING_KINDS as readonly string[]).includes(value);
}

export type SweepTrigger = 'timer' | 'http' | 'cli';
export type SweepRunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';

export interface SweepScope {
  /** Empty together with `subscriptions`: every subscription the identity can read. */
  readonly managementGroups: readonly string[];
  readonly subscriptions: readonly string[];
}

/** A run record: what was swept, how it went and what it cost. */
export interface SweepRun {
  /** Sorts newest first as text (inverted timestamp + random suffix). */
  readonly id: string;
  readonly trigger: SweepTrigger;
  readonly dryRun: boolean;
  readonly scope: SweepScope;
  readonly status: SweepRunStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly counts: {
    readonly exemptions: number;
    readonly assessments: number;
    readonly subscriptions: number;
    readonly findings: number;
    readonly newFindings: number;
    readonly byKind: Readonly<Partial<Record<FindingKind, number>>>;
  };
  readonly calls: {
    readonly resourceGraphQueries: number;
    readonly armCalls: number;
    readonly throttled: number;
    readonly waitedMs: number;
  };
  /** Inventory source that served the exemptions. */
  readonly source?: 'resourceGraph' | 'rest';
  /** Exemption expiries in the next 90 days, one count per week starting at `startedAt`. */
  readonly expiringPerWeek: readonly number[];
  /** Problems that did not stop the run (unreadable rows, a failed action, a batch that failed). At most 50. */
  readonly errors: readonly string[];
}
