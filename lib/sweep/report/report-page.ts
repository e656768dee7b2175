import { formatUtc, isoDate } from '../../render/format.js';
import { html, raw, type SafeHtml } from '../../web/html.js';
import { page } from '../../web/page-shell.js';
import { isRunId, reportCsvPath } from '../../web/report-link.js';
import { FINDING_KINDS, FINDING_LABELS, type SweepFinding, type SweepRun, type SweepRunStatus } from '../model.js';
import { renderExpiryChart } from './expiry-chart.js';
import { filterFindings, filterParams, isFiltering, Q_MAX, type ReportFilter } from './report-filter.js';

/**
 * The report page of one sweep run, opened from the signed link in the digest email. A pure renderer:
 * the HTTP function checks the token, loads the run and its findings, parses the filter from the query
 * string and sends what this returns with the page headers (PAGE_CSP). No scripts: the filter is a GET
 * form that comes back here, and the chart is inline SVG.
 *
 * Everything in a finding (ids, display names, details) comes from ARM and is treated as hostile: it
 * only ever reaches the page through the escaping `html` template.
 */
export interface ReportPageView {
  readonly run: SweepRun;
  /** The run's findings, unfiltered: the page filters them with `filterFindings`. */
  readonly findings: readonly SweepFinding[];
  readonly filter: ReportFilter;
  readonly now: Date;
  /** How many findings the run has in all; more than `findings.length` when only some were loaded. */
  readonly total?: number;
  /** The report token the page was opened with: kept by the filter form and the CSV link. */
  readonly token: string;
  /** Where the CSV download is; by default `reportCsvPath(run.id, token, filter)`. */
  readonly csvUrl?: string;
}

/** At most this many findings are listed; the CSV has them all. */
export const REPORT_ROW_CAP = 500;

const STATUS_TONE: Readonly<Record<SweepRunStatus, string>> = {
  queued: '',
  running: '',
  succeeded: ' ok',
  partial: ' bad',
  failed: ' bad',
};

const DAY_MS = 86_400_000;

// The shell's column is sized for the review page; the findings table needs more room. Our own constant.
const PAGE_STYLES = raw(`<style>
.wrap { max-width: 1200px; }
.scroll { overflow-x: auto; }
table.findings td, table.findings th { padding-right: 14px; }
table.counts { width: auto; min-width: 360px; }
table.counts td.num, table.counts th.num { text-align: right; padding-left: 24px; }
table.findings .nowrap { white-space: nowrap; overflow-wrap: normal; }
table.findings td.detail { min-width: 14em; }
form.filter { display: flex; flex-wrap: wrap; gap: 12px 18px; align-items: flex-end; margin: 0 0 16px; }
form.filter .field { margin: 0; }
form.filter input[type=search] { font: inherit; padding: 8px 10px; border: 1px solid #8c959f; border-radius: 6px; width: 260px; max-width: 100%; }
form.filter label.check { display: flex; gap: 6px; align-items: center; font-weight: 600; margin: 0; padding-bottom: 8px; }
form.filter button { background: var(--accent); color: #fff; min-width: 100px; padding: 8px 18px; }
</style>`);

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function scopeText(run: SweepRun): SafeHtml {
  const { managementGroups, subscriptions } = run.scope;
  if (managementGroups.length === 0 && subscriptions.length === 0) return html`every subscription the app can read`;
  return html`${managementGroups.length > 0 && html`<div>Management groups: <span class="mono">${managementGroups.join(', ')}</span></div>`}${subscriptions.length > 0 && html`<div>Subscriptions: <span class="mono">${subscriptions.join(', ')}</span></div>`}`;
}

