import { FINDING_KINDS, type FindingKind, type SweepFinding } from '../model.js';

/**
 * The report page's findings filter, read from its query string. Parsing never fails: a value that is
 * not acceptable is dropped (or cut) and named in `ignored`, so the page can say so without echoing it.
 */
export interface ReportFilter {
  readonly kind?: FindingKind;
  /** Free text, trimmed, at most Q_MAX characters; matched case-insensitively. */
  readonly q?: string;
  readonly newOnly: boolean;
  /** What was dropped or cut, as fixed sentences (never the offending value itself). */
  readonly ignored: readonly string[];
}

export const Q_MAX = 200;
export const NO_FILTER: ReportFilter = { newOnly: false, ignored: [] };

function isKind(value: string): value is FindingKind {
  return (FINDING_KINDS as readonly string[]).includes(value);
}

/** Reads `kind`, `q` and `new` (a checkbox: present and not "0"/"false" means on). Other parameters are not read. */
export function parseReportFilter(params: URLSearchParams): ReportFilter {
  const ignored: string[] = [];
  let kind: FindingKind | undefined;
  const kindRaw = params.get('kind');
  if (kindRaw !== null && kindRaw !== '') {
    if (isKind(kindRaw)) kind = kindRaw;
    else ignored.push('The kind asked for is not a finding kind; showing every kind.');
  }
  let q: string | undefined;
  const qRaw = params.get('q');
  if (qRaw !== null) {
    const trimmed = qRaw.trim();
    if (trimmed.length > Q_MAX) {
      q = trimmed.slice(0, Q_MAX);
      ignored.push(`The search text was longer than ${Q_MAX} characters; only the first ${Q_MAX} are used.`);
    } else if (trimmed !== '') {
      q = trimmed;
    }
  }
  const newRaw = params.get('new');
  const newOnly = newRaw !== null && newRaw !== '0' && newRaw.toLowerCase() !== 'false';
  return { ...(kind && { kind }), ...(q !== undefined && { q }), newOnly, ignored };
}

/** The filter as query parameters (for links that keep it, such as the CSV download); `ignored` is not carried. */
export function filterParams(filter: ReportFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.kind) params.set('kind', filter.kind);
  if (filter.q) params.set('q', filter.q);
  if (filter.newOnly) params.set('new', '1');
  return params;
}

export function isFiltering(filter: ReportFilter): boolean {
  return filter.kind !== undefined || filter.q !== undefined || filter.newOnly;
}

/** Kind must match, `q` must occur in subject, scope, display name or detail (any case), and new only keeps new ones. */
export function filterFindings(findings: Iterable<SweepFinding>, filter: ReportFilter): SweepFinding[] {
  const needle = filter.q?.toLowerCase();
  const out: SweepFinding[] = [];
  for (const f of findings) {
    if (filter.kind !== undefined && f.kind !== filter.kind) continue;
    if (filter.newOnly && !f.isNew) continue;
    if (needle !== undefined) {
      const hay = [f.subject, f.scope, f.displayName ?? '', f.detail];
      if (!hay.some((text) => text.toLowerCase().includes(needle))) continue;
    }
    out.push(f);
  }
  return out;
}
