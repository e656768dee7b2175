import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { services } from '../lib/composition-root.js';
import { defineHttpFunction } from '../lib/host/function-registry.js';
import { reportLinkSettings, runView, SWEEPS_ROUTE } from '../lib/sweep/report/run-view.js';
import { problemFromError } from '../lib/web/http-errors.js';
import { json, problem } from '../lib/web/problem.js';

/** GET /api/sweeps/latest: the newest sweep run, finished or still running. */
export async function getLatestSweep(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const app = services();
  try {
    const run = await (await app.sweepStore()).latestRun();
    if (!run) return problem(404, 'no sweep has run yet');
    return json(200, runView(run, reportLinkSettings(app.settings), app.clock.now()));
  } catch (error) {
    return problemFromError(error, context);
  }
}

defineHttpFunction({ name: 'sweepsLatest', route: `${SWEEPS_ROUTE}/latest`, methods: ['GET'], authLevel: 'function', handler: getLatestSweep });
