import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { isFindingKind } from '../lib/sweep/model.js';
import { findingsCsvResponse } from '../lib/sweep/report/csv-response.js';
import { reportAccess } from '../lib/sweep/report/report-access.js';
import { SWEEPS_ROUTE } from '../lib/sweep/report/run-view.js';
import { messagePage } from '../lib/web/html-response.js';

/** GET /api/sweeps/{id}/report/findings.csv?t=&kind=: the report page's download, under the same signed link. */
export async function sweepReportCsv(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  try {
    const store = await app.sweepStore();
    const access = await reportAccess(request, app.settings.review.signingKey, store, app.clock.now());
    if (!access.ok) return access.response;
    // The page's filter travels along; only the kind narrows the download, anything else gives them all.
    const kind = request.query.get('kind') ?? undefined;
    return await findingsCsvResponse(store, access.run.id, isFindingKind(kind) ? kind : undefined);
  } catch (error) {
    context.error('report download failed', error);
    return messagePage(503, 'The download could not be prepared', 'Storage did not answer; try again in a minute.');
  }
}

defineHttpFunction({ name: 'sweepsReportCsv', route: `${SWEEPS_ROUTE}/{id}/report/findings.csv`, methods: ['GET'], authLevel: 'anonymous', handler: sweepReportCsv });
