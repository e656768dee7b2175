import type { FindingDraft } from '../findings/finding-draft.js';
import { findingKey } from '../findings/finding-key.js';
import type { FindingKind, SweepFinding } from '../model.js';
import type { KnownFinding, SweepStore } from '../ports/sweep-store.js';

/** New findings kept for the digest, per subscription; the digest says how many more there were. */
const DIGEST_CAP = 200;
/** And in all, so a first run over a large estate does not hold every finding for the digest. */
const DIGEST_HELD = 10_000;

/**
 * Turns a run's drafts into findings: stable key, first seen (from the ledger of earlier runs) and
 * newness, then stores them a batch at a time (see `flush`). Only keys and first-seen times of earlier findings are
 * held, never their rows. It also keeps the counts for the run record and the new findings for the digest.
 */
export class FindingRecorder {
  readonly byKind: Partial<Record<FindingKind, number>> = {};
  total = 0;
  newCount = 0;
  /** New findings per subscription, capped; `newPerSubscription` has the true counts. */
  readonly newFindings = new Map<string, SweepFinding[]>();
  readonly newPerSubscription = new Map<string, number>();
  private readonly recorded = new Set<string>();
  private held = 0;
  private saving: Promise<void> = Promise.resolve();
  private saveFailure: { readonly error: unknown } | undefined;

  constructor(
    private readonly store: SweepStore,
    private readonly runId: string,
    private readonly known: ReadonlyMap<string, KnownFinding>,
    private readonly now: string,
    private readonly dryRun: boolean,
    private readonly onFindings?: (findings: readonly SweepFinding[]) => void,
  ) {}

  static async loadKnown(store: SweepStore): Promise<Map<string, KnownFinding>> {
    const known = new Map<string, KnownFinding>();
    for await (const finding of store.knownFindings()) {
      // A key first seen by two runs (the earlier one's rows half-written): the earlier time, any notice.
      const prior = known.get(finding.key);
      if (!prior) known.set(finding.key, finding);
      else {
        const noticedAt = prior.noticedAt ?? finding.noticedAt;
        known.set(finding.key, { ...prior, firstSeen: prior.firstSeen <= finding.firstSeen ? prior.firstSeen : finding.firstSeen, ...(noticedAt ? { noticedAt } : {}) });
      }
    }
    return known;
  }

  /** What an earlier run recorded under this draft's key. */
  earlier(draft: Pick<FindingDraft, 'kind' | 'subject' | 'threshold'>): KnownFinding | undefined {
    return this.known.get(findingKey(draft.kind, draft.subject, draft.threshold));
  }

  /** Whether a notice for this finding already went out in an earlier run. */
  noticed(draft: Pick<FindingDraft, 'kind' | 'subject' | 'threshold'>): boolean {
    return this.earlier(draft)?.noticedAt !== undefined;
  }

  async record(drafts: readonly FindingDraft[]): Promise<SweepFinding[]> {
    const findings: SweepFinding[] = [];
    for (const draft of drafts) {
      const key = findingKey(draft.kind, draft.subject, draft.threshold);
      // A subject reached twice in one run (a row repeated across pages) is one finding.
      if (this.recorded.has(key)) continue;
      this.recorded.add(key);
      const earlier = this.known.get(key);
      const finding: SweepFinding = { ...draft, key, firstSeen: earlier?.firstSeen ?? this.now, lastSeen: this.now, isNew: earlier === undefined };
      findings.push(finding);
      this.count(finding);
    }
    if (!this.dryRun && findings.length > 0) {
      // One batch is stored while the next page is read: the store and the inventory each wait on
      // the network, so a run costs the longer of the two, not their sum. Never more than one, so
      // findings cannot pile up in memory when the store is the slower.
      await this.flush();
      this.saving = this.store.saveFindings(this.runId, findings).catch((error: unknown) => {
        this.saveFailure = { error };
      });
    }
    if (findings.length > 0) this.onFindings?.(findings);
    return findings;
  }

  /** Waits for the batch being stored; throws if storing it failed (the run then records the error). */
  async flush(): Promise<void> {
    await this.saving;
    const failure = this.saveFailure;
    this.saveFailure = undefined;
    if (failure) throw failure.error;
  }

  private count(finding: SweepFinding): void {
    this.total++;
    this.byKind[finding.kind] = (this.byKind[finding.kind] ?? 0) + 1;
    if (!finding.isNew) return;
    this.newCount++;
    const subscription = finding.subscriptionId;
    this.newPerSubscription.set(subscription, (this.newPerSubscription.get(subscription) ?? 0) + 1);
    const kept = this.newFindings.get(subscription) ?? [];
    if (kept.length < DIGEST_CAP && this.held < DIGEST_HELD) {
      kept.push(finding);
      this.held++;
    }
    this.newFindings.set(subscription, kept);
  }
}
