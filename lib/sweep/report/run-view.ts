import type { SweepRun } from '../model.js';

export const SWEEPS_ROUTE = 'sweeps';

/** Where a run can be read: the record, its findings as CSV, and the report page. */
export interface SweepRunLinks {
  readonly self: string;
  readonly findingsCsv: string;
  readonly report: string;
}

export function sweepRunLinks(publicBaseUrl: string, runId: string): SweepRunLinks {
  const base = `${publicBaseUrl}/api/${SWEEPS_ROUTE}/${encodeURIComponent(runId)}`;
  return { self: base, findingsCsv: `${base}/findings.csv`, report: `${base}/report` };
}

/** The API's view of a run: the record as stored, with its links. */
export function runView(run: SweepRun, publicBaseUrl: string): SweepRun & { readonly links: SweepRunLinks } {
  return { ...run, links: sweepRunLinks(publicBaseUrl, run.id) };
}

/** The file name a run's findings download under. */
export function findingsCsvFileName(runId: string): string {
  return `sweep-${runId}-findings.csv`;
}
