import type { SweepFinding, SweepRun } from '../model.js';
import type { SweepStore } from '../ports/sweep-store.js';
import type { ReportFilter } from './report-filter.js';

/** The most findings one page view reads; beyond that the page points at the CSV. */
const READ_CAP = 5_000;

/**
 * The findings a report view filters, read page by page up to a cap: the kind filter is applied by the
 * store, the rest by the page. `total` is what the run holds of that kind, so the page can say when it
 * shows only part.
 */
export async function loadReportFindings(store: SweepStore, run: SweepRun, filter: ReportFilter): Promise<{ findings: SweepFinding[]; total: number }> {
  const findings: SweepFinding[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.runFindings(run.id, filter.kind ? { kind: filter.kind } : {}, { size: 1000, ...(continuationToken ? { continuationToken } : {}) });
    findings.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken && findings.length < READ_CAP);
  const total = filter.kind ? run.counts.byKind[filter.kind] ?? findings.length : run.counts.findings;
  return { findings: findings.slice(0, READ_CAP), total: Math.max(total, findings.length) };
}