function summary(run: SweepRun): SafeHtml {
  const c = run.calls;
  const duration = run.status === 'running' && run.durationMs === undefined ? 'still running' : formatDuration(run.durationMs);
  return html`<dl class="facts" data-testid="summary">
<dt>Status</dt><dd><span class="badge${STATUS_TONE[run.status] ?? ''}" data-testid="status">${run.status}</span></dd>
<dt>Trigger</dt><dd data-testid="trigger">${run.trigger}</dd>
<dt>Dry run</dt><dd data-testid="dry-run">${run.dryRun ? 'yes: nothing was changed and no notices were sent' : 'no'}</dd>
<dt>Scope</dt><dd data-testid="scope">${scopeText(run)}</dd>
<dt>Started</dt><dd data-testid="started">${formatUtc(run.startedAt)}</dd>
<dt>Duration</dt><dd data-testid="duration">${duration}</dd>
<dt>Inventory</dt><dd>${plural(run.counts.exemptions, 'exemption', 'exemptions')}, ${plural(run.counts.assessments, 'assessment', 'assessments')}, ${plural(run.counts.subscriptions, 'subscription', 'subscriptions')}${run.source && html` (from ${run.source === 'resourceGraph' ? 'Resource Graph' : 'the REST API'})`}</dd>
<dt>Calls</dt><dd data-testid="calls">${c.resourceGraphQueries} Resource Graph queries, ${c.armCalls} ARM calls, ${c.throttled} throttled, ${formatDuration(c.waitedMs)} waiting</dd>
<dt>Errors</dt><dd data-testid="errors">${run.errors.length === 0 ? 'none' : html`${run.errors.length}<ul class="ids">${run.errors.slice(0, 50).map((e) => html`<li class="prewrap">${e}</li>`)}</ul>`}</dd>
</dl>`;
}

function countsTable(run: SweepRun): SafeHtml {
  const rows = FINDING_KINDS.map((kind) => {
    const n = run.counts.byKind[kind] ?? 0;
    return html`<tr data-kind="${kind}"><th scope="row">${FINDING_LABELS[kind]}</th><td class="num" data-testid="count-${kind}">${n}</td></tr>`;
  });
  return html`<table class="counts" data-testid="counts">
<thead><tr><th scope="col">Kind</th><th scope="col" class="num">Findings</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th scope="row">All findings (${run.counts.newFindings} new)</th><td class="num" data-testid="count-total">${run.counts.findings}</td></tr></tfoot>
</table>`;
}

function chart(run: SweepRun, now: Date): SafeHtml {
  const started = new Date(run.startedAt);
  const from = Number.isNaN(started.getTime()) ? now : started;
  if (run.expiringPerWeek.length === 0) return html`<p class="muted" data-testid="no-chart">This run recorded no expiry counts.</p>`;
  return html`<p class="muted">Weeks start on the run's start date (${isoDate(from.toISOString())}); hover a bar for its count.</p>
${renderExpiryChart(run.expiringPerWeek, from)}`;
}

function filterForm(filter: ReportFilter, token: string): SafeHtml {
  const options = FINDING_KINDS.map(
    (kind) => html`<option value="${kind}"${filter.kind === kind && html` selected`}>${FINDING_LABELS[kind]}</option>`,
  );
  // No action: a GET form goes back to this page's own URL with its query replaced by the fields below.
  return html`<form method="get" class="filter" data-testid="filter">
<input type="hidden" name="t" value="${token}">
<div class="field"><label for="kind">Kind</label>
<select id="kind" name="kind"><option value=""${filter.kind === undefined && html` selected`}>All kinds</option>${options}</select></div>
<div class="field"><label for="q">Contains</label>
<input type="search" id="q" name="q" maxlength="${Q_MAX}" value="${filter.q ?? ''}" placeholder="id, scope, name or detail"></div>
<label class="check"><input type="checkbox" id="new" name="new" value="1"${filter.newOnly && html` checked`}> New only</label>
<button type="submit" id="apply">Filter</button>
</form>`;
}

function expiresCell(expiresOn: string | undefined, now: Date): SafeHtml {
  if (!expiresOn) return html`<span class="muted">never</span>`;
  const at = Date.parse(expiresOn);
  if (Number.isNaN(at)) return html`${expiresOn}`;
  const days = Math.round((at - now.getTime()) / DAY_MS);
  const when = days === 0 ? 'today' : days > 0 ? `in ${days} d` : `${-days} d ago`;
  return html`${isoDate(expiresOn)} <span class="muted">(${when})</span>`;
}

