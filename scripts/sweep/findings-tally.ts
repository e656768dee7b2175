import { FINDING_KINDS, type FindingKind, type SweepFinding } from '../../lib/sweep/model.js';

/** Findings kept per kind for the text report; the rest are counted. */
export const SHOWN_PER_KIND = 20;

/**
 * A run's findings as the CLI reads them, batch by batch: counts and the first few of each kind for the
 * text report, and, only when asked (--json), every finding.
 */
export class FindingsTally {
  readonly counts: Record<FindingKind, number> = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  readonly shown: Record<FindingKind, SweepFinding[]> = Object.fromEntries(FINDING_KINDS.map((k) => [k, []])) as unknown as Record<FindingKind, SweepFinding[]>;
  readonly all: SweepFinding[] | undefined;
  total = 0;

  constructor(keepAll: boolean, private readonly shownPerKind = SHOWN_PER_KIND) {
    this.all = keepAll ? [] : undefined;
  }

  add(findings: readonly SweepFinding[]): void {
    for (const finding of findings) {
      this.total++;
      this.counts[finding.kind]++;
      if (this.shown[finding.kind].length < this.shownPerKind) this.shown[finding.kind].push(finding);
      this.all?.push(finding);
    }
  }
}
