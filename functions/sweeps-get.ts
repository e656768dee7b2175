import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { isRunId } from '../lib/store/sweep-entities.js';
import { reportLinkSettings, runView, SWEEPS_ROUTE } from '../lib/sweep/report/run-view.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { json, problem } from '../lib/web/problem.js';
import { getLatestSweep } from './sweeps-latest.js';

/** GET /api/sweeps/{id}: one sweep run with links to its findings CSV and report. */
export async function getSweep(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  const id = request.params.id ?? '';
  // The Functions host picks between overlapping routes by function name, not by the literal segment:
  // `sweeps/latest` may arrive here, and must answer the same wherever it lands.
  if (id === 'latest') return getLatestSweep(request, context);
  if (!isRunId(id)) return problem(400, 'not a sweep run id', [{ field: 'id', message: 'must be a sweep run id' }]);
  try {
    const run = await (await app.sweepStore()).getRun(id);
    if (!run) return problem(404, `no sweep run ${id}`);
    return json(200, runView(run, reportLinkSettings(app.settings), app.clock.now()));
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'sweepsGet', route: `${SWEEPS_ROUTE}/{id}`, methods: ['GET'], authLevel: 'function', handler: getSweep });
