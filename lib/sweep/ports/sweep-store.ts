import type { FindingKind, SweepFinding, SweepRun } from '../model.js';

/** What an earlier run recorded about a finding: enough to tell new from known without reading it all. */
export interface KnownFinding {
  readonly key: string;
  readonly kind: FindingKind;
  readonly firstSeen: string;
  /** When its notice went out; absent when none did (report-only kinds, dry runs). */
  readonly noticedAt?: string;
}

export interface FindingsPage {
  readonly items: readonly SweepFinding[];
  readonly continuationToken?: string;
}

export interface FindingsFilter {
  readonly kind?: FindingKind;
}

/** Where runs and findings are kept (Table Storage in Azure, Azurite in tests). */
export interface SweepStore {
  /**
   * Takes the one-sweep-at-a-time lease until `until` (ISO 8601); false when another run holds an
   * unexpired one. Two sweeps at once would mail every new finding twice.
   */
  acquireLease(runId: string, until: string): Promise<boolean>;
  releaseLease(runId: string): Promise<void>;
  saveRun(run: SweepRun): Promise<void>;
  getRun(id: string): Promise<SweepRun | undefined>;
  /** The newest finished or running run, if any. */
  latestRun(): Promise<SweepRun | undefined>;
  /** Every finding any earlier run recorded, streamed. */
  knownFindings(): AsyncIterable<KnownFinding>;
  /** Records a batch of this run's findings (and their first/last seen); called once per page. */
  saveFindings(runId: string, findings: readonly SweepFinding[]): Promise<void>;
  /** One run's findings, grouped by kind, each once, a page at a time. */
  runFindings(runId: string, filter: FindingsFilter, page: { size: number; continuationToken?: string }): Promise<FindingsPage>;
}
