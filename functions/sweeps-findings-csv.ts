import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { isFindingKind, isRunId } from '../lib/store/sweep-entities.js';
import { FINDING_KINDS } from '../lib/sweep/model.js';
import { findingsCsvResponse } from '../lib/sweep/report/csv-response.js';
import { SWEEPS_ROUTE } from '../lib/sweep/report/run-view.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { problem } from '../lib/web/problem.js';

/** GET /api/sweeps/{id}/findings.csv?kind=: every finding of the run as a CSV download, page by page. */
export async function getSweepFindingsCsv(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const id = request.params.id ?? '';
  if (!isRunId(id)) return problem(400, 'not a sweep run id', [{ field: 'id', message: 'must be a sweep run id' }]);
  const kinds = request.query.getAll('kind');
  const kind = kinds[0];
  if (kinds.length > 1 || (kind !== undefined && !isFindingKind(kind))) {
    return problem(400, 'not a finding kind', [{ field: 'kind', message: `must be one of ${FINDING_KINDS.join(', ')}, given once` }]);
  }
  try {
    const store = await services().sweepStore();
    if (!(await store.getRun(id))) return problem(404, `no sweep run ${id}`);
    return await findingsCsvResponse(store, id, kind);
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'sweepsFindingsCsv', route: `${SWEEPS_ROUTE}/{id}/findings.csv`, methods: ['GET'], authLevel: 'function', handler: getSweepFindingsCsv });
