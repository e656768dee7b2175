import type { Settings } from '../../config/settings.js';
import { HOUR_MS } from '../../core/time.js';
import { issueReportToken, reportUrl } from '../../web/report-link.js';
import type { SweepRun } from '../model.js';

export const SWEEPS_ROUTE = 'sweeps';

/** Where a run can be read: the record, its findings as CSV, and the report page. */
export interface SweepRunLinks {
  readonly self: string;
  readonly findingsCsv: string;
  readonly report: string;
}

export interface ReportLinkSettings {
  readonly publicBaseUrl: string;
  readonly signingKey: string;
  readonly linkTtlHours: number;
}

/** The report link carries its own signed token: whoever holds the API key may hand it to a person. */
export function sweepRunLinks(settings: ReportLinkSettings, runId: string, now: Date): SweepRunLinks {
  const base = `${settings.publicBaseUrl}/api/${SWEEPS_ROUTE}/${encodeURIComponent(runId)}`;
  const token = issueReportToken(settings.signingKey, { runId, expiresAt: new Date(now.getTime() + settings.linkTtlHours * HOUR_MS) });
  return { self: base, findingsCsv: `${base}/findings.csv`, report: reportUrl(settings.publicBaseUrl, runId, token) };
}

/** The API's view of a run: the record as stored, with its links. */
export function runView(run: SweepRun, settings: ReportLinkSettings, now: Date): SweepRun & { readonly links: SweepRunLinks } {
  return { ...run, links: sweepRunLinks(settings, run.id, now) };
}

export function reportLinkSettings(settings: Settings): ReportLinkSettings {
  return { publicBaseUrl: settings.publicBaseUrl, signingKey: settings.review.signingKey, linkTtlHours: settings.review.linkTtlHours };
}

/** The file name a run's findings download under. */
export function findingsCsvFileName(runId: string): string {
  return `sweep-${runId}-findings.csv`;
}
