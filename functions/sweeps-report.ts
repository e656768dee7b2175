import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { loadReportFindings } from '../lib/sweep/report/report-findings.js';
import { reportAccess } from '../lib/sweep/report/report-access.js';
import { parseReportFilter } from '../lib/sweep/report/report-filter.js';
import { renderReportPage } from '../lib/sweep/report/report-page.js';
import { SWEEPS_ROUTE } from '../lib/sweep/report/run-view.js';
import { htmlPage, messagePage } from '../lib/web/html-response.js';

/** GET /api/sweeps/{id}/report?t=: the run's report page, opened from the digest's signed link. */
export async function sweepReportPage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  try {
    const store = await app.sweepStore();
    const access = await reportAccess(request, app.settings.review.signingKey, store, app.clock.now());
    if (!access.ok) return access.response;
    const filter = parseReportFilter(new URLSearchParams(request.query));
    const { findings, total } = await loadReportFindings(store, access.run, filter);
    return htmlPage(200, renderReportPage({ run: access.run, findings, filter, now: app.clock.now(), total, token: access.token }));
  } catch (error) {
    context.error('report page failed', error);
    return messagePage(503, 'The report could not be loaded', 'Storage did not answer; try again in a minute.');
  }
}

defineHttpFunction({ name: 'sweepsReport', route: `${SWEEPS_ROUTE}/{id}/report`, methods: ['GET'], authLevel: 'anonymous', handler: sweepReportPage });