/** Policy exemptions are the usual case; a Defender exemption says so, and which standard it exempts from. */
function mechanismNote(f: SweepFinding): SafeHtml | '' {
  if (f.mechanism !== 'standard') return '';
  return html`<div class="muted" data-testid="mechanism">Defender standard assignment${f.assignedStandardId && html` <span class="mono">${f.assignedStandardId}</span>`}</div>`;
}

function findingRow(f: SweepFinding, now: Date): SafeHtml {
  return html`<tr data-testid="finding" data-kind="${f.kind}">
<td>${FINDING_LABELS[f.kind] ?? f.kind}${f.threshold && html` <span class="muted">(${f.threshold} d)</span>`}${f.isNew && html` <span class="badge">new</span>`}</td>
<td>${f.displayName && html`<div data-testid="display-name">${f.displayName}</div>`}<div class="mono" data-testid="subject">${f.subject}</div>${mechanismNote(f)}</td>
<td class="mono">${f.scope}</td>
<td class="nowrap">${expiresCell(f.expiresOn, now)}</td>
<td class="prewrap detail" data-testid="detail">${f.detail}</td>
<td class="nowrap">${f.action}</td>
<td class="nowrap">${isoDate(f.firstSeen)}</td>
</tr>`;
}

function findingsSection(view: ReportPageView): SafeHtml {
  const { filter, findings, now } = view;
  const matched = filterFindings(findings, filter);
  const shown = matched.slice(0, REPORT_ROW_CAP);
  const more = matched.length - shown.length;
  const total = Math.max(view.total ?? findings.length, findings.length);
  // A stored run always has a run id; should one not, the page still renders, without the download.
  const csv = view.csvUrl ?? (isRunId(view.run.id) ? reportCsvPath(view.run.id, view.token, filterParams(filter)) : undefined);
  const filtering = isFiltering(filter);
  return html`<section aria-labelledby="findings-heading">
<h2 id="findings-heading">Findings</h2>
${filterForm(filter, view.token)}
${filter.ignored.map((sentence) => html`<p class="notice bad" data-testid="ignored">${sentence}</p>`)}
<p data-testid="match-count">${filtering
  ? html`<strong>${matched.length}</strong> of ${findings.length} findings match the filter.`
  : html`<strong>${findings.length}</strong> findings.`}
${total > findings.length && html` Only the first ${findings.length} of ${total} findings were loaded for this page; the filter looks at those.`}
${csv && html`<a href="${csv}" data-testid="csv-link">Download as CSV</a>`}</p>
${more > 0 && html`<p class="notice" data-testid="more">Showing the first ${shown.length}; ${more} more match. The CSV has them all.</p>`}
${shown.length === 0
  ? html`<p class="muted" data-testid="no-findings">${filtering ? 'No findings match the filter.' : 'This run found nothing.'}</p>`
  : html`<div class="scroll"><table class="findings" data-testid="findings">
<thead><tr><th scope="col">Kind</th><th scope="col">Exemption</th><th scope="col">Scope</th><th scope="col">Expires</th><th scope="col">Detail</th><th scope="col">Action</th><th scope="col">First seen</th></tr></thead>
<tbody>${shown.map((f) => findingRow(f, now))}</tbody>
</table></div>`}
</section>`;
}

export function renderReportPage(view: ReportPageView): string {
  const { run, now } = view;
  const body = html`${PAGE_STYLES}<main class="card">
<h1>Sweep report</h1>
<p class="muted">Run <span class="mono" data-testid="run-id">${run.id}</span> · ${run.dryRun ? 'dry run · ' : ''}generated ${formatUtc(now.toISOString())}</p>
<section aria-labelledby="run-heading">
<h2 id="run-heading">Run</h2>
${summary(run)}
</section>
<section aria-labelledby="counts-heading">
<h2 id="counts-heading">Findings by kind</h2>
${countsTable(run)}
</section>
<section aria-labelledby="chart-heading">
<h2 id="chart-heading">Exemptions expiring in the next 90 days</h2>
${chart(run, now)}
</section>
${findingsSection(view)}
</main>`;
  return page({ title: `Sweep report ${run.id}`, body });
}
