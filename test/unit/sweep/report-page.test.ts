import { describe, expect, it } from 'vitest';
import { FINDING_KINDS, FINDING_LABELS, type SweepFinding } from '../../../lib/sweep/model.js';
import { NO_FILTER, parseReportFilter } from '../../../lib/sweep/report/report-filter.js';
import { formatDuration, REPORT_ROW_CAP, renderReportPage, type ReportPageView } from '../../../lib/sweep/report/report-page.js';
import { escapeHtml } from '../../../lib/web/html.js';
import { finding, run } from './report-fixtures.js';

const NOW = new Date('2026-11-02T08:00:00.000Z');
const IMG = '<img src=x onerror=alert(1)>';
const BREAKOUT = '"><script>window.__pwned=1</script>';

function view(overrides: Partial<ReportPageView> = {}): ReportPageView {
  return { run: run(), findings: [finding()], filter: NO_FILTER, now: NOW, token: 'v1.payload.mac', ...overrides };
}

const rows = (page: string) => page.match(/<tr data-testid="finding"/g)?.length ?? 0;

describe('report page', () => {
  it('lists every kind in order with its count, zero included', () => {
    const page = renderReportPage(view());
    const counts = [...page.matchAll(/data-testid="count-(\w+)">(\d+)</g)].map((m) => [m[1], Number(m[2])]);
    expect(counts).toEqual([
      ...FINDING_KINDS.map((k) => [k, { expiring: 3, expired: 2, noExpiry: 4 }[k as string] ?? 0]),
      ['total', 9],
    ]);
    for (const kind of FINDING_KINDS) expect(page).toContain(FINDING_LABELS[kind]);
  });

  it('says which findings are Defender exemptions (standard assignments), and of which standard; policy ones carry no note', () => {
    const standard = finding({
      key: 'b'.repeat(64), mechanism: 'standard', policyAssignmentId: undefined,
      assignedStandardId: `/providers/Microsoft.Security/Standards/${IMG}`,
    });
    const page = renderReportPage(view({ findings: [finding(), standard] }));
    const notes = [...page.matchAll(/data-testid="mechanism">(.*?)<\/div>/g)].map((m) => m[1]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Defender standard assignment');
    expect(notes[0]).toContain(escapeHtml(IMG));
    expect(page).not.toContain(IMG);
  });

  it('summarises the run', () => {
    const page = renderReportPage(view({ run: run({ status: 'partial', dryRun: true, trigger: 'http', errors: ['one batch failed'] }) }));
    expect(page).toMatch(/data-testid="status">partial</);
    expect(page).toMatch(/data-testid="trigger">http</);
    expect(page).toMatch(/data-testid="dry-run">yes/);
    expect(page).toContain('2026-11-02 03:00 UTC');
    expect(page).toMatch(/data-testid="duration">4 min 12 s</);
    expect(page).toContain('4 Resource Graph queries, 17 ARM calls, 1 throttled, 3 s waiting');
    expect(page).toContain('one batch failed');
  });

  it('formats durations', () => {
    expect([formatDuration(undefined), formatDuration(450), formatDuration(59_400), formatDuration(3_725_000)])
      .toEqual(['—', '450 ms', '59 s', '1 h 2 min']);
  });

  it('draws the chart from the run\'s weekly counts', () => {
    const page = renderReportPage(view());
    expect([...page.matchAll(/<rect class="bar"[^>]*data-count="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(run().expiringPerWeek);
    expect(renderReportPage(view({ run: run({ expiringPerWeek: [] }) }))).toContain('data-testid="no-chart"');
  });

  it('shows hostile values from ARM as text, in content and in attributes', () => {
    const hostile = finding({
      displayName: IMG,
      subject: `/subscriptions/s/providers/Microsoft.Authorization/policyExemptions/x${BREAKOUT}`,
      scope: `/subscriptions/s${IMG}`,
      detail: `Assignment "${BREAKOUT}" is gone`,
      expiresOn: BREAKOUT,
      threshold: IMG,
    });
    const page = renderReportPage(view({
      run: run({ id: 'run-hostile-1', errors: [IMG], scope: { managementGroups: [BREAKOUT], subscriptions: [] } }),
      findings: [hostile],
      token: BREAKOUT,
    }));
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>window');
    expect(page).toContain(escapeHtml(IMG));
    expect(page).toContain(`<div data-testid="display-name">${escapeHtml(IMG)}</div>`);
    expect(page).toContain(`name="t" value="${escapeHtml(BREAKOUT)}"`);
    // The one <script> in the document would be an injected one.
    expect(page).not.toMatch(/<script/i);
  });

  it('keeps the token in the form and the CSV link, and does not name a form action', () => {
    const page = renderReportPage(view({ filter: parseReportFilter(new URLSearchParams('kind=expired&q=a%26b&new=1')) }));
    expect(page).toContain('<input type="hidden" name="t" value="v1.payload.mac">');
    expect(page).toMatch(/<form method="get" class="filter"/);
    expect(page).not.toMatch(/<form[^>]*action=/);
    expect(page).toContain(`href="/api/sweeps/${run().id}/report/findings.csv?t=v1.payload.mac&amp;kind=expired&amp;q=a%26b&amp;new=1"`);
  });

  it('shows the filter it applied in the form', () => {
    const page = renderReportPage(view({ filter: parseReportFilter(new URLSearchParams(`kind=noExpiry&q=${encodeURIComponent(BREAKOUT)}&new=1`)) }));
    expect(page).toContain('<option value="noExpiry" selected>');
    expect(page).toContain(`value="${escapeHtml(BREAKOUT)}"`);
    expect(page).toMatch(/name="new" value="1" checked/);
  });

  it('filters the rows server-side', () => {
    const findings = [
      finding({ key: 'a', kind: 'expired', displayName: 'alpha' }),
      finding({ key: 'b', kind: 'noExpiry', displayName: 'beta' }),
      finding({ key: 'c', kind: 'expired', displayName: 'gamma', isNew: false }),
    ];
    const page = (q: string) => renderReportPage(view({ findings, filter: parseReportFilter(new URLSearchParams(q)) }));
    expect(rows(page(''))).toBe(3);
    expect(rows(page('kind=expired'))).toBe(2);
    expect(rows(page('kind=expired&new=1'))).toBe(1);
    expect(page('kind=expired&new=1')).toMatch(/<strong>1<\/strong> of 3 findings match/);
    expect(page('q=zzz')).toContain('No findings match the filter.');
  });

  it('says an invalid filter was ignored without echoing it', () => {
    const page = renderReportPage(view({ filter: parseReportFilter(new URLSearchParams(`kind=${encodeURIComponent(IMG)}`)) }));
    expect(page).toContain('data-testid="ignored"');
    expect(page).not.toContain('onerror');
  });

  it(`lists at most ${REPORT_ROW_CAP} rows and says how many more matched, pointing at the CSV`, () => {
    const many: SweepFinding[] = Array.from({ length: REPORT_ROW_CAP + 37 }, (_, i) => finding({ key: `k${i}` }));
    const page = renderReportPage(view({ findings: many }));
    expect(rows(page)).toBe(REPORT_ROW_CAP);
    expect(page).toMatch(/data-testid="more">Showing the first 500; 37 more match\. The CSV has them all\./);
    expect(rows(renderReportPage(view({ findings: many.slice(0, REPORT_ROW_CAP) })))).toBe(REPORT_ROW_CAP);
    expect(renderReportPage(view({ findings: many.slice(0, REPORT_ROW_CAP) }))).not.toContain('data-testid="more"');
  });

  it('says when only some of the run\'s findings were loaded', () => {
    expect(renderReportPage(view({ total: 12_000 }))).toContain('Only the first 1 of 12000 findings were loaded');
    expect(renderReportPage(view({ total: 1 }))).not.toContain('were loaded');
  });
});

describe('report page with an odd run record', () => {
  it('still renders, without a download link, when the run id is not one', () => {
    const page = renderReportPage(view({ run: run({ id: `../${IMG}` }) }));
    expect(page).not.toContain('data-testid="csv-link"');
    expect(page).not.toContain('<img');
  });
});
